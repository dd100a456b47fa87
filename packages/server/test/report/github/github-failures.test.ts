import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGithubReporter } from "../../../src/report/github/create-github-reporter.js";
import { ReportPartial, ReportRefused } from "../../../src/report/report-refused.js";
import type { GithubReporterOptions, JobReporter } from "../../../src/types.js";
import { type FakeGithub, type GithubFault, serveFakeGithub } from "../../helpers/fake-github.js";
import { createLineLogger, type LoggedLine } from "../../helpers/runner-fixture.js";
import { COMMIT_A } from "../../store/store-fixtures.js";
import { reportJob, reportOf } from "../report-fixtures.js";

const STATUSES = `/repos/acme/infra/statuses/${COMMIT_A}`;

let github: FakeGithub;
let lines: LoggedLine[];

beforeEach(async () => {
  github = await serveFakeGithub();
  lines = [];
});

afterEach(() => github.close());

function reporter(options: Partial<GithubReporterOptions> = {}): JobReporter {
  return createGithubReporter({
    token: github.token,
    repository: "acme/infra",
    apiUrl: github.apiUrl,
    logger: createLineLogger(lines),
    ...options,
  });
}

async function rejection(delivery: Promise<unknown>): Promise<Error> {
  const error = await delivery.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const route = (call: { method: string; path: string }): string => `${call.method} ${call.path}`;
const started = () => reportOf("started", reportJob());
const finished = () => reportOf("finished", reportJob({ state: "succeeded" }));

describe("a GitHub fault at each step", () => {
  it("rejects (to be retried) when the commit status fails with 503, having made no deployment", async () => {
    github.failNext(/^POST \/repos\/acme\/infra\/statuses\//, { status: 503, body: { message: "Unavailable" } });

    const error = await rejection(reporter().deliver(started(), null));

    expect(error).not.toBeInstanceOf(ReportRefused);
    expect(error).not.toBeInstanceOf(ReportPartial);
    expect(error.message).toBe(`[@iac/server] GitHub answered 503 to POST ${STATUSES}: Unavailable`);
    expect(github.calls.map(route)).toEqual([`POST ${STATUSES}`]);
    expect(github.deployments).toEqual([]);

    expect(await reporter().deliver(started(), null)).toEqual({ deployment: 1000 });
    expect(github.deployments).toHaveLength(1);
  });

  it("leaves only the pending status when creating the deployment fails, and makes exactly one on retry", async () => {
    github.failNext(/^POST \/repos\/acme\/infra\/deployments$/, { status: 502 });

    await rejection(reporter().deliver(started(), null));
    expect(github.statuses.map((status) => status.state)).toEqual(["pending"]);
    expect(github.deployments).toEqual([]);

    await reporter().deliver(started(), null);
    await reporter().deliver(started(), null);
    expect(github.deployments).toHaveLength(1);
    expect(github.deployments[0]?.statuses.map((status) => status.state)).toEqual(["in_progress", "in_progress"]);
  });

  it("keeps the deployment id when its status fails, so the retry neither looks for nor makes a deployment", async () => {
    github.failNext(/^POST \/repos\/acme\/infra\/deployments\/\d+\/statuses$/, "network");

    const error = await rejection(reporter().deliver(started(), null));

    expect(error).toBeInstanceOf(ReportPartial);
    expect((error as ReportPartial).memo).toEqual({ deployment: 1000 });
    expect(error.message).toMatch(
      /^\[@iac\/server\] GitHub did not answer POST \/repos\/acme\/infra\/deployments\/1000/,
    );
    expect(github.deployments[0]?.statuses).toEqual([]);

    const calls = github.calls.length;
    expect(await reporter().deliver(started(), { deployment: 1000 })).toEqual({ deployment: 1000 });
    expect(github.calls.slice(calls).map(route)).toEqual([
      `POST ${STATUSES}`,
      "POST /repos/acme/infra/deployments/1000/statuses",
    ]);
    expect(github.deployments).toHaveLength(1);
    expect(github.deployments[0]?.statuses.map((status) => status.state)).toEqual(["in_progress"]);
  });

  it("creates the deployment when finished comes without a memo (the job ended before started went out)", async () => {
    expect(await reporter().deliver(finished(), null)).toEqual({ deployment: 1000 });

    expect(github.calls.map(route)).toEqual([
      `POST ${STATUSES}`,
      "GET /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments/1000/statuses",
    ]);
    expect(github.statuses.map((status) => status.state)).toEqual(["success"]);
    expect(github.deployments[0]?.statuses.map((status) => status.state)).toEqual(["success"]);
  });

  it("finds the deployment of started when finished comes without its memo", async () => {
    await reporter().deliver(started(), null);
    expect(await reporter().deliver(finished(), null)).toEqual({ deployment: 1000 });

    expect(github.deployments).toHaveLength(1);
    expect(github.deployments[0]?.statuses.map((status) => status.state)).toEqual(["in_progress", "success"]);
  });

  it("delivers finished twice without harm: the same final statuses on the one deployment", async () => {
    const memo = await reporter().deliver(started(), null);
    await reporter().deliver(finished(), memo);
    await reporter().deliver(finished(), memo);

    expect(github.deployments).toHaveLength(1);
    expect(github.statuses.map((status) => status.state)).toEqual(["pending", "success", "success"]);
    expect(github.deployments[0]?.statuses.map((status) => status.state)).toEqual([
      "in_progress",
      "success",
      "success",
    ]);
  });

  it("refuses to report a job that has not finished as finished, and calls nothing", async () => {
    const error = await rejection(reporter().deliver(reportOf("finished", reportJob({ state: "running" })), null));

    expect(error).toBeInstanceOf(ReportRefused);
    expect(error.message).toBe(
      "[@iac/server] job 7f2c0e4a-1111-4222-8333-944455556666 was reported finished while it is running",
    );
    expect(github.calls).toEqual([]);
  });

  it("looks the deployment up when the memo holds no deployment number", async () => {
    await reporter().deliver(started(), { deployment: "1000" });

    expect(github.calls.map(route)).toEqual([
      `POST ${STATUSES}`,
      "GET /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments/1000/statuses",
    ]);
  });
});

describe("GitHub's answers", () => {
  it.each<[string, GithubFault]>([
    ["a server error", { status: 500 }],
    ["a dropped connection", "network"],
    ["429 Too Many Requests", { status: 429, headers: { "retry-after": "60" } }],
    ["403 with the rate limit used up", { status: 403, headers: { "x-ratelimit-remaining": "0" } }],
    ["403 of a secondary rate limit", { status: 403, body: { message: "You have exceeded a secondary rate limit." } }],
  ])("rejects on %s, to be retried later", async (_name, fault) => {
    github.failNext(/^POST /, fault);

    const error = await rejection(reporter().deliver(started(), null));

    expect(error).not.toBeInstanceOf(ReportRefused);
    expect(error.message).toMatch(/^\[@iac\/server\] GitHub (answered \d{3} to|did not answer) POST /);
  });

  it("rejects when GitHub does not answer within the request timeout", async () => {
    github.failNext(/^POST /, "hang");

    const error = await rejection(reporter({ timeoutMs: 200 }).deliver(started(), null));

    expect(error).not.toBeInstanceOf(ReportRefused);
    expect(error.message).toMatch(/^\[@iac\/server\] GitHub did not answer POST .*timeout/);
  });

  it("refuses for good on 422, with GitHub's message", async () => {
    github.failNext(/^POST \/repos\/acme\/infra\/deployments$/, {
      status: 422,
      body: { message: "Validation Failed", errors: [{ resource: "Deployment", field: "ref", code: "invalid" }] },
    });

    const error = await rejection(reporter().deliver(started(), null));

    expect(error).toBeInstanceOf(ReportRefused);
    expect(error.message).toMatch(
      /^\[@iac\/server\] GitHub refused POST \/repos\/acme\/infra\/deployments with 422: Validation Failed/,
    );
  });

  it("refuses for good when the deployment status is invalid, without keeping a partial memo", async () => {
    github.failNext(/\/statuses$/, { status: 422, body: { message: "Validation Failed" } });

    const error = await rejection(reporter().deliver(started(), null));

    expect(error).toBeInstanceOf(ReportRefused);
    expect(error.message).toContain("POST /repos/acme/infra/deployments/1000/statuses with 422");
  });

  it("refuses for good on a 403 that is not a rate limit, naming the permission", async () => {
    github.failNext(/^POST /, { status: 403, body: { message: "Resource not accessible by personal access token" } });

    const error = await rejection(reporter().deliver(started(), null));

    expect(error).toBeInstanceOf(ReportRefused);
    expect(error.message).toContain(
      "the token may not write commit statuses, deployments or pull request comments of acme/infra",
    );
  });

  it("refuses for good with a wrong token, and never shows it", async () => {
    const token = "ghp_wrong-token-0123456789";
    const error = await rejection(reporter({ token }).deliver(started(), null));

    expect(error).toBeInstanceOf(ReportRefused);
    expect(error.message).toBe(
      `[@iac/server] GitHub refused POST ${STATUSES} with 401 (the token is invalid or expired): Bad credentials`,
    );
    expect(github.calls[0]?.authorization).toBe(`token ${token}`);
    for (const text of [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(lines)]) {
      expect(text).not.toContain(token);
    }
  });

  it("refuses for good when the repository is unknown, naming it", async () => {
    const error = await rejection(reporter({ repository: "acme/infra-typo" }).deliver(started(), null));

    expect(error).toBeInstanceOf(ReportRefused);
    expect(error.message).toContain("(the repository acme/infra-typo does not exist or the token cannot see it)");
  });

  it("never shows the token in an error or a log line, whatever fails", async () => {
    const faults: GithubFault[] = [{ status: 500 }, "network", { status: 422 }, { status: 403 }];
    for (const fault of faults) {
      github.failNext(/^POST \/repos\/acme\/infra\/deployments$/, fault);
      const error = await rejection(reporter().deliver(started(), null));
      for (const text of [error.message, String(error.stack), JSON.stringify(error)]) {
        expect(text).not.toContain(github.token);
      }
    }
    await reporter().deliver(started(), null);
    expect(lines.some((line) => line.msg === "GitHub deployment created")).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(github.token);
  });
});

describe("the deployment GitHub hands back", () => {
  it.each<[string, unknown]>([
    ["its payload as a JSON string", JSON.stringify({ job: reportJob().id })],
    ["its payload as an object", { job: reportJob().id }],
  ])("is found again by the job in %s, and no other is made", async (_, payload) => {
    github.failNext(/^GET /, {
      status: 200,
      body: [
        { id: 77, payload: "{not json" },
        { id: 7, payload },
      ],
    });

    // The fake holds no deployment 7, so it refuses the status: what matters is which deployment was used.
    const error = await rejection(reporter().deliver(started(), null));
    expect(error.message).toContain("GitHub refused POST /repos/acme/infra/deployments/7/statuses with 404");
    expect(github.calls.map(route)).toEqual([
      `POST ${STATUSES}`,
      "GET /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments/7/statuses",
    ]);
  });

  it.each<[string, unknown]>([
    ["no payload", null],
    ["a payload naming no job", "[1]"],
    ["another job's payload", { job: "job-0" }],
  ])("is not the job's with %s: one is made", async (_, payload) => {
    github.failNext(/^GET /, { status: 200, body: [{ id: 7, payload }] });

    expect(await reporter().deliver(started(), null)).toEqual({ deployment: 1000 });
  });

  it("rejects, to be retried, when GitHub merges instead of making a deployment (202)", async () => {
    github.failNext(/^POST \/repos\/acme\/infra\/deployments$/, { status: 202, body: { message: "Auto-merged" } });

    const error = await rejection(reporter().deliver(started(), null));

    expect(error).not.toBeInstanceOf(ReportRefused);
    expect(error.message).toBe(`[@iac/server] GitHub made no deployment of ${COMMIT_A}: Auto-merged`);
  });

  it.each([
    ["GET /repos/acme/infra/deployments", /^GET /],
    ["POST /repos/acme/infra/deployments", /^POST \/repos\/acme\/infra\/deployments$/],
    ["POST /repos/acme/infra/deployments/1000/statuses", /statuses$/],
  ])("rejects when %s does not answer within the request timeout", async (request, route) => {
    github.failNext(route, "hang");

    const error = await rejection(reporter({ timeoutMs: 200 }).deliver(started(), null));

    expect(error.message).toContain(`GitHub did not answer ${request}: `);
  });
});

describe("the default API", () => {
  it("is api.github.com, through the fetch given", async () => {
    const urls: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      urls.push(String(input instanceof Request ? input.url : input));
      return new Response(JSON.stringify({ message: "Bad credentials" }), {
        status: 401,
        headers: { "content-type": "application/json" },
      });
    };

    const error = await rejection(
      createGithubReporter({ token: "t", repository: "acme/infra", fetch }).deliver(started(), null),
    );

    expect(error).toBeInstanceOf(ReportRefused);
    expect(urls).toEqual([`https://api.github.com/repos/acme/infra/statuses/${COMMIT_A}`]);
  });
});

describe("GitHub Enterprise Server", () => {
  it("sends every request below the API URL's path", async () => {
    const enterprise = await serveFakeGithub({ prefix: "/api/v3" });
    try {
      const ghe = reporter({ apiUrl: `${enterprise.apiUrl}//`, token: enterprise.token });
      await ghe.deliver(finished(), await ghe.deliver(started(), null));

      expect(enterprise.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
      expect(enterprise.calls).toHaveLength(6);
      expect(enterprise.calls.every((call) => call.fullPath.startsWith("/api/v3/repos/acme/infra/"))).toBe(true);
      expect(enterprise.deployments[0]?.statuses.map((status) => status.state)).toEqual(["in_progress", "success"]);
      expect(github.calls).toEqual([]);
    } finally {
      await enterprise.close();
    }
  });
});

describe("without a public URL", () => {
  it("links neither the commit status nor the deployment status", async () => {
    await reporter().deliver(finished(), null);

    expect(github.calls[0]?.body).not.toHaveProperty("target_url");
    expect(github.calls[3]?.body).not.toHaveProperty("log_url");
    expect(github.statuses).toHaveLength(1);
  });
});
