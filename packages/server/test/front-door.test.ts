import { Agent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../src/create-runner.js";
import { createNodeServer, type NodeServer, type NodeServerOptions } from "../src/node-server.js";
import {
  createInfraFixture,
  createStubEngine,
  examplePayload,
  type InfraFixture,
  memoryStore,
  pushPayload,
  stubRunnerOptions,
  webhookRequest,
} from "./helpers/runner-fixture.js";

const MiB = 1024 * 1024;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a web `Request` over a fresh loopback connection. */
async function send(address: AddressInfo, request: Request, agent?: Agent): Promise<Answer> {
  const body = Buffer.from(await request.arrayBuffer());
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: address.port,
        method: request.method,
        path: new URL(request.url).pathname,
        headers: Object.fromEntries(request.headers),
        agent: agent ?? false,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A wrongly signed delivery of `bytes` bytes, sent as fast as the server reads it: its status, or `reset` when the
 * server closed the connection before the answer could be read.
 */
function flood(address: AddressInfo, bytes: number, chunked: boolean): Promise<Answer | "reset"> {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: address.port,
        method: "POST",
        path: "/webhook",
        agent: false,
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
          ...(chunked ? {} : { "content-length": String(bytes) }),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" }));
        res.on("error", () => resolve("reset"));
      },
    );
    req.on("error", () => resolve("reset"));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

/** A raw connection that sends `text` and then nothing more; `closed` resolves when the server closes it. */
function stall(address: AddressInfo, text: string): { socket: Socket; closed: Promise<void> } {
  const socket = connect(address.port, "127.0.0.1");
  socket.on("error", () => undefined);
  socket.resume();
  if (text !== "") {
    socket.write(text);
  }
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, closed };
}

