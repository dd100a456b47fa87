import { describeValue } from "./describe-value.js";
import { PushEventError } from "./push-event-error.js";

/** A JSON object of a push payload. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Refuses `value` of push payload field `field`, which should have been `expected`. */
export function failField(field: string, expected: string, value: unknown): never {
  throw new PushEventError(field, `must be ${expected}, received ${describeValue(value)}`);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
