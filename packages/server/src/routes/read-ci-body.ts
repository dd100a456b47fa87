import { createHash } from "node:crypto";
import { type CiSignature, verifyCiRequest } from "../auth/verify-ci-request.js";
import { HttpError } from "../http/http-error.js";
import { mediaType } from "../http/media-type.js";
import { parseJsonBody } from "../http/parse-json-body.js";
import { readBody } from "../http/read-body.js";
import type { RunnerContext } from "../runner-context.js";

/** A verified CI request body. */
export interface CiBody {
  fields: Record<string, unknown>;
  signature: CiSignature;
  /** SHA-256 of the raw body: identical plain-signed requests have the same digest (and the same signature). */
  digest: string;
}

/**
 * Reads, verifies and parses the JSON object body of a CI request (`/deploy`, `/sync`). Only the listed keys are
 * allowed, so a typo is an error instead of a silently ignored field.
 *
 * @throws {HttpError} 415, 413, 401 (see `verifyCiRequest`), 400 `invalid_json` or 400 `invalid_request`.
 */
export async function readCiBody(
  request: Request,
  context: RunnerContext,
  allowedKeys: readonly string[],
): Promise<CiBody> {
  const type = mediaType(request);
  if (type !== "application/json") {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `unsupported content type ${JSON.stringify(type)}: expected application/json`,
    );
  }
  const body = await readBody(request, context.settings.maxBodyBytes);
  const signature = await verifyCiRequest({
    headers: request.headers,
    body,
    secrets: await context.secrets(),
    requireTimestamp: context.settings.requireTimestamp,
    nonces: context.store,
    now: context.now(),
  }).catch((error: unknown) => {
    context.metrics.ciRefused(error);
    throw error;
  });
  const value = parseJsonBody(body);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "invalid_request", "request body must be a JSON object");
  }
  const unknown = Object.keys(value).filter((key) => !allowedKeys.includes(key));
  if (unknown.length > 0) {
    throw new HttpError(
      400,
      "invalid_request",
      `unknown field ${JSON.stringify(unknown[0])}: expected only ${allowedKeys.join(", ")}`,
    );
  }
  return {
    fields: value as Record<string, unknown>,
    signature,
    digest: createHash("sha256").update(body).digest("hex"),
  };
}

/**
 * An optional boolean field.
 *
 * @throws {HttpError} 400 `invalid_request` when present but not a boolean.
 */
export function optionalBoolean(body: Record<string, unknown>, key: string): boolean {
  const value = body[key];
  if (value !== undefined && typeof value !== "boolean") {
    throw new HttpError(400, "invalid_request", `${key} must be true or false`);
  }
  return value === true;
}

/**
 * An optional string field.
 *
 * @throws {HttpError} 400 `invalid_request` when present but not a non-empty string.
 */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new HttpError(400, "invalid_request", `${key} must be a non-empty string`);
  }
  return value;
}

/**
 * An optional list of service names.
 *
 * @throws {HttpError} 400 `invalid_request` when present but not a non-empty array of non-empty strings (a single
 * string is refused rather than read as a list).
 */
export function optionalServiceList(body: Record<string, unknown>, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === "string" && item !== "")) {
    throw new HttpError(400, "invalid_request", `${key} must be a non-empty array of service names, e.g. ["postgres"]`);
  }
  return value as string[];
}
