import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodyBudget } from "./body-budget.js";
import { incompleteBody, overloaded, payloadTooLarge } from "./body-errors.js";

/**
 * The first bytes of every body are read without drawing on the shared budget, so that a flood of large bodies cannot
 * starve ordinary requests (a GitHub push is a few kilobytes). What they can hold at once is bounded by the connection
 * cap: at most `maxConnections` times this.
 */
export const UNBUDGETED_BODY_BYTES: number = 64 * 1024;

/**
 * The body of a Node request, read on demand: nothing is read until a handler asks (so a request refused on its
 * headers costs no body bytes), then it is collected into one buffer while counting against the route's limit, the
 * server's hard cap and the shared budget of bytes in flight.
 */
export class NodeBody {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #budget: BodyBudget;
  readonly #cap: number;
  #reading: Promise<Uint8Array> | undefined;
  /** Bytes taken from the budget, given back once the request is answered (its response closes). */
  #charged = 0;

  constructor(req: IncomingMessage, res: ServerResponse, budget: BodyBudget, cap: number) {
    this.#req = req;
    this.#res = res;
    this.#budget = budget;
    this.#cap = cap;
  }

  /**
   * The whole body, refused with 413 past `limit` (or the server's cap) and with 503 when the budget is spent. A
   * declared `Content-Length` is checked before anything is read; a missing or false one cannot bypass the counts.
   */
  read(limit: number): Promise<Uint8Array> {
    // A body beyond the whole budget would be refused as 503 forever: it is too large, whatever the route allows.
    const largest = this.#budget.limit + UNBUDGETED_BODY_BYTES;
    this.#reading ??= this.#collect(Math.min(limit, this.#cap, largest));
    return this.#reading;
  }

  /** Takes from the budget what `size` bytes read so far need beyond the unbudgeted part; false when it is spent. */
  #charge(size: number): boolean {
    const due = size - UNBUDGETED_BODY_BYTES - this.#charged;
    if (due <= 0) {
      return true;
    }
    if (!this.#budget.reserve(due)) {
      return false;
    }
    if (this.#charged === 0) {
      // Only a body past the unbudgeted part holds budget; the common small one costs no listener.
      this.#res.once("close", () => {
        this.#budget.release(this.#charged);
        this.#charged = 0;
      });
    }
    this.#charged += due;
    return true;
  }

  #collect(limit: number): Promise<Uint8Array> {
    const req = this.#req;
    if (req.readableEnded) {
      // A body parser of the host framework read it first: the signature cannot be checked on bytes that are gone.
      return Promise.reject(new Error("the request body was already read: mount the runner before any body parser"));
    }
    if (req.destroyed) {
      // The client went away before a handler asked for the body: no event will ever end the read.
      return Promise.reject(incompleteBody());
    }
    const declared = req.headers["content-length"];
    const length = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
    if (length !== undefined && length > limit) {
      return Promise.reject(payloadTooLarge(limit));
    }
    if (length !== undefined && length - UNBUDGETED_BODY_BYTES > this.#budget.available) {
      return Promise.reject(overloaded());
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      // Once settled, the listeners stay attached (removing them would cost more) and do nothing: the request's
      // own end and close still come.
      let settled = false;
      const fail = (error: Error): void => {
        settled = true;
        req.off("data", onData);
        req.pause();
        reject(error);
      };
      const onData = (chunk: Buffer): void => {
        size += chunk.byteLength;
        if (size > limit) {
          fail(payloadTooLarge(limit));
        } else if (!this.#charge(size)) {
          fail(overloaded());
        } else {
          chunks.push(chunk);
        }
      };
      const onEnd = (): void => {
        if (!settled) {
          settled = true;
          resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size));
        }
      };
      const onAbort = (): void => {
        if (!settled) {
          fail(incompleteBody());
        }
      };
      req.on("data", onData);
      req.on("end", onEnd);
      req.on("error", onAbort);
      req.on("close", onAbort);
    });
  }
}
