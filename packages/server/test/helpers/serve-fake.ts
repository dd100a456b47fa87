import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeDokploy, type FakeDokploy, type FakeDokployOptions } from "@iac/sdk/testing";
import { getResponse } from "msw";

/** The fake Dokploy on a loopback port, reachable from other processes. */
export interface ServedFake {
  dokploy: FakeDokploy;
  /** Paths of the requests it received, in order (e.g. `/api/compose.deploy`). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves the fake Dokploy's msw handlers over real HTTP on 127.0.0.1, so a runner in a child process can reach it. */
export async function serveFakeDokploy(options: Omit<FakeDokployOptions, "baseUrl"> = {}): Promise<ServedFake> {
  let dokploy: FakeDokploy | undefined;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", dokploy?.baseUrl);
      requests.push(url.pathname);
      const request = new Request(url, {
        method,
        headers: Object.entries(req.headers).flatMap(([name, value]) =>
          typeof value === "string" ? [[name, value] as [string, string]] : [],
        ),
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      try {
        const response =
          (await getResponse(dokploy?.handlers ?? [], request)) ?? new Response("not found", { status: 404 });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch {
        // A dropped-connection fault makes the handler reject: answer like a broken network, by closing.
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  dokploy = createFakeDokploy({ ...options, baseUrl: `http://127.0.0.1:${port}` });
  return {
    dokploy,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
