import { describe, expect, it } from "vitest";
import { PLAN_ERRORS, PlanError } from "../src/index.js";
import type { PlanErrorCode } from "../src/types.js";

const STATUSES: Record<PlanErrorCode, number> = {
  unknown_env: 400,
  unknown_service: 400,
  service_manual: 403,
  config_invalid: 422,
  invalid_tag: 400,
  invalid_ref: 400,
  tag_not_found: 404,
  commit_not_found: 404,
  commit_mismatch: 409,
  branch_not_found: 502,
  git_fetch_failed: 502,
};
const CODES = Object.keys(STATUSES) as PlanErrorCode[];

describe("PLAN_ERRORS", () => {
  it("gives each code its HTTP status, and no other code", () => {
    expect(Object.fromEntries(Object.entries(PLAN_ERRORS).map(([code, { status }]) => [code, status]))).toStrictEqual(
      STATUSES,
    );
  });

  it.each(CODES)("has a short title for %s", (code) => {
    const { title } = PLAN_ERRORS[code];
    expect(title).toMatch(/^[A-Za-z].{9,79}$/);
    expect(Object.keys(PLAN_ERRORS[code])).toEqual(["status", "title"]);
  });

  it("gives every code its own title", () => {
    expect(new Set(CODES.map((code) => PLAN_ERRORS[code].title)).size).toBe(CODES.length);
  });

  it("is frozen, entries included", () => {
    expect(Object.isFrozen(PLAN_ERRORS)).toBe(true);
    expect(CODES.every((code) => Object.isFrozen(PLAN_ERRORS[code]))).toBe(true);
  });
});

describe("PlanError", () => {
  it.each(CODES)("takes the status of %s from PLAN_ERRORS", (code) => {
    const error = new PlanError(code, "refused");
    expect(error.code).toBe(code);
    expect(error.status).toBe(STATUSES[code]);
  });

  it("is an Error named PlanError whose message is shown as it is", () => {
    const error = new PlanError("tag_not_found", 'tag "v9.9.9" does not exist in the repository');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(PlanError);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.name).toBe("PlanError");
    expect(error.message).toBe('tag "v9.9.9" does not exist in the repository');
    expect(String(error)).toBe('PlanError: tag "v9.9.9" does not exist in the repository');
    expect(error.stack).toContain("PlanError");
  });

  it("has no details unless given", () => {
    expect(new PlanError("unknown_env", "x").details).toStrictEqual({});
  });

  it("keeps a frozen copy of its details", () => {
    const details: Record<string, unknown> = { known: ["staging", "production"] };
    const error = new PlanError("unknown_env", "x", details);
    Object.assign(details, { known: [], extra: true });
    expect(error.details).toStrictEqual({ known: ["staging", "production"] });
    expect(Object.isFrozen(error.details)).toBe(true);
  });

  it.each(["nope", "toString", "__proto__", ""])(
    "throws a TypeError for the code %j, which is not in the table",
    (code) => {
      expect(() => new PlanError(code as PlanErrorCode, "x")).toThrow(
        new TypeError(
          `[@iac/sync] invalid plan error code ${JSON.stringify(code)}: expected one of ${CODES.join(", ")}`,
        ),
      );
    },
  );
});
