import type { FakeClock, VaultState, VaultToken } from "../types.js";
import { permissionDenied, vaultError, vaultResponse } from "./envelope.js";
import { authenticate, remainingTtl } from "./token-auth.js";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Vault's `auth` block for a token. */
export function authBlock(token: VaultToken, leaseDuration: number): object {
  return {
    client_token: token.token,
    accessor: token.accessor,
    policies: token.policies,
    token_policies: token.policies,
    metadata: token.meta,
    lease_duration: leaseDuration,
    renewable: token.renewable,
    entity_id: "",
    token_type: "service",
    orphan: true,
    mfa_requirement: null,
    num_uses: 0,
  };
}

/** `GET /v1/auth/token/lookup-self`. */
export function lookupSelf(state: VaultState, clock: FakeClock, request: Request): Response {
  const token = authenticate(state, clock, request);
  if (!token) {
    return permissionDenied();
  }
  return vaultResponse({
    mount_type: "token",
    data: {
      accessor: token.accessor,
      creation_time: Math.floor(token.issuedAt / 1000),
      creation_ttl: token.ttl,
      display_name: token.displayName,
      entity_id: "",
      expire_time: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
      explicit_max_ttl: token.explicitMaxTtl,
      id: token.token,
      issue_time: new Date(token.issuedAt).toISOString(),
      meta: token.meta,
      num_uses: 0,
      orphan: true,
      path: token.path,
      policies: token.policies,
      renewable: token.renewable,
      ttl: remainingTtl(token, clock),
      type: "service",
    },
  });
}

/**
 * `POST /v1/auth/token/renew-self {increment?}`: extends the token by `increment` (seconds or "1h"/"30m"/"10s"),
 * or by its creation TTL, capped by `explicitMaxTtl`.
 */
export async function renewSelf(state: VaultState, clock: FakeClock, request: Request): Promise<Response> {
  const token = authenticate(state, clock, request);
  if (!token) {
    return permissionDenied();
  }
  if (!token.renewable || token.expiresAt === null) {
    return vaultError(400, ["lease is not renewable"]);
  }
  const body = (await request.json().catch(() => ({}))) as { increment?: unknown };
  const increment = body.increment === undefined ? token.ttl : parseDuration(body.increment);
  if (increment === undefined) {
    return vaultError(400, [`error parsing increment: invalid duration ${JSON.stringify(body.increment)}`]);
  }
  const warnings: string[] = [];
  let ttl = increment;
  if (token.explicitMaxTtl > 0) {
    const left = Math.floor((token.issuedAt + token.explicitMaxTtl * 1000 - clock.now()) / 1000);
    if (ttl > left) {
      ttl = Math.max(0, left);
      warnings.push(
        `TTL of "${increment}s" exceeded the effective max_ttl of "${ttl}s"; TTL value is capped accordingly`,
      );
    }
  }
  token.expiresAt = clock.now() + ttl * 1000;
  return vaultResponse({ auth: authBlock(token, ttl), warnings: warnings.length > 0 ? warnings : null });
}

function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) {
    return value;
  }
  const match = typeof value === "string" ? value.match(/^(\d+)([smhd]?)$/) : null;
  return match ? Number(match[1]) * (UNITS[match[2] || "s"] ?? 1) : undefined;
}
