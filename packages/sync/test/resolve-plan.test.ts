import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { discoverServices } from "../src/discover-services.js";
import { isSyncable } from "../src/is-syncable.js";
import { parseConfig } from "../src/parse-config.js";
import { PlanError } from "../src/plan-error.js";
import { resolvePlan } from "../src/resolve-plan.js";
import type { CatalogService, JobPlan, PlanInput, PlanRequest, ServiceCatalog } from "../src/types.js";

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
  "ops/01.grafana/compose.yaml",
  "finance_report/compose.yaml",
];
const PLATFORM = ["authentik", "minio", "postgres", "redis"];
const SHA = "a10867b14bb761a232cd80139fbd4c0d33264240";

/** The default config: platform automatic, bootstrap manual (no `ops` layer, so its folder is outside every layer). */
const defaults = discoverServices(TREE, parseConfig());
const { staging, production } = defaults.config.environments;
/** A config that makes the bootstrap layer automatic and adds a manual `ops` layer. */
const bootstrapAuto = catalogWith("layers: { platform: auto, bootstrap: auto, ops: manual, finance_report: ignore }");

function catalogWith(yaml: string, tree: string[] = TREE): ServiceCatalog {
  return discoverServices(tree, parseConfig(yaml));
}

function service(catalog: ServiceCatalog, name: string): CatalogService {
  const found = catalog.services.find((candidate) => candidate.name === name);
  if (found === undefined) {
    throw new Error(`no service ${name} in the fixture catalog`);
  }
  return found;
}

function plan(request: PlanRequest, catalog: ServiceCatalog = defaults, commit = SHA): JobPlan {
  return resolvePlan({ request, commit, catalog });
}

function names(result: JobPlan): string[] {
  return result.services.map((planned) => planned.service.name);
}

/** What `run` throws; fails the test when it throws nothing. */
function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, nothing was thrown");
}

/** The PlanError `run` throws; fails the test when it throws anything else or nothing. */
function planError(run: () => unknown): PlanError {
  const error = caught(run);
  expect(error).toBeInstanceOf(PlanError);
  return error as PlanError;
}

/** Asserts that `run` throws a TypeError with exactly `message`. */
function expectTypeError(run: () => unknown, message: string): void {
  const error = caught(run);
  expect(error).toBeInstanceOf(TypeError);
  expect((error as TypeError).message).toBe(message);
}

