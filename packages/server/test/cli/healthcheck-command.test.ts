import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStack, closedUrl, startCliStack } from "../helpers/cli-stack.js";
import { runBuiltCli } from "../helpers/run-built-cli.js";

/** A server that answers every request with `status`, or never answers when `status` is null. */
async function serveStatus(status: number | null): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    if (status !== null) {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "shutting down", code: "shutting_down" }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("iac-runner healthcheck (built CLI)", () => {
  let stack: CliStack;

  beforeAll(async () => {
    stack = await startCliStack({ apiToken: false });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("exits 0 and prints nothing when the runner's /health answers 200", async () => {
    const run = await runBuiltCli(["healthcheck", "--url", stack.runner.url]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("asks http://127.0.0.1:$PORT by default", async () => {
    const port = new URL(stack.runner.url).port;
    const run = await runBuiltCli(["healthcheck"], { PORT: port });
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("--json prints the answer", async () => {
    const run = await runBuiltCli(["healthcheck", "--url", stack.runner.url, "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      url: `${stack.runner.url}/health`,
      status: 200,
      health: { status: "healthy" },
    });
  });

  it("exits 1 with one line when nothing listens", async () => {
    const url = await closedUrl();
    const run = await runBuiltCli(["healthcheck", "--url", url]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `iac-runner: cannot reach ${url}/health: connection refused (ECONNREFUSED)\n`,
    });
  });

  it("exits 1 when /health answers another status, naming it", async () => {
    const { url, server } = await serveStatus(503);
    try {
      const run = await runBuiltCli(["healthcheck", "--url", url]);
      expect(run).toEqual({
        code: 1,
        stdout: "",
        stderr: `iac-runner: ${url}/health answered HTTP 503 (shutting_down)\n`,
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("exits 1 within a few seconds when /health does not answer", async () => {
    const { url, server } = await serveStatus(null);
    try {
      const started = Date.now();
      const run = await runBuiltCli(["healthcheck", "--url", url]);
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`iac-runner: cannot reach ${url}/health: no answer within 3 s\n`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
