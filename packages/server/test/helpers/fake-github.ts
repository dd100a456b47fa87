import { HttpResponse, http } from "msw";
import { serveHandlers } from "./serve-handlers.js";

/** One request the fake GitHub received, as sent. */
export interface GithubCall {
  method: string;
  /** Path without the API prefix, e.g. `/repos/acme/infra/statuses/<sha>`. */
  path: string;
  /** Path as received, prefix included. */
  fullPath: string;
  query: Record<string, string>;
  /** The JSON body; undefined without one. */
  body: unknown;
  authorization: string | null;
  /** Every header, names in lower case. */
  headers: Record<string, string>;
}

/** A commit status as GitHub keeps it. */
export interface GithubCommitStatus {
  sha: string;
  state: string;
  context: string;
  description: string;
  target_url?: string;
}

/** A deployment with its statuses, oldest first. */
export interface GithubDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  payload: unknown;
  production_environment: boolean;
  auto_merge: unknown;
  required_contexts: unknown;
  statuses: { state: string; description: string; log_url?: string }[];
}

/** Who wrote a comment, as GitHub names a comment's `user`. */
export interface GithubUser {
  login: string;
  /** `User`, or `Bot` for a GitHub App (whose login ends in `[bot]`). */
  type: "User" | "Bot";
}

/** An issue (or pull request) comment, as last written. */
export interface GithubComment {
  id: number;
  issue: number;
  body: string;
  user: GithubUser;
  /** How many times it was edited after it was created. */
  edits: number;
}

/** The body of `POST /repos/{owner}/{repo}/deployments` (the sha in `ref`, as the runner sends it). */
interface DeploymentRequest {
  ref: string;
  environment?: string;
  description?: string;
  payload?: unknown;
  production_environment?: boolean;
  auto_merge?: unknown;
  required_contexts?: unknown;
}

/** What the next request matching a fault gets instead of GitHub's answer: an answer, a dropped connection, none. */
export type GithubFault = { status: number; body?: unknown; headers?: Record<string, string> } | "network" | "hang";

export interface FakeGithubOptions {
  /** The token the fake accepts (default `ghp_fake-token`). */
  token?: string;
  /** `owner/name` of the only repository (default `acme/infra`). */
  repository?: string;
  /** Path the API lives under: `""` for api.github.com (the default), `/api/v3` for GitHub Enterprise Server. */
  prefix?: string;
  /**
   * Who the token writes as. A user's token (the default, `iac-bot`) can read `GET /user`; an app's installation
   * token (`type: "Bot"`) cannot: GitHub answers it 403.
   */
  identity?: GithubUser;
}

/** A GitHub REST API of commit statuses, deployments and issue comments, on a real loopback port. */
export interface FakeGithub {
  /** What a client is given as its API URL: origin and prefix. */
  readonly apiUrl: string;
  readonly token: string;
  readonly calls: GithubCall[];
  readonly statuses: GithubCommitStatus[];
  readonly deployments: GithubDeployment[];
  /** Comments on issues and pull requests, oldest first. */
  readonly comments: GithubComment[];
  /** Adds a comment written by someone else (a pull request's author, another bot) to issue `issue`. */
  addComment(issue: number, body: string, user: GithubUser): GithubComment;
  /** Answers the next request whose `METHOD path` (prefix left out) matches `route` with `fault`, once. */
  failNext(route: RegExp, fault: GithubFault): void;
  close(): Promise<void>;
}

const COMMIT_STATES = ["pending", "success", "failure", "error"];
const DEPLOYMENT_STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

function invalid(field: string): Response {
  return HttpResponse.json(
    { message: "Validation Failed", errors: [{ resource: "Status", field, code: "invalid" }] },
    { status: 422 },
  );
}

/**
 * Serves a fake GitHub: it checks the token and the repository like GitHub (401, 404), validates states and the
 * 140-character descriptions (422), keeps statuses, deployments and issue comments (listed 30 a page unless
 * `per_page` says otherwise, like GitHub), and records every request.
 */
