/** Whether a parsed JSON body is an object with fields (not `null`, not an array), so its fields can be read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
