import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/http-error.js";
import { optionalBoolean, optionalServiceList, optionalString } from "../../src/routes/read-ci-body.js";

function refusal(read: () => unknown): { status: number; code: string; message: string } {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    const { status, code, message } = error as HttpError;
    return { status, code, message };
  }
  throw new Error("the field was accepted");
}

describe("optionalBoolean", () => {
  it.each([
    ["absent", {}, false],
    ["true", { wait: true }, true],
    ["false", { wait: false }, false],
  ])("reads %s", (_name, body, want) => {
    expect(optionalBoolean(body, "wait")).toBe(want);
  });

  it.each([
    ["a string", "true"],
    ["a number", 1],
    ["null", null],
  ])("refuses %s", (_name, value) => {
    expect(refusal(() => optionalBoolean({ wait: value }, "wait"))).toEqual({
      status: 400,
      code: "invalid_request",
      message: "wait must be true or false",
    });
  });
});

describe("optionalString", () => {
  it.each([
    ["absent", {}, undefined],
    ["a string, as it is", { env: " staging " }, " staging "],
  ])("reads %s", (_name, body, want) => {
    expect(optionalString(body, "env")).toBe(want);
  });

  it.each([
    ["an empty string", ""],
    ["only spaces", "  "],
    ["a number", 7],
    ["null", null],
  ])("refuses %s", (_name, value) => {
    expect(refusal(() => optionalString({ env: value }, "env"))).toEqual({
      status: 400,
      code: "invalid_request",
      message: "env must be a non-empty string",
    });
  });
});

describe("optionalServiceList", () => {
  it.each([
    ["absent", {}, undefined],
    ["a list", { services: ["postgres", "platform/redis"] }, ["postgres", "platform/redis"]],
  ])("reads %s", (_name, body, want) => {
    expect(optionalServiceList(body, "services")).toEqual(want);
  });

  it.each([
    ["a string", "postgres"],
    ["an empty list", []],
    ["a list with an empty name", ["postgres", ""]],
    ["a list with a number", ["postgres", 1]],
    ["null", null],
  ])("refuses %s", (_name, value) => {
    expect(refusal(() => optionalServiceList({ services: value }, "services"))).toEqual({
      status: 400,
      code: "invalid_request",
      message: 'services must be a non-empty array of service names, e.g. ["postgres"]',
    });
  });
});
