import { describe, expect, it } from "vitest";
import {
  type DeployedService,
  type DesiredService,
  planSync,
  type SyncAction,
  type SyncReasonCode,
} from "../src/index.js";

const NEW = `v2:${"1".repeat(64)}`;
const OLD = `v2:${"2".repeat(64)}`;
const LEGACY = "0123456789ab";

const cases: Array<
  [string, { desired: DesiredService; deployed: DeployedService[]; want: [SyncAction, SyncReasonCode] }]
> = [
  [
    "creates a service that is not deployed",
    { desired: { service: "a", hash: NEW }, deployed: [], want: ["create", "missing"] },
  ],
  [
    "creates a service reported as not existing",
    {
      desired: { service: "a", hash: NEW },
      deployed: [{ service: "a", hash: NEW, exists: false }],
      want: ["create", "missing"],
    },
  ],
  [
    "updates a service without a stored hash",
    {
      desired: { service: "a", hash: NEW },
      deployed: [{ service: "a", hash: null, exists: true }],
      want: ["update", "no_hash"],
    },
  ],
  [
    "updates a service with an empty stored hash",
    {
      desired: { service: "a", hash: NEW },
      deployed: [{ service: "a", hash: "", exists: true }],
      want: ["update", "no_hash"],
    },
  ],
  [
    "skips a service whose stored hash is current",
    {
      desired: { service: "a", hash: NEW },
      deployed: [{ service: "a", hash: NEW, exists: true }],
      want: ["skip", "up_to_date"],
    },
  ],
  [
    "updates a service whose stored hash differs",
    {
      desired: { service: "a", hash: NEW },
      deployed: [{ service: "a", hash: OLD, exists: true }],
      want: ["update", "hash_changed"],
    },
  ],
  [
    "skips a service whose legacy hash matches",
    {
      desired: { service: "a", hash: NEW, legacyHash: LEGACY },
      deployed: [{ service: "a", hash: LEGACY, exists: true }],
      want: ["skip", "legacy_match"],
    },
  ],
  [
    "updates a service whose legacy hash differs",
    {
      desired: { service: "a", hash: NEW, legacyHash: "ba9876543210" },
      deployed: [{ service: "a", hash: LEGACY, exists: true }],
      want: ["update", "hash_changed"],
    },
  ],
  [
    "updates a service with a legacy hash when no legacy hash was computed",
    {
      desired: { service: "a", hash: NEW },
      deployed: [{ service: "a", hash: LEGACY, exists: true }],
      want: ["update", "hash_changed"],
    },
  ],
  [
    "does not accept a legacyHash that is not in the legacy format",
    {
      desired: { service: "a", hash: NEW, legacyHash: OLD },
      deployed: [{ service: "a", hash: OLD, exists: true }],
      want: ["update", "hash_changed"],
    },
  ],
];

describe("planSync", () => {
  it.each(cases)("%s", (_name, { desired, deployed, want: [action, code] }) => {
    const [item, ...rest] = planSync([desired], deployed);
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ service: "a", action, reason: { code } });
    expect(item?.reason.message).toContain("a ");
  });

  it("plans desired services in their order and leaves undesired deployed services out", () => {
    const plan = planSync(
      [
        { service: "b", hash: NEW },
        { service: "a", hash: NEW },
      ],
      [
        { service: "a", hash: NEW, exists: true },
        { service: "legacy-tool", hash: null, exists: true },
      ],
    );
    expect(plan.map(({ service, action }) => [service, action])).toEqual([
      ["b", "create"],
      ["a", "skip"],
    ]);
  });

  it("names the old and new hash when a hash changed", () => {
    const [item] = planSync([{ service: "a", hash: NEW }], [{ service: "a", hash: OLD, exists: true }]);
    expect(item?.reason.message).toBe(`a config hash changed from ${OLD} to ${NEW}`);
  });

  it.each([
    [
      "desired",
      [
        { service: "a", hash: NEW },
        { service: "a", hash: OLD },
      ],
      [],
    ],
    [
      "deployed",
      [{ service: "a", hash: NEW }],
      [
        { service: "a", hash: null, exists: true },
        { service: "a", hash: NEW, exists: true },
      ],
    ],
  ])("throws a TypeError for a service listed twice in %s", (name, desired, deployed) => {
    expect(() => planSync(desired, deployed)).toThrow(TypeError);
    expect(() => planSync(desired, deployed)).toThrow(
      `[@iac/sync] invalid ${name} services: expected each service once, received "a" twice`,
    );
  });
});
