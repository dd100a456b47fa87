import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  type PushEvent,
  parsePushEvent,
  type SignedRequestHeaders,
  sign,
  signRequest,
  type VerifyRequestFailure,
  verify,
  verifyRequest,
  verifyWithFallback,
} from "../src/index.js";

describe("signature types", () => {
  it("are async and positional", () => {
    expectTypeOf(sign).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(verify).returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(verifyWithFallback).returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(signRequest).returns.toEqualTypeOf<Promise<SignedRequestHeaders>>();
    // @ts-expect-error: a parsed JSON object is not a signable payload
    assertType(sign("secret", { ref: "refs/heads/main" }));
  });

  it("narrow the verifyRequest result on ok", async () => {
    const result = await verifyRequest({ secrets: ["s"], body: "", headers: new Headers() });
    if (result.ok) {
      expectTypeOf(result.timestamp).toEqualTypeOf<number>();
      expectTypeOf(result.nonce).toEqualTypeOf<string>();
    } else {
      expectTypeOf(result.reason).toEqualTypeOf<VerifyRequestFailure>();
    }
  });
});

describe("push event types", () => {
  it("take unknown input and return a PushEvent", () => {
    expectTypeOf(parsePushEvent).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(parsePushEvent).returns.toEqualTypeOf<PushEvent>();
    expectTypeOf<PushEvent["branch"]>().toEqualTypeOf<string | null>();
  });
});