export async function serveFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const token = options.token ?? "ghp_fake-token";
  const repository = options.repository ?? "acme/infra";
  const prefix = options.prefix ?? "";
  const identity: GithubUser = options.identity ?? { login: "iac-bot", type: "User" };
  const calls: GithubCall[] = [];
  const statuses: GithubCommitStatus[] = [];
  const deployments: GithubDeployment[] = [];
  const comments: GithubComment[] = [];
  const faults: { route: RegExp; fault: GithubFault }[] = [];
  const addComment = (issue: number, body: string, user: GithubUser): GithubComment => {
    const comment = { id: 5000 + comments.length, issue, body, user, edits: 0 };
    comments.push(comment);
    return comment;
  };

  const served = await serveHandlers(
    (origin) => {
      const repo = `${origin}${prefix}/repos/${repository}`;
      const handlers = [
        http.all(`${origin}/*`, async ({ request }) => {
          const url = new URL(request.url);
          const text = await request.clone().text();
          const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
          calls.push({
            method: request.method,
            path,
            fullPath: url.pathname,
            query: Object.fromEntries(url.searchParams),
            body: text === "" ? undefined : JSON.parse(text),
            authorization: request.headers.get("authorization"),
            headers: Object.fromEntries(request.headers),
          });
          const index = faults.findIndex(({ route }) => route.test(`${request.method} ${path}`));
          const fault = index === -1 ? undefined : faults.splice(index, 1)[0]?.fault;
          if (fault === "network") {
            return HttpResponse.error();
          }
          if (fault === "hang") {
            return new Promise<never>(() => undefined);
          }
          if (fault !== undefined) {
            return HttpResponse.json(fault.body ?? { message: "fault" }, {
              status: fault.status,
              headers: fault.headers ?? {},
            });
          }
          const auth = request.headers.get("authorization")?.toLowerCase();
          if (auth !== `token ${token}`.toLowerCase() && auth !== `bearer ${token}`.toLowerCase()) {
            return HttpResponse.json({ message: "Bad credentials" }, { status: 401 });
          }
          if (url.pathname === `${prefix}/user` && request.method === "GET") {
            return identity.type === "Bot"
              ? HttpResponse.json({ message: "Resource not accessible by integration" }, { status: 403 })
              : HttpResponse.json({ ...identity, id: 1 });
          }
          if (!url.pathname.toLowerCase().startsWith(`${prefix}/repos/${repository}/`.toLowerCase())) {
            return HttpResponse.json({ message: "Not Found" }, { status: 404 });
          }
          return undefined;
        }),

        http.post<{ sha: string }>(`${repo}/statuses/:sha`, async ({ request, params }) => {
          const body = (await request.json()) as Omit<GithubCommitStatus, "sha">;
          if (!COMMIT_STATES.includes(body.state)) {
            return invalid("state");
          }
          if ((body.description ?? "").length > 140) {
            return invalid("description");
          }
          statuses.push({ sha: params.sha, ...body });
          return HttpResponse.json({ id: statuses.length, ...body }, { status: 201 });
        }),

        http.get(`${repo}/deployments`, ({ request }) => {
          const query = new URL(request.url).searchParams;
          const matching = deployments.filter(
            (deployment) =>
              (query.get("sha") === null || deployment.sha === query.get("sha")) &&
              (query.get("environment") === null || deployment.environment === query.get("environment")),
          );
          return HttpResponse.json(matching.toReversed().map(({ statuses: _, ...deployment }) => deployment));
        }),

        http.post(`${repo}/deployments`, async ({ request }) => {
          const body = (await request.json()) as DeploymentRequest;
          const deployment: GithubDeployment = {
            id: 1000 + deployments.length,
            sha: body.ref,
            ref: body.ref,
            environment: body.environment ?? "production",
            description: body.description ?? null,
            payload: body.payload ?? {},
            production_environment: body.production_environment === true,
            auto_merge: body.auto_merge,
            required_contexts: body.required_contexts,
            statuses: [],
          };
          deployments.push(deployment);
          const { statuses: _, ...answer } = deployment;
          return HttpResponse.json(answer, { status: 201 });
        }),

        http.post<{ id: string }>(`${repo}/deployments/:id/statuses`, async ({ request, params }) => {
          const deployment = deployments.find((candidate) => String(candidate.id) === params.id);
          if (deployment === undefined) {
            return HttpResponse.json({ message: "Not Found" }, { status: 404 });
          }
          const body = (await request.json()) as GithubDeployment["statuses"][number];
          if (!DEPLOYMENT_STATES.includes(body.state)) {
            return invalid("state");
          }
          if ((body.description ?? "").length > 140) {
            return invalid("description");
          }
          deployment.statuses.push(body);
          return HttpResponse.json({ id: deployment.statuses.length, ...body }, { status: 201 });
        }),

        http.get<{ issue: string }>(`${repo}/issues/:issue/comments`, ({ request, params }) => {
          const query = new URL(request.url).searchParams;
          const perPage = Number(query.get("per_page") ?? 30);
          const page = Number(query.get("page") ?? 1);
          const listed = comments
            .filter((comment) => String(comment.issue) === params.issue)
            .slice((page - 1) * perPage, page * perPage);
          return HttpResponse.json(listed.map(({ id, body, user }) => ({ id, body, user })));
        }),

        http.post<{ issue: string }>(`${repo}/issues/:issue/comments`, async ({ request, params }) => {
          const { body } = (await request.json()) as { body?: unknown };
          if (typeof body !== "string" || body === "") {
            return invalid("body");
          }
          const comment = addComment(Number(params.issue), body, identity);
          return HttpResponse.json({ id: comment.id, body, user: comment.user }, { status: 201 });
        }),

        http.patch<{ id: string }>(`${repo}/issues/comments/:id`, async ({ request, params }) => {
          const comment = comments.find((candidate) => String(candidate.id) === params.id);
          if (comment === undefined) {
            return HttpResponse.json({ message: "Not Found" }, { status: 404 });
          }
          const { body } = (await request.json()) as { body?: unknown };
          if (typeof body !== "string" || body === "") {
            return invalid("body");
          }
          // As on GitHub, a token with write access may edit anyone's comment: only the runner can tell its own.
          comment.body = body;
          comment.edits += 1;
          return HttpResponse.json({ id: comment.id, body, user: comment.user });
        }),
      ];
      return { apiUrl: `${origin}${prefix}`, handlers };
    },
    (fake) => fake.handlers,
  );
  return {
    apiUrl: served.fake.apiUrl,
    token,
    calls,
    statuses,
    deployments,
    comments,
    addComment,
    failNext: (route, fault) => faults.push({ route, fault }),
    close: served.close,
  };
}
