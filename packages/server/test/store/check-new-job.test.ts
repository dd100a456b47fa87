import { describe, expect, test } from "vitest";
import { checkNewJob } from "../../src/store/check-new-job.js";
import type { NewJob } from "../../src/types.js";
import { newJob, T0 } from "./store-fixtures.js";

describe("checkNewJob", () => {
  test("returns the creation time in epoch milliseconds", () => {
    expect(checkNewJob(newJob({ at: T0 + 5 }))).toBe(T0 + 5);
  });

  const invalid: [string, { given: NewJob; message: string }][] = [
    ["no services", { given: newJob({ services: [] }), message: "expected at least one service, received none" }],
    [
      "a service named twice",
      {
        given: newJob({ services: ["api", "api"] }),
        message: 'expected distinct non-empty service names, received "api"',
      },
    ],
    ["an empty id", { given: newJob({ id: "" }), message: 'invalid job id: expected a non-empty string, received ""' }],
    [
      "an unreadable createdAt",
      { given: { ...newJob(), createdAt: "yesterday" }, message: 'expected an ISO time, received "yesterday"' },
    ],
    [
      "a request key without a positive TTL",
      { given: newJob({ requestKey: { key: "k", ttlMs: 0 } }), message: "expected a positive number, received 0" },
    ],
  ];
  test.each(invalid)("throws a TypeError for %s", (_, { given, message }) => {
    expect(() => checkNewJob(given)).toThrow(TypeError);
    expect(() => checkNewJob(given)).toThrow(message);
  });
});
