import { describeValue } from "./describe-value.js";
import type { SignablePayload } from "./types.js";

/**
 * Throws when a secret is not a non-empty string. An empty secret is refused because it would make every signature
 * trivially forgeable (the original runner accepted every request when the secret was unset).
 */
export function assertSecret(value: unknown, name = "secret"): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`[@iac/sync] ${name} must be a non-empty string, received ${describeValue(value)}`);
  }
}

/** Throws when a payload is neither a string nor a Uint8Array. */
export function assertPayload(value: unknown, name = "payload"): asserts value is SignablePayload {
  if (typeof value !== "string" && !(value instanceof Uint8Array)) {
    throw new TypeError(`[@iac/sync] ${name} must be a string or a Uint8Array, received ${describeValue(value)}`);
  }
}
