import { createHmac } from "node:crypto";

/** The size of a typical push delivery (a few commits with their file lists). */
const TARGET_BYTES = 7_700;

/** A push event of about 7.7 KB to `branch`. */
export function pushPayload(branch: string): string {
  const sha = (digit: string) => digit.repeat(40);
  const commit = (index: number) => ({
    id: `${index}`.padStart(40, "c"),
    message: `Update service ${index}: bump the image tag and tune the healthcheck`,
    timestamp: "2026-01-01T00:00:00Z",
    author: { name: "Dev", email: "dev@example.com", username: "dev" },
    added: [],
    removed: [],
    modified: [`apps/0${index % 10}.service-${index}/compose.yaml`, `apps/0${index % 10}.service-${index}/.env`],
  });
  const event = {
    ref: `refs/heads/${branch}`,
    before: sha("a"),
    after: sha("b"),
    created: false,
    deleted: false,
    forced: false,
    repository: { id: 1, name: "infra", full_name: "acme/infra", private: true, default_branch: "main" },
    pusher: { name: "dev", email: "dev@example.com" },
    sender: { login: "dev", id: 1, type: "User" },
    commits: [] as ReturnType<typeof commit>[],
  };
  while (JSON.stringify(event).length < TARGET_BYTES) {
    event.commits.push(commit(event.commits.length));
  }
  return JSON.stringify(event);
}

/** GitHub's `X-Hub-Signature-256` of `body`. */
export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
