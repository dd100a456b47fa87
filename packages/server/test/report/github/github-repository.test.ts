import { describe, expect, it } from "vitest";
import { githubRepositoryOfUrl, parseGithubRepository } from "../../../src/report/github/github-repository.js";

describe("githubRepositoryOfUrl", () => {
  it.each<[string, { given: string; want: string | undefined }]>([
    ["https", { given: "https://github.com/acme/infra.git", want: "acme/infra" }],
    ["https without .git", { given: "https://github.com/acme/infra", want: "acme/infra" }],
    ["https with a trailing slash", { given: "https://github.com/acme/infra/", want: "acme/infra" }],
    ["https with a token", { given: "https://x-access-token:t0k@github.com/acme/infra.git", want: "acme/infra" }],
    ["GitHub Enterprise with a port", { given: "https://ghe.corp:8443/platform/infra.git", want: "platform/infra" }],
    ["ssh", { given: "ssh://git@github.com/acme/infra.git", want: "acme/infra" }],
    ["ssh with a port", { given: "ssh://git@github.com:22/acme/infra.git", want: "acme/infra" }],
    ["scp-like", { given: "git@github.com:acme/infra.git", want: "acme/infra" }],
    ["a dotted name", { given: "git@github.com:acme/infra.config.git", want: "acme/infra.config" }],
    ["a deeper path", { given: "https://gitlab.com/group/sub/infra.git", want: undefined }],
    ["a path of one segment", { given: "https://git.example.com/infra.git", want: undefined }],
    ["file", { given: "file:///srv/git/acme/infra.git", want: undefined }],
    ["an owner with an underscore", { given: "https://github.com/ac_me/infra.git", want: undefined }],
    ["scp-like without .git", { given: "git@github.com:acme/infra", want: "acme/infra" }],
    ["https behind another scheme", { given: "git+https://github.com/acme/infra.git", want: undefined }],
    ["scp-like after a space", { given: "my git@github.com:acme/infra.git", want: undefined }],
  ])("reads %s", (_name, { given, want }) => {
    expect(githubRepositoryOfUrl(given)).toBe(want);
  });
});

describe("parseGithubRepository", () => {
  it.each<[string, { given: string; want: string | undefined }]>([
    ["owner/name", { given: "acme/infra", want: "acme/infra" }],
    ["hyphens, dots and underscores", { given: "acme-corp/infra_v2.config", want: "acme-corp/infra_v2.config" }],
    ["a name alone", { given: "infra", want: undefined }],
    ["three segments", { given: "acme/infra/extra", want: undefined }],
    ["an owner ending in a hyphen", { given: "acme-/infra", want: undefined }],
    ["a name of two dots", { given: "acme/..", want: undefined }],
    ["a name of one dot", { given: "acme/.", want: undefined }],
    ["an owner of one character", { given: "a/infra", want: "a/infra" }],
    ["a space", { given: "acme/in fra", want: undefined }],
    ["an empty owner", { given: "/infra", want: undefined }],
    ["a URL", { given: "https://github.com/acme/infra", want: undefined }],
  ])("reads %s", (_name, { given, want }) => {
    expect(parseGithubRepository(given)).toBe(want);
  });
});
