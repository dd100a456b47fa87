/** The media type of a `Content-Type` header without parameters, lower-cased (`""` when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}
