import { describeValue } from "./describe-value.js";
import type { PlanInput, PlanTrigger } from "./types.js";

const TRIGGERS: readonly PlanTrigger[] = ["webhook", "deploy", "sync", "catchup"];
const COMMIT_SHA = /^[0-9a-f]{40}$/i;

type Json = Readonly<Record<string, unknown>>;

function fail(field: string, expected: string, value: unknown): never {
  throw new TypeError(`[@iac/sync] invalid plan input: ${field} must be ${expected}, received ${describeValue(value)}`);
}

function readObject(value: unknown, field: string): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : fail(field, "an object", value);
}

function assertStrings(value: unknown, field: string): asserts value is readonly string[] {
  if (!Array.isArray(value)) {
    fail(field, "an array of strings", value);
  }
  value.forEach((item: unknown, index) => {
    if (typeof item !== "string") {
      fail(`${field}[${index}]`, "a string", item);
    }
  });
}

function assertClaims(claims: unknown): void {
  if (!Array.isArray(claims)) {
    fail("request.claims", "an array of claims", claims);
  }
  claims.forEach((claim: unknown, index) => {
    const { field, value, commit } = readObject(claim, `request.claims[${index}]`);
    for (const [name, text] of [
      ["field", field],
      ["value", value],
    ] as const) {
      if (typeof text !== "string" || text === "") {
        fail(`request.claims[${index}].${name}`, "a non-empty string", text);
      }
    }
    if (typeof commit !== "string" || !COMMIT_SHA.test(commit)) {
      fail(`request.claims[${index}].commit`, "a commit SHA of 40 hex digits", commit);
    }
  });
}

/**
 * Throws a `TypeError` for input the caller should never have built: these are bugs, not requests to refuse, so the
 * server validates request bodies before and `resolvePlan` keeps `PlanError` for what a valid request can get wrong.
 * An empty `services` list is one of them: omitting the list is how a request asks for every service.
 */
export function assertPlanInput(input: unknown): asserts input is PlanInput {
  const { request, commit, catalog } = readObject(input, "input");
  const { trigger, env, changedPaths, services, claims } = readObject(request, "request");
  if (!TRIGGERS.includes(trigger as PlanTrigger)) {
    fail("request.trigger", `one of ${TRIGGERS.join(", ")}`, trigger);
  }
  if (typeof env !== "string") {
    fail("request.env", "a string", env);
  }
  if (trigger === "webhook" || trigger === "catchup") {
    assertStrings(changedPaths, "request.changedPaths");
  } else if (services !== undefined) {
    assertStrings(services, "request.services");
    if (services.length === 0) {
      throw new TypeError(
        "[@iac/sync] invalid plan input: request.services must be a non-empty array (omit it to plan every service), received an empty array",
      );
    }
  }
  if (claims !== undefined) {
    assertClaims(claims);
  }
  if (typeof commit !== "string" || !COMMIT_SHA.test(commit)) {
    fail("commit", "a commit SHA of 40 hex digits", commit);
  }
  const { config, services: catalogServices } = readObject(catalog, "catalog");
  const { environments } = readObject(config, "catalog.config");
  readObject(environments, "catalog.config.environments");
  if (!Array.isArray(catalogServices)) {
    fail("catalog.services", "an array", catalogServices);
  }
}
