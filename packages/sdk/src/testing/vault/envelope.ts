import { HttpResponse } from "msw";

/** The fields of Vault's response envelope that differ per operation. */
export interface EnvelopeParts {
  data?: unknown;
  auth?: unknown;
  warnings?: string[] | null;
  mount_type?: string;
}

/** A JSON response wrapped in Vault's envelope (`request_id`, `lease_id`, …, `auth`). */
export function vaultResponse(parts: EnvelopeParts, status = 200): Response {
  return HttpResponse.json(
    {
      request_id: crypto.randomUUID(),
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      data: null,
      wrap_info: null,
      warnings: null,
      auth: null,
      ...parts,
    },
    { status },
  );
}

/** Vault's error body, `{"errors": [...]}`; the list may be empty. */
export function vaultError(status: number, errors: string[] = []): Response {
  return HttpResponse.json({ errors }, { status });
}

/** The 403 Vault sends for a missing, unknown or expired token and for a path the token's policies do not allow. */
export function permissionDenied(): Response {
  return vaultError(403, ["permission denied"]);
}

/** 204 with no body, Vault's answer to deletes. */
export function noContent(): Response {
  return new HttpResponse(null, { status: 204 });
}

/** Default body of an injected fault. */
export function vaultFaultBody(status: number): object {
  return { errors: [`injected ${status}`] };
}
