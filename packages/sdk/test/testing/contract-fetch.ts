import type { OpenApiValidator } from "../../src/testing/shared/openapi-validator.js";

/** A response body that does not match the spec's schema for its operation and status. */
export interface ContractViolation {
  operation: string;
  status: number;
  detail: unknown;
}

/** `fetch` that checks every JSON response against the response schema of its operation and status. */
export interface ContractFetch {
  fetch: typeof fetch;
  violations: ContractViolation[];
  /** `"<METHOD> <spec path> <status>"` of every response that was checked. */
  checked: string[];
}

/**
 * Wraps `globalThis.fetch` (call after `server.listen()`). `toSpecPath` maps a request URL to the spec's path template,
 * or `undefined` for URLs outside the spec (recorded as a violation).
 */
export function createContractFetch(
  validator: OpenApiValidator,
  toSpecPath: (url: URL) => string | undefined,
): ContractFetch {
  const violations: ContractViolation[] = [];
  const checked: string[] = [];
  const contractFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request.clone());
    const path = toSpecPath(new URL(request.url));
    const operation = `${request.method} ${path ?? request.url}`;
    const text = await response.clone().text();
    if (text === "") {
      // 204s and procedures that return nothing have no body to check.
      return response;
    }
    if (path === undefined || !validator.has(request.method, path)) {
      violations.push({ operation, status: response.status, detail: "operation not in spec" });
      return response;
    }
    const check = validator.response(request.method, path, response.status);
    if (!check) {
      violations.push({ operation, status: response.status, detail: "no response schema for this status" });
      return response;
    }
    const issues = check(JSON.parse(text));
    if (issues) {
      violations.push({ operation, status: response.status, detail: issues });
    }
    checked.push(`${operation} ${response.status}`);
    return response;
  };
  return { fetch: contractFetch, violations, checked };
}
