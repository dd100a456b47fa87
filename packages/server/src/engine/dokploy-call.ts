import { classifyDokployError } from "@iac/sdk";
import type { SyncErrorCode } from "../types.js";
import { noResponseError } from "./describe-network-error.js";
import { isSyncError, SyncError } from "./sync-error.js";

/** The shape of an openapi-fetch result, without its type parameters. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Runs one Dokploy request and returns its data, or throws a classified {@link SyncError}, the one policy for every
 * Dokploy call of a sync (through `classifyDokployError`):
 *
 * - `unauthorized`/`forbidden` (401/403, including the route guard's 401 without a `code`) → `dokploy_auth_failed`;
 * - no response, a timeout (none within the client's `timeoutMs`, or 408), a `retryable` answer (429, 502–504) or
 *   any other 5xx (`server_error`), once the client's own retries are spent → `dokploy_unreachable`;
 * - any other status → `dokploy_error`.
 *
 * Dokploy's own words (message, validation issues, or a proxy's text page) go whole into the error's `detail`, never
 * into `message`: they may echo secret values, which are masked before anything is shortened for display.
 */
export async function dokployCall<T>(operation: string, request: () => Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request();
  } catch (error) {
    // A cancel refused to send the request (see `guardWrites`): nothing reached Dokploy, and it is no network error.
    if (isSyncError(error)) {
      throw error;
    }
    throw noResponseError("dokploy_unreachable", `Dokploy ${operation}`, error);
  }
  const { response } = result;
  if (response.ok) {
    return result.data as T;
  }
  const info = classifyDokployError(result.error, response);
  const detail = upstreamText(result.error, info.issues);
  const code = classify(info.code, info.retryable, response.status);
  const expected = code === "dokploy_auth_failed" ? "an API key with access" : "success";
  throw new SyncError(code, `[@iac/server] Dokploy ${operation}: expected ${expected}, received ${response.status}`, {
    detail,
  });
}

function classify(code: string, retryable: boolean, status: number): SyncErrorCode {
  if (code === "unauthorized" || code === "forbidden") {
    return "dokploy_auth_failed";
  }
  if (retryable || code === "server_error" || status === 408) {
    return "dokploy_unreachable";
  }
  return "dokploy_error";
}

/**
 * Dokploy's explanation, uncut: `classifyDokployError` shortens a text body to 200 characters, which would cut a
 * secret it echoes before it can be masked, so text bodies are read here instead.
 */
function upstreamText(error: unknown, issues: readonly string[]): string | undefined {
  if (typeof error === "string") {
    return error;
  }
  const message =
    typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
      ? error.message
      : "";
  const text = issues.length > 0 ? `${message} (${issues.join("; ")})` : message;
  return text === "" ? undefined : text;
}
