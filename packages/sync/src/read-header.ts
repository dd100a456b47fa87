import type { RequestHeaders } from "./types.js";

/**
 * One header value: undefined when absent, null when it cannot be a single value (a repeated header given as an
 * array by Node). Plain objects are read by lower-case name, as Node delivers them.
 */
export function readHeader(headers: RequestHeaders, name: string): string | null | undefined {
  if (typeof (headers as Headers).get === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }
  const value = Object.hasOwn(headers, name) ? (headers as Readonly<Record<string, unknown>>)[name] : undefined;
  if (value === undefined || typeof value === "string") {
    return value;
  }
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") {
    return value[0];
  }
  return null;
}
