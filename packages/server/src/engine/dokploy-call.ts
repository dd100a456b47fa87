import { noResponseError } from "./describe-network-error.js";
import { SyncError } from "./sync-error.js";

/** The shape of an openapi-fetch result, without its type parameters. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

const MAX_MESSAGE = 200;

/**
 * Runs one Dokploy request and returns its data, or throws a classified {@link SyncError}: 401/403 (including the
 * route guard's 401 without a `code`) → `dokploy_auth_failed`; no response, a timeout, 408, 429 or 5xx (after the
 * client's own retries) → `dokploy_unreachable`; any other status → `dokploy_error`.
 */
export async function dokployCall<T>(operation: string, request: () => Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request();
  } catch (error) {
    throw noResponseError("dokploy_unreachable", `Dokploy ${operation}`, error);
  }
  const { status } = result.response;
  if (result.response.ok) {
    return result.data as T;
  }
  const detail = describeError(result.error);
  if (status === 401 || status === 403) {
    throw new SyncError(
      "dokploy_auth_failed",
      `[@iac/server] Dokploy ${operation}: expected an API key with access, received ${status}${detail}`,
    );
  }
  const code = status >= 500 || status === 408 || status === 429 ? "dokploy_unreachable" : "dokploy_error";
  throw new SyncError(code, `[@iac/server] Dokploy ${operation}: expected success, received ${status}${detail}`);
}

function describeError(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    const message = error.message.length > MAX_MESSAGE ? `${error.message.slice(0, MAX_MESSAGE)}…` : error.message;
    return ` "${message}"`;
  }
  return "";
}