describe("resolvePlan() environments", () => {
  it("returns the environment's config, the env name, the trigger and the commit", () => {
    const result = plan({ trigger: "sync", env: "production", services: ["postgres"] });
    expect(result.trigger).toBe("sync");
    expect(result.env).toBe("production");
    expect(result.commit).toBe(SHA);
    expect(result.environment).toBe(production);
    expect(result.environment).toStrictEqual({
      env: "production",
      domainSuffix: "",
      dokployEnvironment: "production",
      dataPath: "/data/{layer}/{service}{suffix}",
      rollback: "off",
      reconcile: "report",
      notify: [],
    });
  });

  it("resolves an environment the repository configures", () => {
    const catalog = catalogWith("environments:\n  preview: { env: dev, dokployEnvironment: previews }\n");
    expect(plan({ trigger: "deploy", env: "preview" }, catalog).environment).toStrictEqual({
      env: "dev",
      domainSuffix: "-preview",
      dokployEnvironment: "previews",
      dataPath: "/data/{layer}/{service}{suffix}",
      rollback: "off",
      reconcile: "report",
      notify: [],
    });
  });

  it("resolves an environment named like an Object.prototype member when the config declares it", () => {
    const catalog = catalogWith("environments:\n  constructor: {}\n");
    expect(plan({ trigger: "deploy", env: "constructor" }, catalog).environment).toMatchObject({ env: "constructor" });
  });

  it.each(["qa", "Staging", "", "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "refuses the unknown environment %j with unknown_env listing the configured ones",
    (env) => {
      for (const request of [
        { trigger: "webhook", env, changedPaths: ["platform/01.postgres/compose.yaml"] },
        { trigger: "catchup", env, changedPaths: [] },
        { trigger: "deploy", env },
        { trigger: "sync", env, services: ["postgres"] },
      ] satisfies PlanRequest[]) {
        const error = planError(() => plan(request));
        expect(error.code).toBe("unknown_env");
        expect(error.status).toBe(400);
        expect(error.message).toBe(`unknown environment ${JSON.stringify(env)}: expected one of staging, production`);
        expect(error.details).toStrictEqual({ known: ["staging", "production"] });
      }
    },
  );

  it("lists the configured environments in declaration order", () => {
    const catalog = catalogWith("environments:\n  prod: {}\n  dev: {}\n  acc: {}\n");
    const error = planError(() => plan({ trigger: "deploy", env: "staging" }, catalog));
    expect(error.message).toBe('unknown environment "staging": expected one of prod, dev, acc');
    expect(error.details).toStrictEqual({ known: ["prod", "dev", "acc"] });
  });

  it("checks the environment before the services", () => {
    const error = planError(() => plan({ trigger: "deploy", env: "qa", services: ["nope", "iac-runner"] }));
    expect(error.code).toBe("unknown_env");
  });
});

describe("resolvePlan() commits", () => {
  it.each([
    ["lower-case", SHA],
    ["upper-case", SHA.toUpperCase()],
    ["mixed-case", "A10867B14bb761a232cd80139fbd4c0d33264240"],
  ])("accepts a %s 40-hex commit and returns it in lower case", (_case, commit) => {
    expect(plan({ trigger: "deploy", env: "staging" }, defaults, commit).commit).toBe(SHA);
  });

  it.each<[string, unknown, string]>([
    ["39 hex digits", SHA.slice(1), `"${SHA.slice(1)}"`],
    ["41 hex digits", `${SHA}0`, `"${SHA}…"`],
    ["a SHA-256 commit", "b".repeat(64), `"${"b".repeat(40)}…"`],
    ["a non-hex digit", `${SHA.slice(0, 39)}g`, `"${SHA.slice(0, 39)}g"`],
    ["surrounding whitespace", ` ${SHA}`, `" ${SHA.slice(0, 39)}…"`],
    ["a trailing newline", `${SHA}\n`, `"${SHA}…"`],
    ["an empty string", "", '""'],
    ["a missing commit", undefined, "undefined"],
    ["a number", 1, "number"],
    ["an array holding a commit", [SHA], "array"],
  ])("throws a TypeError for %s", (_case, commit, received) => {
    expectTypeError(
      () => resolvePlan({ request: { trigger: "deploy", env: "staging" }, commit, catalog: defaults } as PlanInput),
      `[@iac/sync] invalid plan input: commit must be a commit SHA of 40 hex digits, received ${received}`,
    );
  });
});

describe("resolvePlan() for webhook and catchup", () => {
  it.each(["webhook", "catchup"] as const)("plans each changed service with its sorted paths (%s)", (trigger) => {
    const result = plan({
      trigger,
      env: "staging",
      changedPaths: [
        "platform/01.postgres/init.sql",
        "platform/02.redis/redis.conf",
        "platform/01.postgres/compose.yaml",
      ],
    });
    expect(result).toStrictEqual({
      trigger,
      env: "staging",
      commit: SHA,
      environment: staging,
      services: [
        {
          service: service(defaults, "postgres"),
          reason: {
            code: "changed",
            message: "2 changed paths: platform/01.postgres/compose.yaml, platform/01.postgres/init.sql",
            paths: ["platform/01.postgres/compose.yaml", "platform/01.postgres/init.sql"],
          },
        },
        {
          service: service(defaults, "redis"),
          reason: {
            code: "changed",
            message: "1 changed path: platform/02.redis/redis.conf",
            paths: ["platform/02.redis/redis.conf"],
          },
        },
      ],
      skipped: [],
    });
  });

  it("holds the catalog's own service objects", () => {
    const [planned] = plan({ trigger: "webhook", env: "staging", changedPaths: ["platform/02.redis/x"] }).services;
    expect(planned?.service).toBe(service(defaults, "redis"));
    expect(Object.isFrozen(planned?.service)).toBe(true);
  });

  it.each<[string, string[], string]>([
    ["one path", ["a"], "1 changed path: platform/01.postgres/a"],
    ["a path given twice", ["a", "a"], "1 changed path: platform/01.postgres/a"],
    ["two paths", ["b", "a"], "2 changed paths: platform/01.postgres/a, platform/01.postgres/b"],
    [
      "three paths",
      ["c", "a", "b"],
      "3 changed paths: platform/01.postgres/a, platform/01.postgres/b, platform/01.postgres/c",
    ],
    [
      "four paths",
      ["d", "c", "b", "a"],
      "4 changed paths: platform/01.postgres/a, platform/01.postgres/b, platform/01.postgres/c and 1 more",
    ],
    [
      "six paths",
      ["f", "e", "d", "c", "b", "a"],
      "6 changed paths: platform/01.postgres/a, platform/01.postgres/b, platform/01.postgres/c and 3 more",
    ],
  ])("lists at most three paths in the message, all of them in paths: %s", (_case, files, message) => {
    const changedPaths = files.map((file) => `platform/01.postgres/${file}`);
    const [planned] = plan({ trigger: "webhook", env: "staging", changedPaths }).services;
    expect(planned?.reason).toStrictEqual({ code: "changed", message, paths: [...new Set(changedPaths)].sort() });
  });

  it("plans every platform service, in name order, for a change under libs/", () => {
    const result = plan({ trigger: "catchup", env: "staging", changedPaths: ["libs/common.py"] });
    expect(names(result)).toEqual(PLATFORM);
    expect(result.services.map((planned) => planned.reason)).toStrictEqual(
      PLATFORM.map(() => ({ code: "changed", message: "1 changed path: libs/common.py", paths: ["libs/common.py"] })),
    );
    expect(result.skipped).toStrictEqual([]);
  });

  it("plans every platform service for a change to iac.config.yaml", () => {
    expect(names(plan({ trigger: "webhook", env: "staging", changedPaths: ["iac.config.yaml"] }))).toEqual(PLATFORM);
  });

  it("returns an empty plan, with the environment, for no changed paths", () => {
    for (const trigger of ["webhook", "catchup"] as const) {
      expect(plan({ trigger, env: "production", changedPaths: [] })).toStrictEqual({
        trigger,
        env: "production",
        commit: SHA,
        environment: production,
        services: [],
        skipped: [],
      });
    }
  });

  it("skips every ignored path with mapChanges' reason and detail", () => {
    const result = plan({
      trigger: "webhook",
      env: "staging",
      changedPaths: [
        "platform/README.md",
        "bootstrap/06.iac-runner/compose.yaml",
        "README.md",
        "finance_report/x",
        "platform/99.wip/notes.md",
        "platform/07.gone/compose.yaml",
      ],
    });
    expect(result.services).toStrictEqual([]);
    expect(result.skipped).toStrictEqual([
      {
        path: "README.md",
        reason: "outside_layers",
        detail: "not inside any layer (layers are platform, bootstrap, finance_report, finance)",
      },
      {
        path: "bootstrap/06.iac-runner/compose.yaml",
        reason: "manual_layer",
        detail: "iac-runner is in layer bootstrap, deployed by hand",
      },
      { path: "finance_report/x", reason: "ignored_layer", detail: "layer finance_report is set to ignore" },
      {
        path: "platform/07.gone/compose.yaml",
        reason: "unknown_service",
        detail: "no service gone in platform at this commit (folder removed?)",
      },
      {
        path: "platform/99.wip/notes.md",
        reason: "missing_compose",
        detail: "platform/99.wip has no compose file, so it is not a service",
      },
      {
        path: "platform/README.md",
        reason: "not_a_service",
        detail: "files directly in platform/ belong to no service",
      },
    ]);
  });

  it("skips a change to a manual layer's service as manual_layer", () => {
    const result = plan(
      { trigger: "webhook", env: "staging", changedPaths: ["ops/01.grafana/compose.yaml"] },
      bootstrapAuto,
    );
    expect(result.services).toStrictEqual([]);
    expect(result.skipped).toStrictEqual([
      {
        path: "ops/01.grafana/compose.yaml",
        reason: "manual_layer",
        detail: "grafana is in layer ops, deployed by hand",
      },
    ]);
  });

  it("never plans the bootstrap layer, even when the config makes it automatic", () => {
    const result = plan(
      { trigger: "webhook", env: "staging", changedPaths: ["bootstrap/06.iac-runner/compose.yaml"] },
      bootstrapAuto,
    );
    expect(service(bootstrapAuto, "iac-runner").mode).toBe("auto");
    expect(result.services).toStrictEqual([]);
    expect(result.skipped).toStrictEqual([
      {
        service: "iac-runner",
        reason: "bootstrap_layer",
        detail:
          "iac-runner is in the bootstrap layer, which holds the runner itself and is never synced; 1 changed path: bootstrap/06.iac-runner/compose.yaml",
      },
    ]);
  });

  it("plans the other services a shared path selects and skips the bootstrap one", () => {
    const result = plan({ trigger: "catchup", env: "staging", changedPaths: ["libs/common.py"] }, bootstrapAuto);
    expect(names(result)).toEqual(PLATFORM);
    expect(result.skipped).toStrictEqual([
      {
        service: "iac-runner",
        reason: "bootstrap_layer",
        detail:
          "iac-runner is in the bootstrap layer, which holds the runner itself and is never synced; 1 changed path: libs/common.py",
      },
    ]);
  });

  it("lists at most three of a skipped service's paths in its detail", () => {
    const changedPaths = ["a", "b", "c", "d"].map((file) => `bootstrap/06.iac-runner/${file}`);
    const [skip] = plan({ trigger: "webhook", env: "staging", changedPaths }, bootstrapAuto).skipped;
    expect(skip?.detail).toBe(
      "iac-runner is in the bootstrap layer, which holds the runner itself and is never synced; 4 changed paths: bootstrap/06.iac-runner/a, bootstrap/06.iac-runner/b, bootstrap/06.iac-runner/c and 1 more",
    );
  });

  it("lists skipped paths (sorted) before skipped services", () => {
    const result = plan(
      {
        trigger: "webhook",
        env: "staging",
        changedPaths: ["platform/README.md", "bootstrap/06.iac-runner/compose.yaml", "finance_report/x", "README.md"],
      },
      bootstrapAuto,
    );
    expect(result.skipped.map((skip) => skip.path ?? `service ${skip.service}`)).toEqual([
      "README.md",
      "finance_report/x",
      "platform/README.md",
      "service iac-runner",
    ]);
  });

  it("accounts for each changed path once: in a planned service, a path skip, or a skipped bootstrap service", () => {
    const paths = [
      "README.md",
      "libs/a.py",
      "iac.config.yaml",
      "platform/README.md",
      "platform/01.postgres/compose.yaml",
      "platform/02.redis/x/y.conf",
      "platform/99.wip/notes.md",
      "bootstrap/06.iac-runner/compose.yaml",
      "ops/01.grafana/compose.yaml",
      "finance_report/x",
      "other/01.thing/compose.yaml",
    ];
    fc.assert(
      fc.property(fc.subarray(paths), fc.boolean(), (changedPaths, auto) => {
        const catalog = auto ? bootstrapAuto : defaults;
        const result = plan({ trigger: "webhook", env: "staging", changedPaths }, catalog);
        const planned = new Set(result.services.flatMap((item) => item.reason.paths ?? []));
        const skippedPaths = result.skipped.flatMap((skip) => (skip.path === undefined ? [] : [skip.path]));
        const skippedServices = result.skipped.flatMap((skip) => (skip.service === undefined ? [] : [skip.service]));
        expect(result.services.every((item) => isSyncable(item.service))).toBe(true);
        expect(skippedPaths.filter((path) => planned.has(path))).toEqual([]);
        for (const path of changedPaths.filter((path) => !planned.has(path) && !skippedPaths.includes(path))) {
          expect(path).toBe("bootstrap/06.iac-runner/compose.yaml");
          expect(skippedServices).toEqual(["iac-runner"]);
        }
      }),
    );
  });
});

describe("resolvePlan() for deploy and sync without services", () => {
  it.each(["deploy", "sync"] as const)("plans every syncable service in name order (%s)", (trigger) => {
    expect(plan({ trigger, env: "staging" })).toStrictEqual({
      trigger,
      env: "staging",
      commit: SHA,
      environment: staging,
      services: PLATFORM.map((name) => ({
        service: service(defaults, name),
        reason: { code: "all", message: "every service: the request named none" },
      })),
      skipped: [],
    });
  });

  it("treats services: undefined like an absent list", () => {
    expect(names(plan({ trigger: "sync", env: "staging", services: undefined }))).toEqual(PLATFORM);
  });

  it("leaves out manual services and the bootstrap layer, even when it is automatic", () => {
    expect(names(plan({ trigger: "deploy", env: "staging" }, bootstrapAuto))).toEqual(PLATFORM);
  });

  it("returns an empty plan when no service may be synced", () => {
    const catalog = catalogWith("layers: { platform: manual, bootstrap: auto }");
    expect(plan({ trigger: "sync", env: "staging" }, catalog).services).toStrictEqual([]);
  });
});

describe("resolvePlan() for deploy and sync with services", () => {
  it.each(["postgres", "platform/postgres", "platform/01.postgres"])("resolves %j to postgres", (name) => {
    for (const trigger of ["deploy", "sync"] as const) {
      expect(plan({ trigger, env: "staging", services: [name] })).toStrictEqual({
        trigger,
        env: "staging",
        commit: SHA,
        environment: staging,
        services: [
          {
            service: service(defaults, "postgres"),
            reason: { code: "requested", message: `requested as ${JSON.stringify(name)}` },
          },
        ],
        skipped: [],
      });
    }
  });

  it("keeps the request's order and drops duplicates, keeping the first name given", () => {
    const result = plan({
      trigger: "deploy",
      env: "staging",
      services: ["redis", "platform/01.postgres", "platform/minio", "postgres", "platform/redis", "minio"],
    });
    expect(result.services).toStrictEqual([
      { service: service(defaults, "redis"), reason: { code: "requested", message: 'requested as "redis"' } },
      {
        service: service(defaults, "postgres"),
        reason: { code: "requested", message: 'requested as "platform/01.postgres"' },
      },
      { service: service(defaults, "minio"), reason: { code: "requested", message: 'requested as "platform/minio"' } },
    ]);
  });

  it("resolves names in a layer of several segments", () => {
    const catalog = catalogWith("layers: { infra/eu: auto }", ["infra/eu/01.pg/compose.yaml"]);
    for (const name of ["pg", "infra/eu/pg", "infra/eu/01.pg"]) {
      expect(names(plan({ trigger: "deploy", env: "staging", services: [name] }, catalog))).toEqual(["pg"]);
    }
    const error = planError(() => plan({ trigger: "deploy", env: "staging", services: ["eu/pg"] }, catalog));
    expect(error.message).toBe('unknown service "eu/pg": expected one of pg');
  });

  it.each([
    "nope",
    "Postgres",
    "01.postgres",
    "platform/02.postgres",
    "bootstrap/postgres",
    "platform/",
    "/postgres",
    "postgres/",
    "platform/01.postgres/compose.yaml",
    "",
    "wip",
    "platform/99.wip",
  ])("refuses the unknown service %j with unknown_service listing the syncable ones", (name) => {
    const error = planError(() => plan({ trigger: "sync", env: "staging", services: ["postgres", name] }));
    expect(error.code).toBe("unknown_service");
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      `unknown service ${JSON.stringify(name)}: expected one of authentik, minio, postgres, redis`,
    );
    expect(error.details).toStrictEqual({ known: PLATFORM });
  });

  it("lists only syncable services as known", () => {
    const error = planError(() => plan({ trigger: "deploy", env: "staging", services: ["nope"] }, bootstrapAuto));
    expect(error.details).toStrictEqual({ known: PLATFORM });
  });

  it('says "(none)" when no service may be synced', () => {
    const catalog = catalogWith("layers: { platform: manual }");
    const error = planError(() => plan({ trigger: "deploy", env: "staging", services: ["postgres/x"] }, catalog));
    expect(error.message).toBe('unknown service "postgres/x": expected one of (none)');
    expect(error.details).toStrictEqual({ known: [] });
  });

  it.each<[string, ServiceCatalog, string, string, string]>([
    ["the manual bootstrap layer", defaults, "iac-runner", "iac-runner", "bootstrap"],
    ["the manual bootstrap layer, by folder", defaults, "bootstrap/06.iac-runner", "iac-runner", "bootstrap"],
    ["an automatic bootstrap layer", bootstrapAuto, "bootstrap/iac-runner", "iac-runner", "bootstrap"],
    ["a manual layer", bootstrapAuto, "grafana", "grafana", "ops"],
    ["a manual layer, by folder", bootstrapAuto, "ops/01.grafana", "grafana", "ops"],
  ])("refuses a service of %s with service_manual", (_case, catalog, name, serviceName, layer) => {
    const error = planError(() => plan({ trigger: "deploy", env: "staging", services: ["postgres", name] }, catalog));
    expect(error.code).toBe("service_manual");
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      `service "${serviceName}" is in the ${layer} layer, which is deployed by hand and never synced by the runner`,
    );
    expect(error.details).toStrictEqual({ service: serviceName, layer });
  });

  it("reports the first bad name of the request", () => {
    const unknown = planError(() => plan({ trigger: "sync", env: "staging", services: ["nope", "iac-runner"] }));
    expect(unknown.code).toBe("unknown_service");
    const manual = planError(() => plan({ trigger: "sync", env: "staging", services: ["iac-runner", "nope"] }));
    expect(manual.code).toBe("service_manual");
  });

  it("ignores services for webhook and changedPaths for deploy", () => {
    const webhook = { trigger: "webhook", env: "staging", changedPaths: [], services: ["nope"] } as PlanRequest;
    expect(plan(webhook).services).toStrictEqual([]);
    const deploy = { trigger: "deploy", env: "staging", changedPaths: ["platform/02.redis/x"] } as PlanRequest;
    expect(names(plan(deploy))).toEqual(PLATFORM);
  });
});

