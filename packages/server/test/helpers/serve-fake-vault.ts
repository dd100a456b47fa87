import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeVault, type FakeVault, type FakeVaultOptions } from "@iac/sdk/testing";
import { getResponse } from "msw";

/** The fake Vault on a loopback port, reachable from other processes. */
export interface ServedFakeVault {
  vault: FakeVault;
  close(): Promise<void>;
}

/** Serves the fake Vault's msw handlers over real HTTP on 127.0.0.1, like `serveFakeDokploy` does for Dokploy. */
export async function serveFakeVault(options: Omit<FakeVaultOptions, "address"> = {}): Promise<ServedFakeVault> {
  let vault: FakeVault | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const method = req.method ?? "GET";
      const request = new Request(new URL(req.url ?? "/", vault?.address), {
        method,
        headers: Object.entries(req.headers).flatMap(([name, value]) =>
          typeof value === "string" ? [[name, value] as [string, string]] : [],
        ),
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      try {
        const response =
          (await getResponse(vault?.handlers ?? [], request)) ?? new Response("not found", { status: 404 });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  vault = createFakeVault({ ...options, address: `http://127.0.0.1:${port}` });
  return {
    vault,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
