import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validateConfigText } from "../src/validate-config-text.js";

const schemaUrl = new URL("../iac.config.schema.json", import.meta.url);
const schema = JSON.parse(readFileSync(schemaUrl, "utf8")) as { $schema: string; description: string };
const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  files: string[];
  exports: Record<string, unknown>;
};
const checkSchema = new Ajv({ allErrors: true, strict: true }).compile(schema);

const VALID: [string, string][] = [
  ["an empty document", "# nothing configured yet\n"],
  ["an explicit null document", "~\n"],
  [
    "every setting",
    `
layers: { infra: auto, ops/tools: manual, apps: ignore }
shared:
  - paths: ["common/**", "scripts/*.sh", "{a,b}/x", "a\\\\{b", "a\\\\[b\\\\]\\\\(c\\\\|d\\\\)", "\\\\!x", "a!b", "@scope/x+y"]
    services: "*"
  - paths: [pg-shared/**, ...x]
    services: [postgres]
environments:
  staging: { domainSuffix: -stg, dataPath: "/srv/{env}/{layer}/{service}{suffix}" }
  production: {}
  preview_2: { env: dev, dokployEnvironment: previews, domainSuffix: "" }
services:
  postgres:
    compose: deploy/compose.yaml
    files: ["../shared/pg/**", "/templates/pg.conf", "../", "/", "a//b", 'a\\\\']
    dokploy: { project: databases, environment: "{env}-db", compose: pg }
    vault: ["secret/data/platform/{env}/postgres", "{{env}}", "{env"]
    env: { PGPORT: "5432", EMPTY: "", _X: y }
  redis: {}
  "my.app": { compose: a..b/c...yaml }
`,
  ],
  ["shared paths replaced by nothing", "shared: []\n"],
  ["a service without settings", "services: { pg: {} }\n"],
  [
    "rollback, drift correction and notifications",
    `
environments:
  production:
    rollback: auto
    reconcile: correct
    notify:
      - { type: slack, url: $SLACK_URL }
      - { type: webhook, url: "https://hooks.example.com/iac", secret: $HOOK_KEY, on: all }
  staging: { rollback: "off", reconcile: report, notify: [] }
services:
  api: { probe: { url: "https://api{suffix}.example.com/healthz?s={service}&e={env}", timeoutSeconds: 120 } }
  web: { probe: { url: "http://web:8080/" } }
`,
  ],
];