describe("resolvePlan() commit claims", () => {
  const OTHER = "b".repeat(40);

  it("plans a deploy whose claims all name its commit, in any case", () => {
    const claims = [
      { field: "commit", value: SHA.toUpperCase(), commit: SHA.toUpperCase() },
      { field: "staging_tag", value: "v1.2.4", commit: SHA },
    ];
    expect(names(plan({ trigger: "deploy", env: "production", claims }))).toEqual(
      names(plan({ trigger: "deploy", env: "production" })),
    );
  });

  it("refuses a commit that is not the target's with commit_mismatch, naming both", () => {
    const error = planError(() =>
      plan({ trigger: "deploy", env: "staging", claims: [{ field: "commit", value: OTHER, commit: OTHER }] }),
    );
    expect({ code: error.code, status: error.status, message: error.message, details: error.details }).toEqual({
      code: "commit_mismatch",
      status: 409,
      message: `commit ${OTHER} is not the commit the deploy resolved to, ${SHA}: refusing to deploy something other than what the request names`,
      details: { field: "commit", value: OTHER, claimed: OTHER, resolved: SHA },
    });
  });

  it("refuses a staging tag at another commit, naming the tag and its commit", () => {
    const claims = [
      { field: "commit", value: SHA, commit: SHA },
      { field: "staging_tag", value: "v1.2.4", commit: OTHER.toUpperCase() },
    ];
    const error = planError(() => plan({ trigger: "deploy", env: "production", claims }));
    expect(error.message).toBe(
      `staging_tag "v1.2.4" (commit ${OTHER.toUpperCase()}) is not the commit the deploy resolved to, ${SHA}: refusing to deploy something other than what the request names`,
    );
    expect(error.details).toEqual({ field: "staging_tag", value: "v1.2.4", claimed: OTHER, resolved: SHA });
  });

  it("checks the environment first and the claims before the services", () => {
    const claims = [{ field: "commit", value: OTHER, commit: OTHER }];
    expect(planError(() => plan({ trigger: "deploy", env: "qa", claims })).code).toBe("unknown_env");
    expect(planError(() => plan({ trigger: "deploy", env: "staging", services: ["nope"], claims })).code).toBe(
      "commit_mismatch",
    );
  });
});

