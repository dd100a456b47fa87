import { describe, expect, expectTypeOf, it } from "vitest";
import { IacConfigError } from "../src/iac-config-error.js";
import { parseConfig } from "../src/parse-config.js";
import type { IacConfig } from "../src/types.js";
import { validateConfigText } from "../src/validate-config-text.js";

/** An environment's rollback, drift and notification settings when it does not set them. */
const FEEDBACK_DEFAULTS = { rollback: "off", reconcile: "report", notify: [] } as const;

const DEFAULTS: IacConfig = {
  layers: { platform: "auto", bootstrap: "manual", finance_report: "ignore", finance: "ignore" },
  shared: [{ paths: ["libs/**"], services: "*" }],
  environments: {
    staging: {
      env: "staging",
      domainSuffix: "-staging",
      dokployEnvironment: "staging",
      dataPath: "/data/{layer}/{service}{suffix}",
      ...FEEDBACK_DEFAULTS,
    },
    production: {
      env: "production",
      domainSuffix: "",
      dokployEnvironment: "production",
      dataPath: "/data/{layer}/{service}{suffix}",
      ...FEEDBACK_DEFAULTS,
    },
  },
  services: {},
};

const FULL = `
layers:
  infra: auto
  ops: manual
  apps: ignore
shared:
  - paths: ["common/**", "scripts/*.sh"]
    services: "*"
  - paths: [pg-shared/**]
    services: [postgres]
environments:
  staging:
    domainSuffix: -stg
    dataPath: /srv/{env}/{service}
  production: {}
  preview:
    env: dev
    dokployEnvironment: previews
services:
  postgres:
    compose: deploy/compose.yaml
    files: ["../shared/pg/**", "/templates/pg.conf"]
    dokploy: { project: databases, environment: "{env}-db", compose: pg }
    vault: ["secret/data/platform/{env}/postgres"]
    env: { PGPORT: "5432", EMPTY: "" }
  redis: {}
`;

