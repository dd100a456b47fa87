import { randomSuffix } from "../shared/random-id.js";
import type { VaultSeed, VaultState } from "../types.js";
import { vaultError, vaultResponse } from "./envelope.js";
import { authBlock } from "./token-handlers.js";

/** `POST /v1/auth/<mount>/login {role_id, secret_id}`: issues a new token for a known role and secret id. */
export async function appRoleLogin(
  state: VaultState,
  seed: VaultSeed,
  mount: string,
  request: Request,
): Promise<Response> {
  const body = (await request.json().catch(() => ({}))) as { role_id?: unknown; secret_id?: unknown };
  if (typeof body.role_id !== "string" || body.role_id === "") {
    return vaultError(400, ["missing role_id"]);
  }
  const role = state.appRoles.get(`${mount}:${body.role_id}`);
  if (!role || typeof body.secret_id !== "string" || !role.secretIds.has(body.secret_id)) {
    return vaultError(400, ["invalid role or secret ID"]);
  }
  const token = seed.token({
    token: `hvs.${randomSuffix(24)}`,
    policies: role.policies,
    allow: role.allow,
    ttl: role.ttl,
    renewable: true,
    meta: { role_name: role.roleName },
    displayName: mount,
    path: `auth/${mount}/login`,
  });
  return vaultResponse({ auth: authBlock(token, token.ttl) });
}
