/**
 * Names a received value for an error message without dumping it: strings are quoted and cut to 40 characters,
 * everything else is reduced to its kind.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "array";
  }
  if (value instanceof Uint8Array) {
    return "Uint8Array";
  }
  return typeof value;
}
