import type { DokployComposeRow } from "@iac/sdk/testing";
import { CONFIG_HASH_KEY, readStoredHash } from "@iac/sync";
import { expect } from "vitest";
import type { DriftReport, EnvironmentDrift } from "../../src/types.js";
import type { LiveRunner } from "../integration/live-runner.js";
import { parseExposition } from "../metrics/parse-exposition.js";

/** The API token of the live runners that check drift. */
export const TOKEN = "a-token-of-sixteen+";
/** The config hash {@link tamper} leaves behind. */
export const TAMPERED: string = `v2:${"f".repeat(64)}`;
export const DRIFTED = "service drifted from the synced commit";
export const BACK = "service is back in sync";

/** `GET /drift` of a live runner, with the API token unless `headers` say otherwise. */
export async function drift(
  live: LiveRunner,
  headers: HeadersInit = { authorization: `Bearer ${TOKEN}` },
): Promise<DriftReport> {
  const response = await live.runner.fetch(new Request("http://runner.test/drift", { headers }));
  expect(response.status).toBe(200);
  return (await response.json()) as DriftReport;
}

/** The last round's report of `env`, an environment other than `DEPLOY_ENV`. */
export async function environmentDrift(live: LiveRunner, env: string): Promise<EnvironmentDrift | undefined> {
  return (await drift(live)).environments.find((each) => each.env === env);
}

/** The compose named `name` in the Dokploy environment `env` (any environment when omitted). */
export function composeIn(live: LiveRunner, name: string, env?: string): DokployComposeRow | undefined {
  const { composes, environments } = live.dokploy.state;
  return [...composes.values()].find(
    (compose) => compose.name === name && (env === undefined || environments.get(compose.environmentId)?.name === env),
  );
}

/** Replaces the stored config hash of the compose named `name` (in `env`), as a deploy made outside the runner would. */
export function tamper(live: LiveRunner, name: string, env?: string): void {
  const compose = composeIn(live, name, env);
  if (compose === undefined) {
    throw new Error(`no compose ${name}`);
  }
  compose.env = (compose.env ?? "").replace(
    `${CONFIG_HASH_KEY}=${readStoredHash(compose.env)}`,
    `${CONFIG_HASH_KEY}=${TAMPERED}`,
  );
  expect(readStoredHash(compose.env)).toBe(TAMPERED);
}

/** The value of the metric sample `name` with `labels`, as `GET /metrics` exposes it. */
export async function metric(
  live: LiveRunner,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const request = new Request("http://runner.test/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await (await live.runner.fetch(request)).text();
  return parseExposition(text).find(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

/** Waits until `count` more rounds have ended than when called. */
export async function roundsLater(live: LiveRunner, count: number): Promise<void> {
  const start = (await metric(live, "iac_runner_reconcile_rounds_total", { outcome: "ok" })) ?? 0;
  await expect
    .poll(async () => ((await metric(live, "iac_runner_reconcile_rounds_total", { outcome: "ok" })) ?? 0) - start)
    .toBeGreaterThanOrEqual(count);
}