const INVALID: [string, string][] = [
  ["a list as the document", "- a\n- b\n"],
  ["a scalar as the document", "hello"],
  ["a misspelt top-level key", "layer: { platform: auto }"],
  ["a null section", "services:\n"],
  ["an unknown layer mode", "layers: { platform: yes }"],
  ["a layer key with ..", "layers: { ../x: auto }"],
  ["a layer key with an empty segment", "layers: { a//b: auto }"],
  ["a layer key with a glob", "layers: { 'plat*': auto }"],
  ["a __proto__ layer", "layers: { __proto__: auto }"],
  ["shared without paths", "shared: [{ services: '*' }]"],
  ["shared without services", "shared: [{ paths: [x] }]"],
  ["shared with no globs", "shared: [{ paths: [], services: '*' }]"],
  ["shared with an absolute glob", "shared: [{ paths: [/libs/**], services: '*' }]"],
  ["shared with a .. glob", "shared: [{ paths: [libs/../x], services: '*' }]"],
  ["shared with a . glob", "shared: [{ paths: [./x], services: '*' }]"],
  ["shared with an empty glob", "shared: [{ paths: [''], services: '*' }]"],
  ["shared with a glob ending in a lone backslash", "shared: [{ paths: ['libs\\'], services: '*' }]"],
  ["a files glob ending in a lone backslash", "services: { pg: { files: ['../a\\\\\\'] } }"],
  ["a character class in a shared glob", "shared: [{ paths: ['platform/[ab]/**'], services: '*' }]"],
  ["an extglob in a shared glob", "shared: [{ paths: ['libs/@(a|b)/**'], services: '*' }]"],
  ["a + extglob in a files glob", "services: { pg: { files: ['+(x)'] } }"],
  ["a ! extglob in a files glob", "services: { pg: { files: ['conf/!(x)'] } }"],
  ["a | alternative in a files glob", "services: { pg: { files: ['a|b'] } }"],
  ["a class after an escaped backslash", "services: { pg: { files: ['a\\\\[b]'] } }"],
  ["a negated shared glob", "shared: [{ paths: ['!libs/**'], services: '*' }]"],
  ["a negated files glob", "services: { pg: { files: ['!secret.env'] } }"],
  ["shared with a bad target", "shared: [{ paths: [x], services: all }]"],
  ["shared with no targets", "shared: [{ paths: [x], services: [] }]"],
  ["shared with an empty target", "shared: [{ paths: [x], services: [''] }]"],
  ["shared with an extra key", "shared: [{ paths: [x], services: '*', when: push }]"],
  ["no environments", "environments: {}"],
  ["a bad environment name", "environments: { 'stag ing': {} }"],
  ["an environment name starting with _", "environments: { _x: {} }"],
  ["a misspelt environment key", "environments: { staging: { domainsuffix: x } }"],
  ["an unknown placeholder in dataPath", "environments: { staging: { dataPath: '/d/{stage}' } }"],
  ["an empty placeholder in dataPath", "environments: { staging: { dataPath: '/d/{}' } }"],
  ["a dataPath placeholder in a Vault path", "services: { pg: { vault: ['secret/{layer}/pg'] } }"],
  ["a dataPath placeholder in the Dokploy environment", "services: { pg: { dokploy: { environment: '{suffix}' } } }"],
  ["a number as domain suffix", "environments: { staging: { domainSuffix: 1 } }"],
  ["an empty env", "environments: { staging: { env: '' } }"],
  ["a service name with a slash", "services: { platform/pg: {} }"],
  ["a service name with a leading space", "services: { ' pg': {} }"],
  ["a __proto__ service", "services: { __proto__: { compose: x.yaml } }"],
  ["a misspelt service key", "services: { pg: { compse: a.yaml } }"],
  ["a compose path leaving the folder", "services: { pg: { compose: ../compose.yaml } }"],
  ["a compose glob", "services: { pg: { compose: '*.yaml' } }"],
  ["a compose path with an empty segment", "services: { pg: { compose: a//b.yaml } }"],
  ["a .. in the middle of a files glob", "services: { pg: { files: [a/../b] } }"],
  ["a .. after a leading slash", "services: { pg: { files: [/../b] } }"],
  ["a files glob of only ..", "services: { pg: { files: [../..] } }"],
  ["a files glob starting with ./", "services: { pg: { files: [./x] } }"],
  ["files as a string", "services: { pg: { files: x/** } }"],
  ["an unknown placeholder in a Vault path", "services: { pg: { vault: ['secret/{environment}/pg'] } }"],
  ["a number in a list of Vault paths", "services: { pg: { vault: [3] } }"],
  ["an unknown placeholder in the Dokploy environment", "services: { pg: { dokploy: { environment: '{name}' } } }"],
  ["an empty Dokploy project", "services: { pg: { dokploy: { project: '' } } }"],
  ["a misspelt Dokploy key", "services: { pg: { dokploy: { projet: x } } }"],
  ["a null dokploy section", "services: { pg: { dokploy: ~ } }"],
  ["an unquoted number in env", "services: { pg: { env: { PORT: 5432 } } }"],
  ["a boolean in env", "services: { pg: { env: { DEBUG: true } } }"],
  ["a bad env variable name", "services: { pg: { env: { 1X: a } } }"],
  ["an unknown rollback mode", "environments: { production: { rollback: on } }"],
  ["a boolean rollback", "environments: { production: { rollback: true } }"],
  ["an unknown reconcile mode", "environments: { production: { reconcile: fix } }"],
  ["notify as a mapping", "environments: { production: { notify: { type: slack, url: $X } } }"],
  ["a notify target without a type", "environments: { production: { notify: [{ url: $X }] } }"],
  ["a notify target without a url", "environments: { production: { notify: [{ type: slack }] } }"],
  ["an unknown notify type", "environments: { production: { notify: [{ type: email, url: $X }] } }"],
  [
    "a notify url that is neither a URL nor $NAME",
    "environments: { production: { notify: [{ type: slack, url: X }] } }",
  ],
  ["a notify url of another scheme", "environments: { production: { notify: [{ type: slack, url: 'ftp://x/y' }] } }"],
  ["an unknown notify outcome", "environments: { production: { notify: [{ type: slack, url: $X, on: success }] } }"],
  ["a webhook without a secret", "environments: { production: { notify: [{ type: webhook, url: $X }] } }"],
  [
    "a webhook secret written out",
    "environments: { production: { notify: [{ type: webhook, url: $X, secret: hunter2hunter2 }] } }",
  ],
  ["a secret for slack", "environments: { production: { notify: [{ type: slack, url: $X, secret: $K }] } }"],
  ["a misspelt notify key", "environments: { production: { notify: [{ type: slack, url: $X, when: all }] } }"],
  ["a probe without a url", "services: { api: { probe: { timeoutSeconds: 5 } } }"],
  ["a probe as a string", "services: { api: { probe: 'https://api/health' } }"],
  ["a probe url that is not http", "services: { api: { probe: { url: 'tcp://api:5432' } } }"],
  ["an unknown placeholder in a probe url", "services: { api: { probe: { url: 'https://{layer}.x/h' } } }"],
  ["a probe timeout of zero", "services: { api: { probe: { url: 'https://a/h', timeoutSeconds: 0 } } }"],
  ["a fractional probe timeout", "services: { api: { probe: { url: 'https://a/h', timeoutSeconds: 1.5 } } }"],
  ["a probe timeout over an hour", "services: { api: { probe: { url: 'https://a/h', timeoutSeconds: 3601 } } }"],
];

