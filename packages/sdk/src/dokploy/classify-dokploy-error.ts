import { bodyText } from "../http/body-text.js";
import { classifyStatus } from "../http/classify-status.js";
import { isRecord } from "../is-record.js";
import type { DokployErrorInfo } from "../types.js";

/**
 * Normalises the `error` of a failed Dokploy call. Works with every body Dokploy sends: tRPC errors
 * (`{ message, code, issues? }`), the route guard's `{ message }` without code, and non-JSON proxy pages.
 *
 * @example
 * const { error, response } = await dokploy.GET("/compose.one", { params: { query: { composeId } } });
 * if (error !== undefined) {
 *   const info = classifyDokployError(error, response);
 *   if (info.code === "unauthorized") { ... } // bad key, or no access to this project
 * }
 */
export function classifyDokployError(error: unknown, response: Response): DokployErrorInfo {
  const { code, retryable } = classifyStatus(response.status);
  const body = isRecord(error) ? error : {};
  const { message, code: trpcCode, issues } = body;
  const issueMessages = Array.isArray(issues)
    ? issues.flatMap((issue: unknown) => {
        const { message: text } = isRecord(issue) ? issue : {};
        return typeof text === "string" ? [text] : [];
      })
    : [];
  return {
    code,
    status: response.status,
    message: (typeof message === "string" && message !== "" ? message : bodyText(error)) ?? `HTTP ${response.status}`,
    retryable,
    trpcCode: typeof trpcCode === "string" ? trpcCode : undefined,
    issues: issueMessages,
  };
}
