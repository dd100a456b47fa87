import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { discoverServices } from "../src/discover-services.js";
import { mapChanges } from "../src/map-changes.js";
import { parseConfig } from "../src/parse-config.js";
import type { ChangeMapping, IgnoreReason, ServiceCatalog } from "../src/types.js";

const TREE = [
  "README.md",
  "libs/common.py",
  "platform/README.md",
  "platform/01.postgres/compose.yaml",
  "platform/02.redis/compose.yaml",
  "platform/04.minio/compose.yaml",
  "platform/10.authentik/compose.yaml",
  "platform/99.wip/notes.md",
  "bootstrap/06.iac-runner/compose.yaml",
  "finance_report/compose.yaml",
];
const PLATFORM = ["authentik", "minio", "postgres", "redis"];

const defaults = discoverServices(TREE, parseConfig());

function catalogWith(yaml: string, tree: string[] = TREE): ServiceCatalog {
  return discoverServices(tree, parseConfig(yaml));
}

function selected(mapping: ChangeMapping): string[] {
  return mapping.services.map((service) => service.name);
}

describe("mapChanges", () => {
  describe("with the default config, like the original runner", () => {
    it.each<[string, string, string[]]>([
      ["a compose file selects its service", "platform/01.postgres/compose.yaml", ["postgres"]],
      ["any file of a service folder selects it", "platform/02.redis/conf/redis.conf", ["redis"]],
      ["a change under libs/ selects every platform service", "libs/x.py", PLATFORM],
      ["a change to iac.config.yaml selects every platform service", "iac.config.yaml", PLATFORM],
      ["a deep change under libs/ selects every platform service", "libs/a/b/c.py", PLATFORM],
      ["the old number of a renumbered folder selects the service", "platform/03.minio/compose.yaml", ["minio"]],
      ["a folder name without its number selects the service", "platform/minio/compose.yaml", ["minio"]],
    ])("%s", (_name, path, want) => {
      const mapping = mapChanges(defaults, [path]);
      expect(mapping.services).toEqual(want.map((name) => ({ name, reasons: [path] })));
      expect(mapping.ignored).toEqual([]);
    });

    it.each<[string, string, IgnoreReason, string]>([
      [
        "the runner's own folder is deployed by hand",
        "bootstrap/06.iac-runner/x",
        "manual_layer",
        "iac-runner is in layer bootstrap, deployed by hand",
      ],
      [
        "any bootstrap file is deployed by hand",
        "bootstrap/README.md",
        "manual_layer",
        "layer bootstrap is deployed by hand",
      ],
      [
        "a new bootstrap folder is deployed by hand",
        "bootstrap/07.new/compose.yaml",
        "manual_layer",
        "layer bootstrap is deployed by hand",
      ],
      [
        "the finance_report app has its own pipeline",
        "finance_report/x",
        "ignored_layer",
        "layer finance_report is set to ignore",
      ],
      [
        "the finance app has its own pipeline",
        "finance/api/compose.yaml",
        "ignored_layer",
        "layer finance is set to ignore",
      ],
      [
        "a root file is outside every layer",
        "README.md",
        "outside_layers",
        "not inside any layer (layers are platform, bootstrap, finance_report, finance)",
      ],
      [
        "an unknown top-level folder is outside every layer",
        ".github/workflows/ci.yml",
        "outside_layers",
        "not inside any layer (layers are platform, bootstrap, finance_report, finance)",
      ],
      [
        "platform/README.md is not a service (the original made it service md)",
        "platform/README.md",
        "not_a_service",
        "files directly in platform/ belong to no service",
      ],
      [
        "a folder without a compose file is not a service",
        "platform/99.wip/notes.md",
        "missing_compose",
        "platform/99.wip has no compose file, so it is not a service",
      ],
      [
        "a removed service folder selects nothing",
        "platform/07.gone/compose.yaml",
        "unknown_service",
        "no service gone in platform at this commit (folder removed?)",
      ],
    ])("ignores a path: %s", (_name, path, reason, detail) => {
      expect(mapChanges(defaults, [path])).toEqual({ services: [], ignored: [{ path, reason, detail }] });
    });
  });

  it("lists each service once with all the sorted paths that selected it, and sorts ignored paths", () => {
    const mapping = mapChanges(defaults, [
      "platform/README.md",
      "platform/01.postgres/compose.yaml",
      "libs/common.py",
      "platform/01.postgres/init.sql",
      "README.md",
      "platform/01.postgres/compose.yaml",
    ]);
    expect(mapping).toEqual({
      services: [
        { name: "authentik", reasons: ["libs/common.py"] },
        { name: "minio", reasons: ["libs/common.py"] },
        {
          name: "postgres",
          reasons: ["libs/common.py", "platform/01.postgres/compose.yaml", "platform/01.postgres/init.sql"],
        },
        { name: "redis", reasons: ["libs/common.py"] },
      ],
      ignored: [
        { path: "README.md", reason: "outside_layers", detail: expect.any(String) },
        { path: "platform/README.md", reason: "not_a_service", detail: expect.any(String) },
      ],
    });
  });

  it("maps both sides of a rename to the same service", () => {
    const mapping = mapChanges(defaults, ["platform/03.minio/compose.yaml", "platform/04.minio/compose.yaml"]);
    expect(mapping.services).toEqual([
      { name: "minio", reasons: ["platform/03.minio/compose.yaml", "platform/04.minio/compose.yaml"] },
    ]);
  });

  it("returns nothing for no changes", () => {
    expect(mapChanges(defaults, [])).toEqual({ services: [], ignored: [] });
  });

  it("selects a service from its extra globs, and a manual service never", () => {
    const catalog = catalogWith(
      'services:\n  postgres: { files: ["../shared/pg/**"] }\n  iac-runner: { files: ["/scripts/runner/**"] }\n',
      [...TREE, "platform/shared/pg/init.sql"],
    );
    expect(mapChanges(catalog, ["platform/shared/pg/init.sql", "scripts/runner/deploy.sh"])).toEqual({
      services: [{ name: "postgres", reasons: ["platform/shared/pg/init.sql"] }],
      ignored: [
        {
          path: "scripts/runner/deploy.sh",
          reason: "manual_layer",
          detail: "iac-runner is in layer bootstrap, deployed by hand",
        },
      ],
    });
  });

  it("fans a shared path out to the listed services only", () => {
    const catalog = catalogWith("shared:\n  - paths: [libs/db/**]\n    services: [postgres, redis]\n");
    expect(selected(mapChanges(catalog, ["libs/db/pool.py"]))).toEqual(["postgres", "redis"]);
    expect(mapChanges(catalog, ["libs/other.py"]).ignored).toMatchObject([{ reason: "outside_layers" }]);
  });

  it("adds shared targets to the service of the path's own folder", () => {
    const catalog = catalogWith("shared:\n  - paths: [platform/02.redis/shared.conf]\n    services: [postgres]\n");
    expect(mapChanges(catalog, ["platform/02.redis/shared.conf"]).services).toEqual([
      { name: "postgres", reasons: ["platform/02.redis/shared.conf"] },
      { name: "redis", reasons: ["platform/02.redis/shared.conf"] },
    ]);
  });

  it.each([
    ["targets only a manual service", "shared:\n  - paths: [libs/**]\n    services: [iac-runner]\n"],
    ["targets a service that does not exist", "shared:\n  - paths: [libs/**]\n    services: [nope]\n"],
    [
      "targets every service but no layer is automatic",
      "layers: { platform: manual }\nshared:\n  - paths: [libs/**]\n    services: '*'\n",
    ],
  ])("ignores a shared path that fans out to nothing when it %s", (_name, yaml) => {
    expect(mapChanges(catalogWith(yaml), ["libs/x.py"])).toEqual({
      services: [],
      ignored: [
        {
          path: "libs/x.py",
          reason: "shared_without_targets",
          detail: "matches a shared path whose services are not automatic services here",
        },
      ],
    });
  });

  it("does not map a folder to a same-named service of another layer", () => {
    const catalog = catalogWith("layers: { a: auto, b: auto }", ["a/01.pg/compose.yaml"]);
    expect(selected(mapChanges(catalog, ["a/02.pg/x"]))).toEqual(["pg"]);
    expect(mapChanges(catalog, ["b/01.pg/x"]).ignored).toMatchObject([
      { reason: "unknown_service", detail: "no service pg in b at this commit (folder removed?)" },
    ]);
  });

  it("says so when no layers are configured", () => {
    expect(mapChanges(catalogWith("layers: {}"), ["x"]).ignored).toEqual([
      { path: "x", reason: "outside_layers", detail: "not inside any layer (no layers are configured)" },
    ]);
  });

  it("gives the same answer when a catalog is reused", () => {
    const first = mapChanges(defaults, ["libs/a.py", "README.md"]);
    expect(mapChanges(defaults, ["README.md", "libs/a.py"])).toEqual(first);
    expect(mapChanges(defaults, ["platform/02.redis/x"]).services).toEqual([
      { name: "redis", reasons: ["platform/02.redis/x"] },
    ]);
  });

  describe("properties", () => {
    const catalog = catalogWith(
      'services:\n  postgres: { files: ["../shared/**"] }\n  iac-runner: { files: ["/ops/**"] }\nshared:\n  - paths: ["libs/**"]\n    services: "*"\n  - paths: ["db/**"]\n    services: [postgres, iac-runner]\n  - paths: ["tools/**"]\n    services: [iac-runner]\n',
      [...TREE, "platform/shared/x"],
    );
    const segment = fc.stringMatching(/^[a-z0-9.]{1,5}$/);
    const path = fc
      .tuple(
        fc.constantFrom(
          "platform",
          "bootstrap",
          "libs",
          "finance",
          "finance_report",
          "db",
          "tools",
          "ops",
          "other",
          "",
        ),
        fc.constantFrom(
          "01.postgres",
          "03.minio",
          "minio",
          "99.wip",
          "README.md",
          "07.gone",
          "06.iac-runner",
          "shared",
          "x",
        ),
        fc.array(segment, { maxLength: 3 }),
      )
      .map(([layer, folder, rest]) => [layer, folder, ...rest].filter((part) => part !== "").join("/"));
    const paths = fc.array(path, { maxLength: 40 });

    it("puts every distinct input path either in some service's reasons or in ignored, exactly once", () => {
      fc.assert(
        fc.property(paths, (input) => {
          const mapping = mapChanges(catalog, input);
          const ignored = mapping.ignored.map((entry) => entry.path);
          const selecting = new Set(mapping.services.flatMap((service) => service.reasons));
          expect(new Set(ignored).size).toBe(ignored.length);
          for (const service of mapping.services) {
            expect(new Set(service.reasons).size).toBe(service.reasons.length);
            expect(service.reasons.length).toBeGreaterThan(0);
          }
          expect(ignored.filter((entry) => selecting.has(entry))).toEqual([]);
          expect([...ignored, ...selecting].sort()).toEqual([...new Set(input)].sort());
        }),
      );
    });

    it("does not depend on the order or repetition of the input", () => {
      fc.assert(
        fc.property(paths, fc.integer(), (input, seed) => {
          const shuffled = [...input, ...input.slice(0, 3)].sort(
            (a, b) => ((a + seed).length % 3) - ((b + seed).length % 3) || (a < b ? 1 : -1),
          );
          expect(mapChanges(catalog, shuffled)).toEqual(mapChanges(catalog, input));
        }),
      );
    });

    it("maps a set of paths to the union of what each path maps to", () => {
      fc.assert(
        fc.property(paths, (input) => {
          const reasons = new Map<string, Set<string>>();
          const ignored = new Set<string>();
          for (const single of input) {
            const mapping = mapChanges(catalog, [single]);
            for (const service of mapping.services) {
              reasons.set(service.name, new Set([...(reasons.get(service.name) ?? []), ...service.reasons]));
            }
            for (const entry of mapping.ignored) {
              ignored.add(entry.path);
            }
          }
          const mapping = mapChanges(catalog, input);
          expect(mapping.services.map((service) => [service.name, service.reasons])).toEqual(
            [...reasons].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, set]) => [name, [...set].sort()]),
          );
          expect(mapping.ignored.map((entry) => entry.path)).toEqual([...ignored].sort());
        }),
      );
    });

    it("selects only automatic services", () => {
      const automatic = new Set(
        catalog.services.filter((service) => service.mode === "auto").map((service) => service.name),
      );
      fc.assert(
        fc.property(paths, (input) => {
          for (const name of selected(mapChanges(catalog, input))) {
            expect(automatic.has(name)).toBe(true);
          }
        }),
      );
    });

    it("maps a path under any number prefix of a service folder to that service", () => {
      fc.assert(
        fc.property(
          fc.nat(),
          fc.constantFrom(...PLATFORM),
          fc.array(segment, { minLength: 1, maxLength: 4 }),
          (number, name, rest) => {
            const changed = [`platform/${String(number).padStart(2, "0")}.${name}`, ...rest].join("/");
            expect(mapChanges(defaults, [changed])).toEqual({ services: [{ name, reasons: [changed] }], ignored: [] });
          },
        ),
      );
    });
  });
});
