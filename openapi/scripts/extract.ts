/**
 * Extracts the operations the project uses from the upstream Dokploy and Vault OpenAPI documents, together with
 * every `components` entry they reference (transitively), and writes them unchanged to
 * `openapi/dokploy/openapi.json` and `openapi/vault/openapi.json`.
 *
 * Usage:
 *   node --import tsx openapi/scripts/extract.ts --dokploy <file-or-url> --vault <file-or-url>
 *
 * A URL may be the spec itself or the base URL of a live instance:
 * - Dokploy: `https://dokploy.example.com` (or `…/api`) fetches `/api/settings.getOpenApiDocument`; needs an API key
 *   in `--dokploy-api-key` or `DOKPLOY_API_KEY`.
 * - Vault: `https://vault.example.com:8200` fetches `/v1/sys/internal/specs/openapi?generic_mount_paths=true`
 *   (unauthenticated; `VAULT_TOKEN` and `VAULT_NAMESPACE` are sent when set).
 * Either flag may be omitted to refresh only the other API.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

type JsonObject = { [key: string]: unknown };

interface OpenApiDocument extends JsonObject {
  paths?: unknown;
  components?: unknown;
  tags?: unknown;
}

/** The operations kept per API, as `path → methods`. */
const OPERATIONS: Record<"dokploy" | "vault", Record<string, string[]>> = {
  dokploy: {
    "/project.all": ["get"],
    "/project.one": ["get"],
    "/project.create": ["post"],
    "/project.update": ["post"],
    "/environment.create": ["post"],
    "/environment.one": ["get"],
    "/environment.byProjectId": ["get"],
    "/environment.update": ["post"],
    "/environment.remove": ["post"],
    "/environment.duplicate": ["post"],
    "/environment.search": ["get"],
    "/compose.one": ["get"],
    "/compose.create": ["post"],
    "/compose.update": ["post"],
    "/compose.saveEnvironment": ["post"],
    "/compose.deploy": ["post"],
    "/compose.redeploy": ["post"],
    "/compose.stop": ["post"],
    "/compose.start": ["post"],
    "/compose.cancelDeployment": ["post"],
    "/compose.killBuild": ["post"],
    "/compose.cleanQueues": ["post"],
    "/compose.delete": ["post"],
    "/compose.move": ["post"],
    "/deployment.allByCompose": ["get"],
    "/deployment.all": ["get"],
    "/deployment.allByType": ["get"],
    "/deployment.readLogs": ["get"],
    "/deployment.killProcess": ["post"],
    "/deployment.removeDeployment": ["post"],
    "/application.one": ["get"],
    "/application.create": ["post"],
    "/application.update": ["post"],
    "/application.saveEnvironment": ["post"],
    "/application.deploy": ["post"],
    "/application.redeploy": ["post"],
    "/application.stop": ["post"],
    "/application.start": ["post"],
    "/application.reload": ["post"],
    "/application.saveDockerProvider": ["post"],
    "/application.saveBuildType": ["post"],
    "/application.saveGithubProvider": ["post"],
    "/application.saveGitlabProvider": ["post"],
    "/application.saveBitbucketProvider": ["post"],
    "/application.saveGiteaProvider": ["post"],
    "/application.saveGitProvider": ["post"],
    "/application.cancelDeployment": ["post"],
    "/application.move": ["post"],
    "/application.readLogs": ["get"],
    "/mounts.create": ["post"],
    "/mounts.update": ["post"],
    "/mounts.remove": ["post"],
    "/mounts.one": ["get"],
    "/mounts.listByServiceId": ["get"],
    "/domain.create": ["post"],
    "/domain.byComposeId": ["get"],
    "/settings.getOpenApiDocument": ["get"],
  },
  vault: {
    "/{kv_v2_mount_path}/data/{path}": ["get", "post", "patch"],
    "/{kv_v2_mount_path}/metadata/{path}": ["get"],
    "/auth/token/lookup-self": ["get"],
    "/auth/token/renew-self": ["post"],
    "/auth/{approle_mount_path}/login": ["post"],
  },
};

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function collectRefs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) {
      collectRefs(item, into);
    }
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        into.add(value);
      } else {
        collectRefs(value, into);
      }
    }
  }
}

/** `#/components/schemas/a~1b` → `["schemas", "a/b"]` */
function componentOf(ref: string): [string, string] {
  const parts = ref.split("/");
  if (parts.length !== 4 || parts[0] !== "#" || parts[1] !== "components") {
    throw new Error(`[openapi] unsupported $ref ${JSON.stringify(ref)}: expected "#/components/<type>/<name>"`);
  }
  const decode = (part: string): string => part.replaceAll("~1", "/").replaceAll("~0", "~");
  return [decode(parts[2] as string), decode(parts[3] as string)];
}

