import { describe, expect, it } from "vitest";
import { formatPlanComment, planMarker } from "../../src/review/format-plan-comment.js";
import type { PullPlan, PullServicePlan } from "../../src/types.js";

const HEAD = "a".repeat(40);

function plan(overrides: Partial<PullPlan>): PullPlan {
  return { env: "staging", number: 7, head: HEAD, problems: [], services: [], ...overrides };
}

function service(overrides: Partial<PullServicePlan>): PullServicePlan {
  return {
    service: "postgres",
    action: "deploy",
    paths: ["platform/01.postgres/compose.yaml"],
    detail: "x",
    ...overrides,
  };
}

describe("formatPlanComment", () => {
  const cases: [string, { given: PullPlan; want: string[] }][] = [
    [
      "a table row per service, with the count of deploys",
      {
        given: plan({
          services: [
            service({ detail: "config hash differs from Dokploy's" }),
            service({
              service: "redis",
              action: "unchanged",
              paths: ["a", "b"],
              detail: "same config hash as Dokploy",
            }),
            service({
              service: "app",
              action: "unknown",
              paths: ["c"],
              detail: "dokploy_unreachable: none (ECONNREFUSED)",
            }),
          ],
        }),
        want: [
          "Merging would redeploy 1 of 3 changed services (1 could not be compared).",
          "| postgres | deploy | `platform/01.postgres/compose.yaml` | config hash differs from Dokploy's |",
          "| redis | unchanged | `a`, `b` | same config hash as Dokploy |",
          "| app | could not compare | `c` | dokploy_unreachable: none (ECONNREFUSED) |",
        ],
      },
    ],
    [
      "paths that cannot break the table or the code span",
      {
        given: plan({ services: [service({ paths: ["x|y`z\nw"] })] }),
        want: ["| postgres | deploy | `x\\|y'z w` | x |"],
      },
    ],
    [
      "five paths, then how many more",
      {
        given: plan({ services: [service({ paths: ["1", "2", "3", "4", "5", "6", "7"] })] }),
        want: ["| postgres | deploy | `1`, `2`, `3`, `4`, `5` and 2 more | x |"],
      },
    ],
    [
      "no service changed",
      { given: plan({}), want: ["This pull request changes no service: merging would redeploy nothing."] },
    ],
    [
      "the configuration problems, as code (no mention, link or HTML), ten at most",
      {
        given: plan({
          problems: Array.from({ length: 12 }, (_, index) => `iac.config.yaml: problem ${index} @team <b>`),
        }),
        want: [
          "- `iac.config.yaml: problem 0 @team <b>`",
          "- `iac.config.yaml: problem 9 @team <b>`",
          "- and 2 more (`iac-runner validate` lists them all)",
        ],
      },
    ],
  ];

  it.each(cases)("shows %s", (_, { given, want }) => {
    const lines = formatPlanComment(given).split("\n");
    expect(lines[0]).toBe(planMarker("staging"));
    expect(lines).toContain(`Planned at ${HEAD}.`);
    for (const line of want) {
      expect(lines).toContain(line);
    }
  });

  it("names the environment in the marker, so runners of other environments keep their own comment", () => {
    expect(planMarker("production")).toBe("<!-- iac-runner:plan:production -->");
    expect(formatPlanComment(plan({ env: "production" })).startsWith(planMarker("production"))).toBe(true);
  });
});
