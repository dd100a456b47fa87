import { Octokit } from "@octokit/core";
import { noopLogger } from "../../logging/noop-logger.js";
import type { GithubClientOptions, Logger } from "../../types.js";
import { version } from "../../version.js";
import { toReportError } from "./github-failure.js";

/** The REST API version every request asks for. https://docs.github.com/en/rest/about-the-rest-api/api-versions */
const API_VERSION = "2022-11-28";
const DEFAULT_TIMEOUT_MS = 30_000;

/** Octokit set up for one repository, and the wrapper every call goes through. */
export interface GithubClient {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** `/repos/<owner>/<repo>`, for naming requests in errors. */
  path: string;
  logger: Logger;
  /**
   * Runs `send` with a signal bounded by the request timeout; a failure rejects as `toReportError` says, named by
   * `request` (`POST /repos/acme/infra/statuses/<sha>`).
   */
  call<T>(request: string, send: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

/** The Octokit client of one repository, each request bounded by the timeout and its failures classified. */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const [owner = "", repo = ""] = options.repository.split("/");
  const logger = options.logger ?? noopLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: `iac-runner/${version}`,
    request: {
      fetch: options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    },
    log: {
      debug: (message: string) => logger.debug({}, message),
      info: (message: string) => logger.info({}, message),
      warn: (message: string) => logger.warn({}, message),
      error: (message: string) => logger.error({}, message),
    },
  });
  octokit.hook.before("request", (request) => {
    request.headers["x-github-api-version"] = API_VERSION;
  });
  return {
    octokit,
    owner,
    repo,
    path: `/repos/${owner}/${repo}`,
    logger,
    async call(request, send) {
      try {
        return await send(AbortSignal.timeout(timeoutMs));
      } catch (error) {
        throw toReportError(error, request, options.repository);
      }
    },
  };
}
