import type { FakeClock, VaultState, VaultToken } from "../types.js";

/** The token of a request (`X-Vault-Token`, or `Authorization: Bearer`), if it is known and not expired. */
export function authenticate(state: VaultState, clock: FakeClock, request: Request): VaultToken | undefined {
  const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  const value = request.headers.get("x-vault-token") ?? bearer;
  const token = value === undefined ? undefined : state.tokens.get(value);
  if (!token || (token.expiresAt !== null && token.expiresAt <= clock.now())) {
    return undefined;
  }
  return token;
}

/** Whether `allow` patterns permit a logical path: `"a/b/*"` matches by prefix, anything else exactly. */
export function allows(allow: readonly string[], logicalPath: string): boolean {
  return allow.some((pattern) =>
    pattern.endsWith("*") ? logicalPath.startsWith(pattern.slice(0, -1)) : logicalPath === pattern,
  );
}

/** Seconds until the token expires; 0 for tokens that never expire. */
export function remainingTtl(token: VaultToken, clock: FakeClock): number {
  return token.expiresAt === null ? 0 : Math.max(0, Math.ceil((token.expiresAt - clock.now()) / 1000));
}
