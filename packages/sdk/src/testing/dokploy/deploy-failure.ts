import type { DokployComposeRow, DokployDeploySnapshot } from "../types.js";

const PROVIDERS = {
  github: ["GitHub", ["githubId", "repository", "owner", "branch"]],
  gitlab: ["GitLab", ["gitlabId", "gitlabRepository", "gitlabBranch"]],
  bitbucket: ["Bitbucket", ["bitbucketId", "bitbucketRepository", "bitbucketBranch"]],
  gitea: ["Gitea", ["giteaId", "giteaRepository", "giteaBranch"]],
  git: ["Git", ["customGitUrl", "customGitBranch"]],
} as const;

/**
 * Why real Dokploy would fail this deployment whatever the compose file says, or `undefined`: a git source that is
 * not configured (the default `sourceType` is `"github"`), an empty raw compose file, or a domain without the
 * `serviceName` Traefik labels need.
 */
export function deployFailure({ compose, domains }: DokployDeploySnapshot): string | undefined {
  const unnamed = domains.find((domain) => !domain.serviceName);
  return sourceFailure(compose) ?? (unnamed ? `Domain ${unnamed.host} has no serviceName` : undefined);
}

function sourceFailure(compose: DokployComposeRow): string | undefined {
  if (compose.sourceType === "raw") {
    return compose.composeFile.trim() === "" ? "The compose file is empty" : undefined;
  }
  const [provider, columns] = PROVIDERS[compose.sourceType];
  const missing = columns.filter((column) => !compose[column]);
  return missing.length > 0
    ? `${provider} source is not configured: ${missing.join(", ")} not set (sourceType "${compose.sourceType}")`
    : undefined;
}
