import { randomSuffix } from "../shared/random-id.js";
import type {
  FakeClock,
  VaultAppRole,
  VaultAppRoleSeed,
  VaultSecretLocation,
  VaultSecretVersion,
  VaultSeed,
  VaultState,
  VaultToken,
  VaultTokenSeed,
} from "../types.js";

/** State of a fake Vault plus the helpers that write into it. */
export interface VaultStore {
  state: VaultState;
  seed: VaultSeed;
  secretKey(path: string, location?: VaultSecretLocation): string;
}

/** Strips the slashes Vault tolerates around namespaces, mounts and paths. */
export function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, "");
}

/** Creates an empty Vault state with the given KV v2 mounts. */
export function createVaultStore(clock: FakeClock, kvMounts: readonly string[]): VaultStore {
  const state: VaultState = {
    tokens: new Map(),
    appRoles: new Map(),
    secrets: new Map(),
    kvMounts: new Set(kvMounts.map(trimSlashes)),
  };

  const secretKey = (path: string, location: VaultSecretLocation = {}): string =>
    `${trimSlashes(location.namespace ?? "")}|${trimSlashes(location.mount ?? "secret")}/${trimSlashes(path)}`;

  const seed: VaultSeed = {
    secret(path, data, location = {}): VaultSecretVersion {
      const key = secretKey(path, location);
      const secret = state.secrets.get(key) ?? {
        namespace: trimSlashes(location.namespace ?? ""),
        mount: trimSlashes(location.mount ?? "secret"),
        path: trimSlashes(path),
        versions: [],
        customMetadata: null,
      };
      state.secrets.set(key, secret);
      const version: VaultSecretVersion = {
        version: secret.versions.length + 1,
        data: structuredClone(data),
        createdTime: clock.iso(),
        deletionTime: "",
        destroyed: false,
      };
      secret.versions.push(version);
      return version;
    },
    token(input: VaultTokenSeed): VaultToken {
      const ttl = input.ttl ?? 0;
      const token: VaultToken = {
        accessor: randomSuffix(24),
        policies: ["default"],
        allow: ["*"],
        renewable: ttl > 0,
        explicitMaxTtl: 0,
        meta: null,
        displayName: "token",
        path: "auth/token/create",
        ...input,
        ttl,
        issuedAt: clock.now(),
        expiresAt: ttl > 0 ? clock.now() + ttl * 1000 : null,
      };
      state.tokens.set(token.token, token);
      return token;
    },
    appRole(input: VaultAppRoleSeed): VaultAppRole {
      const role: VaultAppRole = {
        mount: trimSlashes(input.mount ?? "approle"),
        roleName: input.roleName,
        roleId: input.roleId,
        secretIds: new Set(input.secretIds),
        policies: input.policies ?? ["default"],
        allow: input.allow ?? ["*"],
        ttl: input.ttl ?? 3600,
      };
      state.appRoles.set(`${role.mount}:${role.roleId}`, role);
      return role;
    },
  };

  return { state, seed, secretKey };
}
