import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, pushPayload, webhookRequest } from "../helpers/runner-fixture.js";
import { startLiveRunner, useMsw } from "./live-runner.js";

const server = useMsw();
const POSTGRES = "platform/01.postgres/compose.yaml";

const DAMAGES: ReadonlyArray<readonly [string, (path: string) => void]> = [
  ["deleted", (path) => rmSync(path, { recursive: true, force: true })],
  ["given a garbage HEAD", (path) => writeFileSync(join(path, "HEAD"), "garbage\n")],
];

describe("a damaged git mirror under a running runner (real engine, fake Dokploy)", () => {
  it.each(DAMAGES)("deploys the next push after the mirror was %s", async (_name, damage) => {
    const live = await startLiveRunner(server);
    const { fixture } = live;
    await fixture.mirror.fetch();
    damage(fixture.mirror.path);
    const after = fixture.repo.commit({ [POSTGRES]: "services:\n  app:\n    image: nginx:repaired\n" });
    const payload = pushPayload({ before: fixture.initial, after, files: { modified: [POSTGRES] } });
    const response = await live.runner.fetch(await webhookRequest(payload));
    expect(response.status).toBe(202);
    const [id] = (await json(response)).deployments as string[];
    expect(await live.waitForJob(id ?? "")).toMatchObject({ state: "succeeded", commit: after });
    expect(live.composeFile("postgres")).toContain("nginx:repaired");
  });

  it("catches up with the branch when the mirror was deleted while the runner polled", async () => {
    const live = await startLiveRunner(server, { settings: { pollIntervalMs: 50 }, runner: { catchUp: undefined } });
    const { fixture, store } = live;
    await expect.poll(() => store.cursor("staging")).toEqual({ planned: fixture.initial, synced: fixture.initial });
    rmSync(fixture.mirror.path, { recursive: true, force: true });
    const pushed = fixture.repo.commit({ [POSTGRES]: "services:\n  app:\n    image: nginx:after-repair\n" });
    await expect.poll(() => store.cursor("staging"), { timeout: 5_000 }).toEqual({ planned: pushed, synced: pushed });
    expect(live.composeFile("postgres")).toContain("nginx:after-repair");
  });
});