/**
 * Rules a JSON Schema cannot express: layer folders must not nest, and globs must be well formed. The schema accepts
 * these and the runner refuses them; the schema's description says so.
 */
const SCHEMA_GAPS: [string, string][] = [
  ["nested layers", "layers: { a/b: auto, a: manual }"],
  ["a glob with an unclosed brace", "shared: [{ paths: ['libs/{a'], services: '*' }]"],
  ["a glob with an unopened brace", "services: { pg: { files: ['a}'] } }"],
  ["a ** inside a segment", "shared: [{ paths: ['src/**.ts'], services: '*' }]"],
];

describe("iac.config.schema.json", () => {
  it.each(VALID)("accepts %s, as validateConfigText does", (_name, yaml) => {
    expect(validateConfigText(yaml).problems).toEqual([]);
    expect(checkSchema(parse(yaml)), JSON.stringify(checkSchema.errors)).toBe(true);
  });

  it.each(INVALID)("rejects %s, as validateConfigText does", (_name, yaml) => {
    expect(validateConfigText(yaml).ok).toBe(false);
    expect(checkSchema(parse(yaml))).toBe(false);
  });

  it.each(SCHEMA_GAPS)("accepts %s, which only validateConfigText rejects", (_name, yaml) => {
    expect(validateConfigText(yaml).ok).toBe(false);
    expect(checkSchema(parse(yaml))).toBe(true);
  });

  it("is a valid draft-07 schema that documents where the runner is stricter", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.description).toMatch(/layer folders do not nest and that globs are well formed/);
  });

  it("is published with the package under ./iac.config.schema.json", () => {
    expect(packageJson.files).toContain("iac.config.schema.json");
    expect(packageJson.exports["./iac.config.schema.json"]).toBe("./iac.config.schema.json");
  });
});
