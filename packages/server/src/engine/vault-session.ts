import { createVaultClient, type FetchLike, type KvReadResult } from "@iac/sdk";
import type { Logger, SyncClock, SyncVaultOptions, VaultLocation, VaultSession } from "../types.js";
import { noResponseError } from "./describe-network-error.js";
import { SyncError } from "./sync-error.js";

/** Options of {@link createVaultSession}. */
export interface VaultSessionOptions {
  vault: SyncVaultOptions;
  clock: SyncClock;
  logger: Logger;
  fetch?: FetchLike | undefined;
}

/** Share of a lease after which the token is renewed (or a new login done). */
const REFRESH_AT_SHARE = 2 / 3;

/**
 * Creates a Vault session. With `appRole` it logs in on first use, renews the token once two thirds of its lease
 * have passed (logging in again when renewal is refused), and logs in again once when a read answers 403 (an expired
 * or revoked token looks the same as a missing policy). With a static `token` it learns the token's TTL from
 * `lookup-self` and renews it the same way when it is renewable.
 */
export function createVaultSession(options: VaultSessionOptions): VaultSession {
  const { vault, clock, logger } = options;
  const { appRole } = vault;
  if (appRole === undefined && (vault.token === undefined || vault.token === "")) {
    throw new TypeError(
      "[@iac/server] invalid Vault options: expected a token or AppRole credentials, received neither",
    );
  }
  const client = createVaultClient({
    address: vault.address,
    token: appRole === undefined ? vault.token : undefined,
    namespace: vault.namespace,
    retry: vault.retry,
    fetch: options.fetch,
  });
  let started = false;
  let refreshAt: number | null = null;
  let renewable = false;
  let inflight: Promise<void> | undefined;

  const applyLease = (seconds: number, canRenew: boolean): void => {
    refreshAt = seconds > 0 ? clock.now() + seconds * 1000 * REFRESH_AT_SHARE : null;
    renewable = canRenew;
  };

  const login = async (credentials: NonNullable<SyncVaultOptions["appRole"]>, log: Logger): Promise<void> => {
    const result = await client
      .loginAppRole({ mount: credentials.mount, roleId: credentials.roleId, secretId: credentials.secretId })
      .catch((error: unknown) => {
        throw noResponseError("vault_unreachable", "Vault AppRole login", error);
      });
    if (result.data === undefined) {
      const status = result.response.status;
      throw new SyncError(
        status >= 500 ? "vault_unreachable" : "vault_permission_denied",
        `[@iac/server] Vault AppRole login: expected a token, received ${status}`,
      );
    }
    applyLease(result.data.auth.lease_duration, result.data.auth.renewable);
    log.debug({ leaseSeconds: result.data.auth.lease_duration }, "logged in to Vault with AppRole");
  };

  const renew = async (log: Logger): Promise<boolean> => {
    const result = await client.renewSelf().catch(() => undefined);
    if (result?.data === undefined) {
      return false;
    }
    applyLease(result.data.auth.lease_duration, result.data.auth.renewable);
    log.debug({ leaseSeconds: result.data.auth.lease_duration }, "renewed Vault token");
    return true;
  };

  const refresh = async (force: boolean, log: Logger): Promise<void> => {
    if (!started) {
      started = true;
      if (appRole !== undefined) {
        await login(appRole, log).catch((error: unknown) => {
          started = false;
          throw error;
        });
        return;
      }
      const info = await client.lookupSelf().catch(() => undefined);
      if (info?.data !== undefined) {
        applyLease(info.data.data.ttl, info.data.data.renewable);
      }
      return;
    }
    const due = force || (refreshAt !== null && clock.now() >= refreshAt);
    if (!due) {
      return;
    }
    if (!force && renewable && (await renew(log))) {
      return;
    }
    if (appRole !== undefined) {
      await login(appRole, log);
      return;
    }
    // A static token that cannot be renewed: keep using it until Vault refuses it.
    refreshAt = null;
    log.warn({}, "Vault token is near expiry and cannot be renewed");
  };

  /** One refresh at a time: concurrent reads wait for the same login instead of logging in twice. */
  const ensureFresh = (force: boolean, log: Logger): Promise<void> => {
    inflight ??= refresh(force, log).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    async read(location: VaultLocation, readLogger?: Logger | undefined): Promise<KvReadResult> {
      const log = readLogger ?? logger;
      await ensureFresh(false, log);
      const first = await client.readKv(location);
      if (first.kind !== "forbidden" || appRole === undefined) {
        return first;
      }
      log.info({ vaultPath: `${location.mount}/data/${location.path}` }, "Vault answered 403, logging in again");
      await ensureFresh(true, log);
      return client.readKv(location);
    },
  };
}
