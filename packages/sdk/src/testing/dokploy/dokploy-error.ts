import { HttpResponse } from "msw";

/** tRPC error codes the fake answers with, and their HTTP status (tRPC's `TRPC_ERROR_CODE_HTTP_STATUS`). */
export const TRPC_STATUS = {
  PARSE_ERROR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

/** A tRPC error code. */
export type TrpcCode = keyof typeof TRPC_STATUS;

/** Thrown by a fake procedure to answer with a tRPC error. */
export class DokployProcedureError extends Error {
  override readonly name = "DokployProcedureError";
  readonly code: TrpcCode;
  readonly issues: unknown[] | undefined;

  constructor(code: TrpcCode, message: string, issues?: unknown[]) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

/** The body trpc-openapi sends for an error: tRPC's error shape with a string `code`, plus `issues` on bad input. */
export function trpcErrorBody(code: TrpcCode, message: string, path: string, issues?: unknown[]): object {
  return {
    message,
    code,
    data: { code, httpStatus: TRPC_STATUS[code], path, zodError: null },
    ...(issues === undefined ? {} : { issues }),
  };
}

/** Response for a `DokployProcedureError` raised by procedure `path` (`"compose.one"`). */
export function trpcErrorResponse(error: DokployProcedureError, path: string): Response {
  return HttpResponse.json(trpcErrorBody(error.code, error.message, path, error.issues), {
    status: TRPC_STATUS[error.code],
  });
}

/** Default body of an injected fault: the tRPC error whose status matches, else an internal error. */
export function dokployFaultBody(status: number): object {
  const code = (Object.keys(TRPC_STATUS) as TrpcCode[]).find((c) => TRPC_STATUS[c] === status && c !== "PARSE_ERROR");
  return trpcErrorBody(code ?? "INTERNAL_SERVER_ERROR", `Injected ${status}`, "");
}
