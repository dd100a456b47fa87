import { describe, expect, it } from "vitest";
import { formatDrift } from "../../src/cli/format-drift.js";
import type { DriftReport, DriftState, ServiceDrift } from "../../src/types.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

function service(name: string, state: DriftState, commit = A): ServiceDrift {
  const drifted = state === "drifted";
  return {
    service: name,
    commit,
    state,
    expectedHash: drifted ? `v2:${"1".repeat(64)}` : null,
    actualHash: drifted ? `v2:${"2".repeat(64)}` : null,
    detail: `${name} is ${state}`,
  };
}

const REPORT: DriftReport = {
  checkedAt: "2026-11-30T14:00:00.000Z",
  env: "staging",
  commit: A,
  outcome: "ok",
  detail: null,
  services: [service("postgres", "in_sync")],
  corrections: [],
  environments: [],
};

describe("formatDrift", () => {
  it.each<[string, { given: Partial<DriftReport>; want: string[] }]>([
    [
      "DEPLOY_ENV alone",
      {
        given: {},
        want: ["staging at commit aaaaaaaaaaaa, checked 2026-11-30T14:00:00.000Z: 1 in_sync", "postgres  in_sync"],
      },
    ],
    [
      "another environment at one commit, with its correction",
      {
        given: {
          environments: [
            {
              env: "production",
              commit: B,
              outcome: "ok",
              detail: null,
              services: [service("postgres", "drifted", B), service("redis", "in_sync", B)],
              corrections: [{ deployment: "job-1", status: "created", commit: B, services: ["postgres"] }],
            },
          ],
        },
        want: [
          "staging at commit aaaaaaaaaaaa, checked 2026-11-30T14:00:00.000Z: 1 in_sync",
          "postgres  in_sync",
          "production at commit bbbbbbbbbbbb: 1 drifted, 1 in_sync",
          "postgres  drifted   expected v2:111111111111, Dokploy v2:222222222222  postgres is drifted",
          "redis     in_sync",
          "correction: deployment job-1 (created) redeploys postgres at bbbbbbbbbbbb",
        ],
      },
    ],
    [
      "another environment at several commits, each service naming its own",
      {
        given: {
          environments: [
            {
              env: "production",
              commit: null,
              outcome: "ok",
              detail: null,
              services: [service("postgres", "in_sync", A), service("redis", "missing", B)],
              corrections: [],
            },
            {
              env: "qa",
              commit: null,
              outcome: "idle",
              detail: "no service was deployed to qa yet",
              services: [],
              corrections: [],
            },
          ],
        },
        want: [
          "staging at commit aaaaaaaaaaaa, checked 2026-11-30T14:00:00.000Z: 1 in_sync",
          "postgres  in_sync",
          "production: 1 missing, 1 in_sync",
          "postgres  in_sync   at aaaaaaaaaaaa",
          "redis     missing   at bbbbbbbbbbbb  redis is missing",
          "qa: idle: no service was deployed to qa yet",
        ],
      },
    ],
  ])("prints %s", (_name, { given, want }) => {
    expect(formatDrift({ ...REPORT, ...given })).toBe(`${want.join("\n")}\n`);
  });
});
