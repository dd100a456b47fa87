// A service's health endpoint on a real loopback port for the probe tests: answers a script of statuses and can
// hold requests open. msw (which sees every fetch of the test process) lets requests to it pass through.
import { HttpResponse, http, passthrough } from "msw";
import type { SetupServer } from "msw/node";
import { gate } from "../helpers/gated-work.js";
import { serveHandlers } from "../helpers/serve-handlers.js";

export interface ProbeServer {
  origin: string;
  /** Paths of the requests received, in order. */
  readonly requests: string[];
  /** Statuses to answer, in order; the last one repeats. */
  statuses: number[];
  /** Runs as each request arrives, before it is answered. */
  onRequest: (() => void) | undefined;
  /** Holds every later request until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

export async function serveProbe(msw: SetupServer): Promise<ProbeServer> {
  let held: Promise<void> | undefined;
  let answered = 0;
  const served = await serveHandlers(
    (origin) => origin,
    () => [
      http.get("*", async () => {
        probe.onRequest?.();
        await held;
        const status = probe.statuses[Math.min(answered, probe.statuses.length - 1)] ?? 200;
        answered += 1;
        return new HttpResponse(null, { status });
      }),
    ],
  );
  msw.use(http.get(`${served.fake}/*`, () => passthrough()));
  const probe: ProbeServer = {
    origin: served.fake,
    requests: served.requests,
    statuses: [200],
    onRequest: undefined,
    hold() {
      const { promise, open } = gate();
      held = promise;
      return () => {
        held = undefined;
        open();
      };
    },
    close: served.close,
  };
  return probe;
}

/** `iac.config.yaml` of the harness with a probe on redis (5 s) whose URL uses every placeholder and a query. */
export function probeConfig(base: string, origin: string): string {
  return `${base}  redis:\n    probe:\n      url: "${origin}/{service}{suffix}/{env}?token=probe-secret"\n      timeoutSeconds: 5\n`;
}
