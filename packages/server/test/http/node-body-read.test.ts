import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { type BodyBudget, createBodyBudget } from "../../src/http/body-budget.js";
import { HttpError } from "../../src/http/http-error.js";
import { NodeBody, UNBUDGETED_BODY_BYTES } from "../../src/http/node-body.js";

/**
 * A real Node request whose body arrives as `chunks`, each on a later turn of the event loop as from a socket (so each
 * is its own `data` event); left open (more may come) unless `ended`.
 */
function incoming(
  chunks: readonly Buffer[],
  { contentLength, ended = true }: { contentLength?: string; ended?: boolean } = {},
): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  if (contentLength !== undefined) {
    req.headers["content-length"] = contentLength;
  }
  void (async () => {
    for (const chunk of chunks) {
      await settle();
      req.push(chunk);
    }
    if (ended) {
      await settle();
      req.push(null);
    }
  })();
  return req;
}

/** Lets every pending callback of this turn run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function bytes(count: number, fill = "a"): Buffer {
  return Buffer.alloc(count, fill);
}

async function httpErrorOf(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof HttpError)) {
    throw new Error(`expected an HttpError, got ${String(error)}`);
  }
  return error;
}

function bodyOf(
  req: IncomingMessage,
  budget: BodyBudget = createBodyBudget(1_000_000),
  cap = 1_000_000,
  res: ServerResponse = new ServerResponse(req),
): NodeBody {
  return new NodeBody(req, res, budget, cap);
}

describe("NodeBody", () => {
  it("collects the chunks into the whole body, read once however often it is asked for", async () => {
    const body = bodyOf(incoming([Buffer.from("hel"), Buffer.from("lo")]));
    const first = body.read(100);
    expect(body.read(100)).toBe(first);
    expect(Buffer.from(await first).toString()).toBe("hello");
  });

  it("hands back a body of one chunk without copying it", async () => {
    const chunk = Buffer.from("one");
    expect(await bodyOf(incoming([chunk])).read(100)).toBe(chunk);
  });

  it("reads a body of exactly the limit and refuses one byte more with 413, naming the limit", async () => {
    expect((await bodyOf(incoming([bytes(6), bytes(4)])).read(10)).byteLength).toBe(10);
    const req = incoming([bytes(6), bytes(5)], { ended: false });
    const error = await httpErrorOf(bodyOf(req).read(10));
    expect([error.status, error.code, error.message]).toEqual([
      413,
      "payload_too_large",
      "request body too large: expected at most 10 bytes",
    ]);
    // It stops taking data and reading: the rest stays unread.
    expect(req.listenerCount("data")).toBe(0);
    expect(req.isPaused()).toBe(true);
  });

  it("holds every route to the server's cap", async () => {
    const error = await httpErrorOf(bodyOf(incoming([bytes(6)]), createBodyBudget(1_000), 5).read(100));
    expect([error.status, error.message]).toEqual([413, "request body too large: expected at most 5 bytes"]);
  });

  it("refuses a declared Content-Length over the limit before reading, and ignores one that is not a number", async () => {
    const declared = await httpErrorOf(bodyOf(incoming([bytes(3)], { contentLength: "12" })).read(10));
    expect([declared.status, declared.code]).toEqual([413, "payload_too_large"]);
    expect((await bodyOf(incoming([bytes(10)], { contentLength: "10" })).read(10)).byteLength).toBe(10);
    for (const contentLength of ["1e9", "12a", "a12", " "]) {
      expect((await bodyOf(incoming([bytes(3)], { contentLength })).read(10)).byteLength).toBe(3);
    }
  });

  it("refuses with 503 a declared length the budget cannot hold beyond the unbudgeted part, before reading", async () => {
    // Half of the budget is held by other requests: 100 bytes are left of 200.
    const budget = createBodyBudget(200);
    expect(budget.reserve(100)).toBe(true);
    const over = await httpErrorOf(
      bodyOf(incoming([bytes(3)], { contentLength: String(UNBUDGETED_BODY_BYTES + 101) }), budget).read(1_000_000),
    );
    expect([over.status, over.code, over.headers]).toEqual([503, "overloaded", { "retry-after": "5" }]);
    const fits = bodyOf(incoming([bytes(3)], { contentLength: String(UNBUDGETED_BODY_BYTES + 100) }), budget);
    expect((await fits.read(1_000_000)).byteLength).toBe(3);
    expect(budget.available).toBe(100);
  });

  it("charges the budget only for the bytes past the unbudgeted part, and gives them back once", async () => {
    const budget = createBodyBudget(10);
    const req = incoming([bytes(UNBUDGETED_BODY_BYTES + 4), bytes(6)]);
    const res = new ServerResponse(req);
    const body = bodyOf(req, budget, 1_000_000, res);
    expect((await body.read(1_000_000)).byteLength).toBe(UNBUDGETED_BODY_BYTES + 10);
    expect(budget.available).toBe(0);
    // Given back when the answer is done: its response closes (once).
    res.emit("close");
    expect(budget.available).toBe(10);
    res.emit("close");
    expect(budget.available).toBe(10);
  });

  it("charges nothing for a body within the unbudgeted part", async () => {
    const budget = createBodyBudget(10);
    const body = bodyOf(incoming([bytes(UNBUDGETED_BODY_BYTES)]), budget);
    expect((await body.read(1_000_000)).byteLength).toBe(UNBUDGETED_BODY_BYTES);
    expect(budget.available).toBe(10);
  });

  it("refuses with 503 a body that outgrows the budget while it is read, and stops reading", async () => {
    // 10 bytes are left of 20: the body would fit the whole budget, not what is left of it.
    const budget = createBodyBudget(20);
    expect(budget.reserve(10)).toBe(true);
    const req = incoming([bytes(UNBUDGETED_BODY_BYTES), bytes(11)], { ended: false });
    const error = await httpErrorOf(bodyOf(req, budget).read(1_000_000));
    expect([error.status, error.code]).toEqual([503, "overloaded"]);
    expect(budget.available).toBe(10);
    expect(req.listenerCount("data")).toBe(0);
    expect(req.isPaused()).toBe(true);
  });

  it("settles once: the request's later close or error changes nothing of a complete body", async () => {
    const req = incoming([bytes(3)]);
    const body = bodyOf(req);
    expect((await body.read(10)).byteLength).toBe(3);
    req.emit("error", new Error("socket hang up"));
    req.emit("close");
    expect((await body.read(10)).byteLength).toBe(3);
  });

  it.each(["close", "error"] as const)(
    "answers 400 incomplete_body when the request ends early (%s)",
    async (event) => {
      const req = incoming([bytes(3)], { ended: false });
      const reading = bodyOf(req).read(10);
      await new Promise((resolve) => setImmediate(resolve));
      req.emit(event, new Error("socket hang up"));
      const error = await httpErrorOf(reading);
      expect([error.status, error.code]).toEqual([400, "incomplete_body"]);
    },
  );

  it("refuses a body that a body parser of the host framework already read", async () => {
    const req = incoming([bytes(3)]);
    req.resume();
    await new Promise((resolve) => req.once("end", resolve));
    await expect(bodyOf(req).read(10)).rejects.toThrow(
      "the request body was already read: mount the runner before any body parser",
    );
  });
});
