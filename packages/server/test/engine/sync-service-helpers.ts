// Helpers of the syncService tests: a fetch that sees (and can break) every Dokploy call, the content of a compose
// as the config hash covers it, a stand-in for `compose.killBuild` (the fake has no handler for it), and a
// snapshot/restore of the fake's state so one harness can replay a sync many times.
import type { FetchLike } from "@iac/sdk";
import type { DokployComposeRow, DokployMountRow, DokployState, FakeDokploy } from "@iac/sdk/testing";
import { CONFIG_HASH_KEY, mergeEnv, parseDotenv, readStoredHash } from "@iac/sync";
import { composeNamed } from "./harness.js";

export const envOf = (text: string | null | undefined): Record<string, string> =>
  Object.fromEntries(parseDotenv(text ?? "").map(({ key, value }) => [key, value]));

export const envValue = (text: string | null | undefined, key: string): string | undefined =>
  parseDotenv(text ?? "").findLast((entry) => entry.key === key)?.value;

/** One Dokploy request seen by a {@link DokployTap}: `"POST compose.update"`. */
export interface TappedCall {
  index: number;
  name: string;
}

/** A fetch for the harness (`engine.fetch`) that records Dokploy calls and lets a test wrap them. */
export interface DokployTap {
  fetch: FetchLike;
  calls: TappedCall[];
  /** Runs instead of the call; `forward` sends it to the fake. Unset: every call is forwarded. */
  around: ((call: TappedCall, forward: () => Promise<Response>) => Promise<Response>) | undefined;
  /** Runs after each call settled, answered or not. */
  after: ((call: TappedCall) => void) | undefined;
  names(): string[];
}

export function createDokployTap(baseUrl = "http://dokploy.test"): DokployTap {
  const prefix = `${baseUrl}/api/`;
  const tap: DokployTap = {
    calls: [],
    around: undefined,
    after: undefined,
    names: () => tap.calls.map((call) => call.name),
    async fetch(request) {
      if (!request.url.startsWith(prefix)) {
        return globalThis.fetch(request);
      }
      const call = { index: tap.calls.length, name: `${request.method} ${new URL(request.url).pathname.slice(5)}` };
      tap.calls.push(call);
      const forward = (): Promise<Response> => globalThis.fetch(request);
      try {
        return await (tap.around === undefined ? forward() : tap.around(call, forward));
      } finally {
        tap.after?.(call);
      }
    },
  };
  return tap;
}

/** What the config hash of a compose stands for: compose text, runner file mounts and env without the hash. */
export function contentOf(compose: DokployComposeRow, mounts: readonly DokployMountRow[]): string {
  return JSON.stringify({
    composeFile: compose.composeFile,
    mounts: mounts
      .filter((mount) => mount.composeId === compose.composeId && mount.mountPath.startsWith("/iac-runner/"))
      .map((mount) => `${mount.filePath}=${mount.content}`)
      .sort(),
    env: mergeEnv(compose.env ?? "", {}, { managedKeys: [CONFIG_HASH_KEY] }),
  });
}

/** The stored hash and content of the compose named `name`. */
export function storedState(dokploy: FakeDokploy, name: string): { hash: string | null; content: string } {
  const compose = composeNamed(dokploy, name);
  if (compose === undefined) {
    throw new Error(`no compose ${name}`);
  }
  return { hash: readStoredHash(compose.env), content: contentOf(compose, [...dokploy.state.mounts.values()]) };
}

type Tables = Pick<DokployState, "projects" | "environments" | "composes" | "deployments" | "mounts" | "domains">;

/** A deep copy of the fake's tables and deploy calls. */
export function snapshotState(state: DokployState): Tables & Pick<DokployState, "deployCalls"> {
  const { projects, environments, composes, deployments, mounts, domains, deployCalls } = state;
  return structuredClone({ projects, environments, composes, deployments, mounts, domains, deployCalls });
}

/** Puts a snapshot back in place (the fake's handlers hold the same maps, so they are refilled, not replaced). */
export function restoreState(state: DokployState, snapshot: ReturnType<typeof snapshotState>): void {
  const copy = structuredClone(snapshot);
  refill(state.projects, copy.projects);
  refill(state.environments, copy.environments);
  refill(state.composes, copy.composes);
  refill(state.deployments, copy.deployments);
  refill(state.mounts, copy.mounts);
  refill(state.domains, copy.domains);
  state.deployCalls.splice(0, state.deployCalls.length, ...copy.deployCalls);
}

function refill<K, V>(target: Map<K, V>, from: Map<K, V>): void {
  target.clear();
  for (const [key, value] of from) {
    target.set(key, value);
  }
}
