/** The media type of a `Content-Type` header without parameters, lower-cased (`""` when absent). */
export function mediaType(request: Request): string {
  const header = request.headers.get("content-type");
  if (header === "application/json") {
    // What GitHub and CI clients send: answered without splitting and copying the header.
    return header;
  }
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}
