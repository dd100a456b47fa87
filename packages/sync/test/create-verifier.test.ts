import { afterEach, describe, expect, it, vi } from "vitest";
import { createVerifier, sign } from "../src/index.js";

describe("createVerifier()", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("accepts a signature made with any of its secrets, and nothing else, answering at once on Node", async () => {
    const verifier = createVerifier(["current", "previous"]);
    const body = '{"ref":"refs/heads/main"}';
    expect(verifier.verify(body, await sign("current", body))).toBe(true);
    expect(verifier.verify(new TextEncoder().encode(body), await sign("previous", body))).toBe(true);
    expect(verifier.verify(body, await sign("other", body))).toBe(false);
    expect(verifier.verify(`${body} `, await sign("current", body))).toBe(false);
    expect(verifier.verify(body, (await sign("current", body)).toUpperCase().replace("SHA256", "sha256"))).toBe(true);
  });

  it.each([
    ["no signature", null],
    ["a number", 42],
    ["another algorithm", `sha1=${"a".repeat(40)}`],
    ["a short digest", `sha256=${"a".repeat(63)}`],
  ])("answers false for %s", (_case, signature) => {
    expect(createVerifier(["secret"]).verify("body", signature)).toBe(false);
  });

  it("keeps the secrets it was made with", async () => {
    const secrets = ["first"];
    const verifier = createVerifier(secrets);
    secrets[0] = "changed";
    expect(verifier.verify("body", await sign("first", "body"))).toBe(true);
  });

  it("answers with a promise where only WebCrypto exists", async () => {
    vi.spyOn(process, "getBuiltinModule").mockReturnValue(undefined as never);
    const answer = createVerifier(["secret"]).verify("body", await sign("secret", "body"));
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe(true);
  });

  it.each([
    ["no secret", [], "[@iac/sync] secrets must hold at least one secret"],
    ["not an array", "secret", "[@iac/sync] secrets must be an array of strings, received"],
    ["an empty secret", ["ok", ""], "secrets[1]"],
  ])("refuses %s", (_case, secrets, message) => {
    expect(() => createVerifier(secrets as string[])).toThrow(TypeError);
    expect(() => createVerifier(secrets as string[])).toThrow(message);
  });

  it("refuses a payload that is neither text nor bytes", () => {
    expect(() => createVerifier(["secret"]).verify(42 as never, `sha256=${"a".repeat(64)}`)).toThrow(TypeError);
  });
});