describe("parseConfig", () => {
  it.each([
    ["no text", undefined],
    ["an empty file", ""],
    ["a file with only whitespace", "  \n\t\n"],
    ["a file with only comments", "# nothing configured yet\n"],
    ["an explicit null document", "~\n"],
  ])("returns the defaults of the original runner for %s", (_name, text) => {
    expect(parseConfig(text)).toEqual(DEFAULTS);
  });

  it("reads rollback, drift correction, notifications and probes", () => {
    const config = parseConfig(`
environments:
  production:
    rollback: auto
    reconcile: correct
    notify:
      - { type: slack, url: $SLACK_URL }
      - { type: webhook, url: "https://hooks.example.com/iac", secret: $HOOK_KEY, on: all }
services:
  api: { probe: { url: "https://api{suffix}.example.com/healthz", timeoutSeconds: 120 } }
  web: { probe: { url: "http://web:8080/" } }
`);
    expect(config.environments).toEqual({
      production: {
        env: "production",
        domainSuffix: "",
        dokployEnvironment: "production",
        dataPath: "/data/{layer}/{service}{suffix}",
        rollback: "auto",
        reconcile: "correct",
        notify: [
          { type: "slack", url: "$SLACK_URL", secret: null, on: "failure" },
          { type: "webhook", url: "https://hooks.example.com/iac", secret: "$HOOK_KEY", on: "all" },
        ],
      },
    });
    expect(config.services["api"]?.probe).toEqual({
      url: "https://api{suffix}.example.com/healthz",
      timeoutSeconds: 120,
    });
    expect(config.services["web"]?.probe).toEqual({ url: "http://web:8080/", timeoutSeconds: 60 });
  });

  it("names the key, the expectation and the value of each bad feedback setting", () => {
    const text = `
environments:
  production:
    rollback: yes please
    notify:
      - { type: webhook, url: $HOOK }
      - { type: slack, url: $SLACK, secret: $KEY }
      - { type: webhook, url: $HOOK, secret: plain-text-key }
services:
  api: { probe: { url: "https://{layer}.example.com/" } }
`;
    expect(() => parseConfig(text)).toThrow(IacConfigError);
    const problems = validateConfigText(text).problems.map(({ keyPath, message }) => `${keyPath}: ${message}`);
    expect(problems).toEqual([
      'environments.production.rollback: expected "auto" | "off", received "yes please"',
      "environments.production.notify[0]: expected a secret ($NAME) for a webhook, which is always signed, received a mapping",
      'environments.production.notify[1].secret: expected no secret for slack (its URL is the credential), received "$KEY"',
      "environments.production.notify[2].secret: expected $NAME of the runner's variable holding the signing key (never the key itself); the value is not shown",
      'services.api.probe.url: expected only the placeholders {env}, {service} and {suffix}, received "{layer}"',
    ]);
  });

  it("reads every setting and fills in the defaults of omitted fields", () => {
    expect(parseConfig(FULL)).toEqual({
      layers: { infra: "auto", ops: "manual", apps: "ignore" },
      shared: [
        { paths: ["common/**", "scripts/*.sh"], services: "*" },
        { paths: ["pg-shared/**"], services: ["postgres"] },
      ],
      environments: {
        staging: {
          env: "staging",
          domainSuffix: "-stg",
          dokployEnvironment: "staging",
          dataPath: "/srv/{env}/{service}",
          ...FEEDBACK_DEFAULTS,
        },
        production: {
          env: "production",
          domainSuffix: "",
          dokployEnvironment: "production",
          dataPath: "/data/{layer}/{service}{suffix}",
          ...FEEDBACK_DEFAULTS,
        },
        preview: {
          env: "dev",
          domainSuffix: "-preview",
          dokployEnvironment: "previews",
          dataPath: "/data/{layer}/{service}{suffix}",
          ...FEEDBACK_DEFAULTS,
        },
      },
      services: {
        postgres: {
          compose: "deploy/compose.yaml",
          files: ["../shared/pg/**", "/templates/pg.conf"],
          dokploy: { project: "databases", environment: "{env}-db", compose: "pg" },
          vault: ["secret/data/platform/{env}/postgres"],
          env: { PGPORT: "5432", EMPTY: "" },
          probe: null,
        },
        redis: {
          compose: null,
          files: [],
          dokploy: { project: null, environment: null, compose: null },
          vault: [],
          env: {},
          probe: null,
        },
      },
    } satisfies IacConfig);
  });

  it("keeps the defaults of top-level keys that are not given", () => {
    const config = parseConfig('services:\n  postgres:\n    vault: ["secret/data/platform/{env}/postgres"]\n');
    expect(config.layers).toEqual(DEFAULTS.layers);
    expect(config.shared).toEqual(DEFAULTS.shared);
    expect(config.environments).toEqual(DEFAULTS.environments);
  });

  it("replaces a top-level default entirely when the key is given", () => {
    expect(parseConfig("layers: { infra: auto }\nshared: []\n")).toMatchObject({
      layers: { infra: "auto" },
      shared: [],
    });
  });

  it("returns a frozen config", () => {
    const config = parseConfig(FULL);
    expect(Object.isFrozen(config)).toBe(true);
    const { postgres } = config.services;
    expect(Object.isFrozen(postgres?.vault)).toBe(true);
    expect(Object.isFrozen(parseConfig().layers)).toBe(true);
  });

  it("is typed as IacConfig", () => {
    expectTypeOf(parseConfig).returns.toEqualTypeOf<IacConfig>();
  });

  const invalid: [string, { yaml: string; keyPath: string; message: string }][] = [
    [
      "a number in a list of Vault paths",
      {
        yaml: "services:\n  postgres:\n    vault: [3]\n",
        keyPath: "services.postgres.vault[0]",
        message: "at services.postgres.vault[0]: expected a non-empty string, received 3",
      },
    ],
    [
      "an unknown layer mode",
      {
        yaml: "layers: { platform: yes }",
        keyPath: "layers.platform",
        message: 'at layers.platform: expected "auto" | "manual" | "ignore", received "yes"',
      },
    ],
    [
      "a misspelt top-level key",
      { yaml: "layer: { platform: auto }", keyPath: "layer", message: 'unknown key "layer", expected one of layers' },
    ],
    [
      "a misspelt service key",
      { yaml: "services: { pg: { compse: a.yaml } }", keyPath: "services.pg.compse", message: 'unknown key "compse"' },
    ],
    [
      "a misspelt Dokploy key",
      {
        yaml: "services: { pg: { dokploy: { projet: x } } }",
        keyPath: "services.pg.dokploy.projet",
        message: "expected one of project, environment, compose",
      },
    ],
    [
      "a misspelt environment key",
      {
        yaml: "environments: { staging: { domainsuffix: x } }",
        keyPath: "environments.staging.domainsuffix",
        message: 'unknown key "domainsuffix"',
      },
    ],
    [
      "a list as the document",
      { yaml: "- a\n- b\n", keyPath: "", message: "yaml: expected a mapping, received a list" },
    ],
    ["a scalar as the document", { yaml: "hello", keyPath: "", message: 'expected a mapping, received "hello"' }],
    [
      "duplicate keys",
      { yaml: "layers: {}\nlayers: {}\n", keyPath: "", message: "expected valid YAML, Map keys must be unique" },
    ],
    ["broken YAML", { yaml: "layers: [", keyPath: "", message: "expected valid YAML" }],
    [
      "a null section",
      { yaml: "services:\n", keyPath: "services", message: "at services: expected a mapping, received null" },
    ],
    [
      "a layer key with ..",
      { yaml: "layers: { ../x: auto }", keyPath: 'layers["../x"]', message: "expected a folder path" },
    ],
    [
      "a layer key with a glob",
      { yaml: "layers: { 'plat*': auto }", keyPath: 'layers["plat*"]', message: "without glob characters" },
    ],
    [
      "nested layers",
      {
        yaml: "layers: { a/b: auto, a: manual }",
        keyPath: "layers.a",
        message: 'expected a folder outside the layer "a/b"',
      },
    ],
    [
      "shared without paths",
      {
        yaml: "shared: [{ services: '*' }]",
        keyPath: "shared[0].paths",
        message: "expected a list, received undefined",
      },
    ],
    [
      "shared with no globs",
      {
        yaml: "shared: [{ paths: [], services: '*' }]",
        keyPath: "shared[0].paths",
        message: "expected at least one glob",
      },
    ],
    [
      "shared with an absolute glob",
      {
        yaml: "shared: [{ paths: [/libs/**], services: '*' }]",
        keyPath: "shared[0].paths[0]",
        message: "relative to the repository root",
      },
    ],
    [
      "shared with a broken glob",
      {
        yaml: "shared: [{ paths: ['libs/{a'], services: '*' }]",
        keyPath: "shared[0].paths[0]",
        message: 'expected "}" to close "{"',
      },
    ],
    [
      "shared with a bad target",
      {
        yaml: "shared: [{ paths: [x], services: all }]",
        keyPath: "shared[0].services",
        message: '"*" or a non-empty list of service names, received "all"',
      },
    ],
    [
      "shared with no targets",
      { yaml: "shared: [{ paths: [x], services: [] }]", keyPath: "shared[0].services", message: "received a list" },
    ],
    [
      "no environments",
      { yaml: "environments: {}", keyPath: "environments", message: "expected at least one environment" },
    ],
    [
      "a bad environment name",
      { yaml: "environments: { 'stag ing': {} }", keyPath: 'environments["stag ing"]', message: "an environment name" },
    ],
    [
      "an unknown placeholder in dataPath",
      {
        yaml: "environments: { staging: { dataPath: '/d/{stage}' } }",
        keyPath: "environments.staging.dataPath",
        message: 'placeholders {env}, {service}, {layer} and {suffix}, received "{stage}"',
      },
    ],
    [
      "a number as domain suffix",
      {
        yaml: "environments: { staging: { domainSuffix: 1 } }",
        keyPath: "environments.staging.domainSuffix",
        message: "expected a string, received 1",
      },
    ],
    [
      "a service name with a slash",
      { yaml: "services: { platform/pg: {} }", keyPath: 'services["platform/pg"]', message: "a service name" },
    ],
    [
      "a compose path leaving the folder",
      {
        yaml: "services: { pg: { compose: ../compose.yaml } }",
        keyPath: "services.pg.compose",
        message: "a file path inside the service folder",
      },
    ],
    [
      "a compose glob",
      {
        yaml: "services: { pg: { compose: '*.yaml' } }",
        keyPath: "services.pg.compose",
        message: "a file path inside the service folder",
      },
    ],
    [
      "a .. in the middle of a files glob",
      {
        yaml: "services: { pg: { files: [a/../b] } }",
        keyPath: "services.pg.files[0]",
        message: "a glob relative to the service folder",
      },
    ],
    [
      "a .. after a leading slash",
      {
        yaml: "services: { pg: { files: [/../b] } }",
        keyPath: "services.pg.files[0]",
        message: "a glob relative to the service folder",
      },
    ],
    [
      "a files glob of only ..",
      {
        yaml: "services: { pg: { files: [../..] } }",
        keyPath: "services.pg.files[0]",
        message: "a glob relative to the service folder",
      },
    ],
    [
      "files as a string",
      {
        yaml: "services: { pg: { files: x/** } }",
        keyPath: "services.pg.files",
        message: 'expected a list, received "x/**"',
      },
    ],
    [
      "an unknown placeholder in a Vault path",
      {
        yaml: "services: { pg: { vault: ['secret/{environment}/pg'] } }",
        keyPath: "services.pg.vault[0]",
        message: 'received "{environment}"',
      },
    ],
    [
      "an unknown placeholder in the Dokploy environment",
      {
        yaml: "services: { pg: { dokploy: { environment: '{name}' } } }",
        keyPath: "services.pg.dokploy.environment",
        message: 'received "{name}"',
      },
    ],
    [
      "an empty Dokploy project",
      {
        yaml: "services: { pg: { dokploy: { project: '' } } }",
        keyPath: "services.pg.dokploy.project",
        message: 'expected a non-empty string, received ""',
      },
    ],
    [
      "a null dokploy section",
      {
        yaml: "services: { pg: { dokploy: ~ } }",
        keyPath: "services.pg.dokploy",
        message: "expected a mapping, received null",
      },
    ],
    [
      "an unquoted number in env",
      {
        yaml: "services: { pg: { env: { PORT: 5432 } } }",
        keyPath: "services.pg.env.PORT",
        message: "expected a string, received 5432",
      },
    ],
    [
      "a boolean in env",
      {
        yaml: "services: { pg: { env: { DEBUG: true } } }",
        keyPath: "services.pg.env.DEBUG",
        message: "expected a string, received true",
      },
    ],
    [
      "a __proto__ key",
      {
        yaml: "services: { __proto__: { compose: x.yaml } }",
        keyPath: "services.__proto__",
        message: "expected a key other than __proto__",
      },
    ],
    [
      "a bad env variable name",
      {
        yaml: "services: { pg: { env: { 1X: a } } }",
        keyPath: 'services.pg.env["1X"]',
        message: "an environment variable name",
      },
    ],
  ];

  it.each(invalid)("rejects %s, naming the key path", (_name, { yaml, keyPath, message }) => {
    let thrown: unknown;
    try {
      parseConfig(yaml);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IacConfigError);
    const error = thrown as IacConfigError;
    expect(error.keyPath).toBe(keyPath);
    expect(error.name).toBe("IacConfigError");
    expect(error.message).toMatch(/^\[@iac\/sync\] invalid iac\.config\.yaml/);
    expect(error.message).toContain(message);
  });
});