describe("the Node front door", () => {
  let fixture: InfraFixture;
  let node: NodeServer | undefined;

  beforeAll(() => {
    fixture = createInfraFixture();
  });
  afterAll(() => fixture.cleanup());

  afterEach(async () => {
    await node?.close();
    node = undefined;
  });

  async function serve(options: NodeServerOptions): Promise<AddressInfo> {
    const engine = createStubEngine(await memoryStore());
    node = createNodeServer(await createRunner(stubRunnerOptions(fixture, engine)), options);
    return node.listen(0, "127.0.0.1");
  }

  const signedPing = () => webhookRequest(examplePayload("ping"), { event: "ping" });

  describe("under a flood of large wrongly signed bodies", () => {
    let address: AddressInfo;

    beforeEach(async () => {
      address = await serve({ bodyBudgetBytes: 8 * MiB });
    });

    it("refuses what passes the budget with 503 and Retry-After, stays within memory and still answers a signed push", async () => {
      const before = process.memoryUsage().rss;
      // 32 bodies of 6 MiB, each within the 8 MiB budget alone: 192 MiB in all.
      const floods = Array.from({ length: 32 }, (_, index) => flood(address, 6 * MiB, index % 2 === 0));
      const payload = pushPayload({ ref: "refs/heads/feature", before: "a".repeat(40), after: "b".repeat(40) });
      const pushed = await send(address, await webhookRequest(payload));
      const answers = await Promise.all(floods);
      const grown = process.memoryUsage().rss - before;

      expect([pushed.status, JSON.parse(pushed.body).status]).toEqual([202, "ignored"]);
      const answered = answers.filter((answer): answer is Answer => answer !== "reset");
      expect(answered.length).toBeGreaterThan(0);
      for (const answer of answered) {
        // A wrong signature (401) for the few that fit, else the budget's refusal.
        expect([
          [401, undefined],
          [503, "5"],
        ]).toContainEqual([answer.status, answer.headers["retry-after"]]);
      }
      expect(answered.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
      // Holding the flood would take 192 MiB; the budget keeps the server far below that.
      expect(grown).toBeLessThan(128 * MiB);
    }, 30_000);

    it("gives the budget back once answered: a large signed delivery fits again after a flood", async () => {
      await Promise.all(Array.from({ length: 8 }, () => flood(address, 6 * MiB, true)));
      // 7.5 MiB: within the 8 MiB budget only if every flooded byte was given back.
      const padding = "x".repeat(7.5 * MiB);
      const ping = await webhookRequest({ ...examplePayload("ping"), padding }, { event: "ping" });
      expect((await send(address, ping)).status).toBe(200);
    }, 30_000);

    it("answers 413, not 503, to a declared body larger than the whole budget: waiting would never help", async () => {
      const answer = await flood(address, 9 * MiB, false);
      expect(answer === "reset" ? answer : [answer.status, answer.headers["retry-after"]]).toEqual([413, undefined]);
    });
  });

  it("closes connections that send their headers or their body too slowly, and still answers a signed push", async () => {
    const address = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    const slowHeaders = Array.from({ length: 20 }, () => stall(address, "POST /webhook HTTP/1.1\r\nHost: runner\r\n"));
    const silent = Array.from({ length: 20 }, () => stall(address, ""));
    const slowBodies = Array.from({ length: 20 }, () =>
      stall(
        address,
        "POST /webhook HTTP/1.1\r\nHost: runner\r\nContent-Type: application/json\r\n" +
          `X-Hub-Signature-256: sha256=${"0".repeat(64)}\r\nContent-Length: 1000\r\n\r\n{`,
      ),
    );
    const payload = pushPayload({ ref: "refs/heads/feature", before: "a".repeat(40), after: "b".repeat(40) });
    const pushed = await send(address, await webhookRequest(payload));
    expect(pushed.status).toBe(202);
    // Bounded by the test's timeout: every stalled connection is closed by the server, none by the client.
    await Promise.all([...slowHeaders, ...silent, ...slowBodies].map(({ closed }) => closed));
  }, 20_000);

  it("closes connections beyond the cap as they arrive, and serves again once they are gone", async () => {
    const address = await serve({ maxConnections: 4 });
    const held = Array.from({ length: 8 }, () => stall(address, ""));
    const isClosed = held.map(({ closed }) => {
      const state = { closed: false };
      void closed.then(() => {
        state.closed = true;
      });
      return state;
    });
    await expect.poll(() => isClosed.filter((state) => state.closed).length).toBe(4);
    for (const { socket } of held) {
      socket.destroy();
    }
    await Promise.all(held.map(({ closed }) => closed));
    await expect.poll(async () => (await send(address, await signedPing())).status).toBe(200);
  }, 20_000);

  it("closes idle keep-alive connections at once on close() and returns when the request in flight is answered", async () => {
    // Long keep-alive and close timeouts: close() returning within the test's timeout shows it waited for neither.
    const address = await serve({ keepAliveTimeoutMs: 60_000, closeTimeoutMs: 60_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const idle = await send(address, new Request("http://runner.test/health"), agent);
    expect([idle.status, idle.headers["connection"]]).toEqual([200, "keep-alive"]);
    const [idleSocket] = Object.values(agent.freeSockets).flat();
    const idleClosed = new Promise<void>((resolve) => idleSocket?.once("close", () => resolve()));

    const ping = await signedPing();
    const body = Buffer.from(await ping.arrayBuffer());
    const head = [
      "POST /webhook HTTP/1.1",
      "Host: runner",
      ...[...ping.headers].map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${body.byteLength}`,
      "",
      "",
    ].join("\r\n");
    const received = new Promise<void>((resolve) => node?.server.once("request", () => resolve()));
    const inFlight = stall(address, head);
    inFlight.socket.write(body.subarray(0, 10));
    await received;
    let answer = "";
    inFlight.socket.on("data", (part: Buffer) => {
      answer += part.toString();
    });

    const current = node;
    node = undefined;
    const closing = current?.close();
    await idleClosed;
    inFlight.socket.write(body.subarray(10));
    await closing;
    await inFlight.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    agent.destroy();
  }, 15_000);
});
