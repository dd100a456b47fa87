import type { PlanErrorCode } from "./types.js";

/**
 * The one table of codes a request can be refused with while it is resolved into a plan: the HTTP status the server
 * answers with and a short title for docs. `PlanError` takes its `status` from here, so a code and its status can
 * never disagree between the sync core, the server and the API docs.
 */
export const PLAN_ERRORS: Readonly<Record<PlanErrorCode, { readonly status: number; readonly title: string }>> =
  Object.freeze({
    unknown_env: Object.freeze({ status: 400, title: "The environment is not one of the repository's environments" }),
    unknown_service: Object.freeze({ status: 400, title: "No service of that name at the commit" }),
    service_manual: Object.freeze({ status: 403, title: "The service is deployed by hand, never by the runner" }),
    config_invalid: Object.freeze({ status: 422, title: "The repository's iac.config.yaml is invalid at the commit" }),
    invalid_tag: Object.freeze({ status: 400, title: "The tag is not a valid tag name" }),
    invalid_ref: Object.freeze({ status: 400, title: "The ref is not a 40-hex commit SHA" }),
    tag_not_found: Object.freeze({ status: 404, title: "The tag does not exist in the repository" }),
    commit_not_found: Object.freeze({ status: 404, title: "The commit does not exist in the repository" }),
    commit_mismatch: Object.freeze({
      status: 409,
      title: "The request's commit or staging_tag names another commit than its tag or ref",
    }),
    branch_not_found: Object.freeze({ status: 502, title: "The followed branch does not exist in the repository" }),
    git_fetch_failed: Object.freeze({ status: 502, title: "The repository could not be fetched or read" }),
  });
