import { createFakeDokploy, type FakeDokploy, type FakeDokployOptions } from "@iac/sdk/testing";
import { serveHandlers } from "./serve-handlers.js";

/** The fake Dokploy on a loopback port, reachable from other processes. */
export interface ServedFake {
  dokploy: FakeDokploy;
  /** Paths of the requests it received, in order (e.g. `/api/compose.deploy`). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves the fake Dokploy's msw handlers over real HTTP on 127.0.0.1, so a runner in a child process can reach it. */
export async function serveFakeDokploy(options: Omit<FakeDokployOptions, "baseUrl"> = {}): Promise<ServedFake> {
  const served = await serveHandlers(
    (baseUrl) => createFakeDokploy({ ...options, baseUrl }),
    (dokploy) => dokploy.handlers,
  );
  return { dokploy: served.fake, requests: served.requests, close: served.close };
}