/** Returns the document reduced to `operations` and the components they reference; everything kept is unchanged. */
function subsetDocument(document: OpenApiDocument, operations: Record<string, string[]>, label: string): JsonObject {
  const upstreamPaths = isObject(document.paths) ? document.paths : {};
  const paths: JsonObject = {};
  const missing: string[] = [];
  for (const [path, methods] of Object.entries(operations)) {
    const item = upstreamPaths[path];
    if (!isObject(item)) {
      missing.push(...methods.map((method) => `${method.toUpperCase()} ${path}`));
      continue;
    }
    const kept: JsonObject = {};
    for (const [key, value] of Object.entries(item)) {
      if (!METHODS.has(key) || methods.includes(key)) {
        kept[key] = value;
      }
    }
    missing.push(...methods.filter((method) => !isObject(item[method])).map((m) => `${m.toUpperCase()} ${path}`));
    paths[path] = kept;
  }
  if (missing.length > 0) {
    throw new Error(`[openapi] ${label} spec lacks operations the project uses: ${missing.join(", ")}`);
  }

  const upstreamComponents = isObject(document.components) ? document.components : {};
  const wanted = new Set<string>();
  const pending = new Set<string>();
  collectRefs(paths, pending);
  while (pending.size > 0) {
    const [ref] = pending;
    pending.delete(ref as string);
    if (wanted.has(ref as string)) {
      continue;
    }
    wanted.add(ref as string);
    const [type, name] = componentOf(ref as string);
    const section = upstreamComponents[type];
    if (!isObject(section) || !Object.hasOwn(section, name)) {
      throw new Error(`[openapi] ${label} spec: ${ref} is referenced but not defined`);
    }
    collectRefs(section[name], pending);
  }

  const components: JsonObject = {};
  for (const [type, section] of Object.entries(upstreamComponents)) {
    if (!isObject(section)) {
      continue;
    }
    const kept: JsonObject = {};
    for (const [name, value] of Object.entries(section)) {
      // Security schemes are referenced by name from `security`, not by $ref: keep them all (there are few).
      if (
        type === "securitySchemes" ||
        wanted.has(`#/components/${type}/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`)
      ) {
        kept[name] = value;
      }
    }
    if (Object.keys(kept).length > 0) {
      components[type] = kept;
    }
  }

  const usedTags = new Set<string>();
  for (const item of Object.values(paths)) {
    for (const [key, operation] of Object.entries(item as JsonObject)) {
      const { tags } = isObject(operation) ? operation : {};
      if (METHODS.has(key) && Array.isArray(tags)) {
        for (const tag of tags) {
          usedTags.add(String(tag));
        }
      }
    }
  }

  const result: OpenApiDocument = {};
  for (const [key, value] of Object.entries(document)) {
    if (key === "paths") {
      result.paths = paths;
    } else if (key === "components") {
      result.components = components;
    } else if (key === "tags" && Array.isArray(value)) {
      result.tags = value.filter((tag: unknown) => {
        const { name } = isObject(tag) ? tag : {};
        return usedTags.has(String(name));
      });
    } else if (key !== "webhooks") {
      result[key] = value;
    }
  }
  return result;
}

function specUrl(api: "dokploy" | "vault", source: URL): URL {
  const path = source.pathname.replace(/\/+$/, "");
  if (api === "dokploy") {
    if (path.endsWith("/settings.getOpenApiDocument") || path.endsWith(".json")) {
      return source;
    }
    return new URL(`${path.replace(/\/api$/, "")}/api/settings.getOpenApiDocument`, source);
  }
  if (path.endsWith("/sys/internal/specs/openapi") || path.endsWith(".json")) {
    return source;
  }
  const url = new URL(`${path.replace(/\/v1$/, "")}/v1/sys/internal/specs/openapi`, source);
  url.searchParams.set("generic_mount_paths", "true");
  return url;
}

async function load(api: "dokploy" | "vault", source: string, apiKey: string | undefined): Promise<string> {
  if (!/^https?:\/\//.test(source)) {
    return readFile(source, "utf8");
  }
  const url = specUrl(api, new URL(source));
  const headers: Record<string, string> = { accept: "application/json" };
  if (api === "dokploy") {
    if (apiKey === undefined) {
      throw new Error(
        "[openapi] fetching the Dokploy spec needs an API key: pass --dokploy-api-key or set DOKPLOY_API_KEY",
      );
    }
    headers["x-api-key"] = apiKey;
  } else {
    const { VAULT_TOKEN: token, VAULT_NAMESPACE: namespace } = process.env;
    if (token) {
      headers["X-Vault-Token"] = token;
    }
    if (namespace) {
      headers["X-Vault-Namespace"] = namespace;
    }
  }
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
  if (!response.ok) {
    throw new Error(`[openapi] GET ${url.origin}${url.pathname}: expected status 200, received ${response.status}`);
  }
  return response.text();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dokploy: { type: "string" },
      vault: { type: "string" },
      "dokploy-api-key": { type: "string" },
    },
  });
  if (values.dokploy === undefined && values.vault === undefined) {
    throw new Error("[openapi] nothing to extract: expected --dokploy <file-or-url> and/or --vault <file-or-url>");
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const { DOKPLOY_API_KEY } = process.env;
  const apiKey = values["dokploy-api-key"] ?? DOKPLOY_API_KEY;
  for (const api of ["dokploy", "vault"] as const) {
    const source = values[api];
    if (source === undefined) {
      continue;
    }
    const text = await load(api, source, apiKey);
    const subset = subsetDocument(JSON.parse(text) as OpenApiDocument, OPERATIONS[api], api);
    const out = join(root, api, "openapi.json");
    await writeFile(out, `${JSON.stringify(subset, null, 2)}\n`);
    const sha256 = createHash("sha256").update(text).digest("hex");
    const count = Object.values(OPERATIONS[api]).flat().length;
    console.log(`${api}: ${count} operations from ${source} (sha256 ${sha256}) → ${out}`);
  }
}

await main();