describe("resolvePlan() programmer errors", () => {
  const request: PlanRequest = { trigger: "deploy", env: "staging" };
  it.each<[string, unknown, string]>([
    ["no input", undefined, "input must be an object, received undefined"],
    ["a null input", null, "input must be an object, received null"],
    ["an array input", [], "input must be an object, received array"],
    ["no request", { commit: SHA, catalog: defaults }, "request must be an object, received undefined"],
    [
      "a string request",
      { request: "deploy", commit: SHA, catalog: defaults },
      'request must be an object, received "deploy"',
    ],
    [
      "an unknown trigger",
      { request: { trigger: "push", env: "staging" }, commit: SHA, catalog: defaults },
      'request.trigger must be one of webhook, deploy, sync, catchup, received "push"',
    ],
    [
      "a missing trigger",
      { request: { env: "staging" }, commit: SHA, catalog: defaults },
      "request.trigger must be one of webhook, deploy, sync, catchup, received undefined",
    ],
    [
      "a missing env",
      { request: { trigger: "deploy" }, commit: SHA, catalog: defaults },
      "request.env must be a string, received undefined",
    ],
    [
      "a number env",
      { request: { trigger: "sync", env: 1 }, commit: SHA, catalog: defaults },
      "request.env must be a string, received number",
    ],
    [
      "a webhook without changedPaths",
      { request: { trigger: "webhook", env: "staging" }, commit: SHA, catalog: defaults },
      "request.changedPaths must be an array of strings, received undefined",
    ],
    [
      "a catchup with a string for changedPaths",
      { request: { trigger: "catchup", env: "staging", changedPaths: "a" }, commit: SHA, catalog: defaults },
      'request.changedPaths must be an array of strings, received "a"',
    ],
    [
      "a changed path that is not a string",
      { request: { trigger: "webhook", env: "staging", changedPaths: ["a", null] }, commit: SHA, catalog: defaults },
      "request.changedPaths[1] must be a string, received null",
    ],
    [
      "a string for services",
      { request: { trigger: "deploy", env: "staging", services: "postgres" }, commit: SHA, catalog: defaults },
      'request.services must be an array of strings, received "postgres"',
    ],
    [
      "a service name that is not a string",
      {
        request: { trigger: "sync", env: "staging", services: ["postgres", "redis", 3] },
        commit: SHA,
        catalog: defaults,
      },
      "request.services[2] must be a string, received number",
    ],
    [
      "an empty services list",
      { request: { trigger: "deploy", env: "staging", services: [] }, commit: SHA, catalog: defaults },
      "request.services must be a non-empty array (omit it to plan every service), received an empty array",
    ],
    [
      "claims that are not a list",
      { request: { ...request, claims: {} }, commit: SHA, catalog: defaults },
      "request.claims must be an array of claims, received object",
    ],
    [
      "a claim without a field",
      { request: { ...request, claims: [{ value: "v1", commit: SHA }] }, commit: SHA, catalog: defaults },
      "request.claims[0].field must be a non-empty string, received undefined",
    ],
    [
      "a claim with an empty value",
      {
        request: { ...request, claims: [{ field: "commit", value: "", commit: SHA }] },
        commit: SHA,
        catalog: defaults,
      },
      'request.claims[0].value must be a non-empty string, received ""',
    ],
    [
      "a claim whose commit is abbreviated",
      {
        request: {
          ...request,
          claims: [
            { field: "commit", value: SHA, commit: SHA },
            { field: "x", value: "v", commit: "abc" },
          ],
        },
        commit: SHA,
        catalog: defaults,
      },
      'request.claims[1].commit must be a commit SHA of 40 hex digits, received "abc"',
    ],
    ["no catalog", { request, commit: SHA }, "catalog must be an object, received undefined"],
    [
      "a catalog without config",
      { request, commit: SHA, catalog: { services: [] } },
      "catalog.config must be an object, received undefined",
    ],
    [
      "a config without environments",
      { request, commit: SHA, catalog: { ...defaults, config: { layers: {} } } },
      "catalog.config.environments must be an object, received undefined",
    ],
    [
      "an array of environments",
      { request, commit: SHA, catalog: { ...defaults, config: { environments: [] } } },
      "catalog.config.environments must be an object, received array",
    ],
    [
      "a catalog without services",
      { request, commit: SHA, catalog: { config: defaults.config } },
      "catalog.services must be an array, received undefined",
    ],
  ])("throws a TypeError for %s", (_case, input, message) => {
    expectTypeError(() => resolvePlan(input as PlanInput), `[@iac/sync] invalid plan input: ${message}`);
  });
});
