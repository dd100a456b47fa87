import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError } from "../http/http-error.js";

/** Whether `request` carries `Authorization: Bearer <token>`; compared in constant time. */
export function hasApiToken(request: Request, token: string | undefined): boolean {
  const header = request.headers.get("authorization");
  if (token === undefined || header === null) {
    return false;
  }
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * Guards an endpoint that needs `IAC_API_TOKEN`. Without a configured token the endpoint does not exist (404), so a
 * runner that never opted in exposes nothing new.
 *
 * @throws {HttpError} 404 `not_found` without a configured token, 401 `unauthorized` without the right bearer token.
 */
export function requireApiToken(request: Request, token: string | undefined, path: string): void {
  if (token === undefined) {
    throw new HttpError(404, "not_found", `no endpoint at ${path}`);
  }
  if (!hasApiToken(request, token)) {
    throw new HttpError(401, "unauthorized", "expected Authorization: Bearer <IAC_API_TOKEN>", {
      headers: { "www-authenticate": 'Bearer realm="iac-runner"' },
    });
  }
}
