import { type HttpHandler, http } from "msw";
import { createFakeClock } from "../shared/fake-clock.js";
import { createFaultInjector } from "../shared/fault-injector.js";
import type { FakeVault, FakeVaultOptions } from "../types.js";
import { appRoleLogin } from "./approle-handlers.js";
import { permissionDenied, vaultFaultBody } from "./envelope.js";
import { handleKv, isList, type KvHost } from "./kv-handlers.js";
import { createVaultStore, trimSlashes } from "./state.js";
import { allows, authenticate } from "./token-auth.js";
import { lookupSelf, renewSelf } from "./token-handlers.js";

const DEFAULT_TOKEN = "test-vault-token";
const KV_OPERATIONS = new Set(["data", "metadata", "delete", "undelete", "destroy"]);

/**
 * Creates a fake Vault: KV v2 with versions and soft delete, token lookup-self/renew-self with TTLs on a manual clock,
 * AppRole login, and per-token allowed paths. Secrets are stored per `X-Vault-Namespace`; tokens work in every namespace.
 *
 * @example
 * const vault = createFakeVault({ tokens: [{ token: "t", ttl: 3600, allow: ["secret/data/app/*"] }] });
 * vault.seed.secret("app/prod", { DB_PASSWORD: "x" });
 * const server = setupServer(...vault.handlers);
 */
export function createFakeVault(options: FakeVaultOptions = {}): FakeVault {
  const address = (options.address ?? "http://vault.test").replace(/\/+$/, "");
  const clock = options.clock ?? createFakeClock();
  const { state, seed, secretKey } = createVaultStore(clock, options.kvMounts ?? ["secret"]);
  const faults = createFaultInjector(vaultFaultBody);
  const tokens = (options.tokens ?? [DEFAULT_TOKEN]).map((t) => seed.token(typeof t === "string" ? { token: t } : t));
  for (const role of options.appRoles ?? []) {
    seed.appRole(role);
  }
  const host: KvHost = { state, seed, clock };

  const route = async (request: Request, logicalPath: string): Promise<Response | undefined> => {
    if (logicalPath === "auth/token/lookup-self" && request.method === "GET") {
      return lookupSelf(state, clock, request);
    }
    if (logicalPath === "auth/token/renew-self" && (request.method === "POST" || request.method === "PUT")) {
      return renewSelf(state, clock, request);
    }
    const login = logicalPath.match(/^auth\/(.+)\/login$/);
    if (login?.[1] && request.method !== "GET" && [...state.appRoles.values()].some((r) => r.mount === login[1])) {
      return appRoleLogin(state, seed, login[1], request);
    }
    const mount = [...state.kvMounts].sort((a, b) => b.length - a.length).find((m) => logicalPath.startsWith(`${m}/`));
    const rest = mount === undefined ? [] : logicalPath.slice(mount.length + 1).split("/");
    const [operation, ...segments] = rest;
    const listsRoot = operation === "metadata" && isList(request);
    if (mount === undefined || operation === undefined || !KV_OPERATIONS.has(operation)) {
      return undefined;
    }
    if (segments.length === 0 && !listsRoot) {
      return undefined;
    }
    const token = authenticate(state, clock, request);
    if (!token || !allows(token.allow, logicalPath)) {
      return permissionDenied();
    }
    const namespace = trimSlashes(request.headers.get("x-vault-namespace") ?? "");
    const path = segments.join("/");
    return handleKv(host, { request, namespace, mount, operation, path, key: secretKey(path, { mount, namespace }) });
  };

  const handlers: HttpHandler[] = [
    http.all(`${address}/v1/*`, async ({ request }) => {
      const pathname = new URL(request.url).pathname;
      const injected = await faults.apply(request, pathname);
      if (injected) {
        return injected;
      }
      return route(request, decodeURIComponent(trimSlashes(pathname.slice("/v1".length))));
    }),
  ];

  return {
    handlers,
    state,
    seed,
    clock,
    address,
    token: tokens[0]?.token ?? "",
    secretKey,
    inject: faults.inject,
    clearFaults: faults.clear,
  };
}
