import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/http-error.js";
import { readBody } from "../../src/http/read-body.js";

function streamOf(chunks: number[], pulled: { count: number }): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const size = chunks[index++];
      pulled.count++;
      if (size === undefined) {
        controller.close();
      } else {
        controller.enqueue(new Uint8Array(size));
      }
    },
  });
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://runner.test/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBody", () => {
  it("returns the exact bytes of a body within the limit", async () => {
    expect(new TextDecoder().decode(await readBody(post("héllo"), 10))).toBe("héllo");
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const request = post(streamOf([10], { count: 0 }), { "content-length": "1000" });
    const error = await readBody(request, 100).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });

  it("stops reading a stream as soon as it passes the limit", async () => {
    const pulled = { count: 0 };
    const error = await readBody(post(streamOf([60, 60, 60, 60, 60], pulled)), 100).catch((caught: unknown) => caught);
    expect((error as HttpError).code).toBe("payload_too_large");
    expect(pulled.count).toBeLessThan(5);
  });

  it("returns an empty body for a request without one", async () => {
    expect(await readBody(new Request("http://runner.test/x", { method: "POST" }), 10)).toEqual(new Uint8Array(0));
  });
});
