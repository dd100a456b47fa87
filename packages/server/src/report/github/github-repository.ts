// GitHub's rules: an owner is 1 to 39 letters, digits or inner hyphens; a repository name is letters, digits, `.`, `-`
// and `_`, never `.` or `..` alone.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

// `https://[credentials@]host[:port]/owner/name[.git][/]` and `ssh://[user@]host[:port]/owner/name[.git][/]`.
const URL_PATH = /^(?:https|ssh):\/\/[^/]+\/([^/]+\/[^/]+?)(?:\.git)?\/?$/i;
// scp-like `user@host:owner/name[.git]`.
const SCP_PATH = /^[^@/\s]+@[^:/\s]+:\/?([^/]+\/[^/]+?)(?:\.git)?\/?$/;

/** `owner/name` when `text` is a valid GitHub repository written that way; undefined otherwise. */
export function parseGithubRepository(text: string): string | undefined {
  const [owner, name, ...rest] = text.split("/");
  if (owner === undefined || name === undefined || rest.length > 0) {
    return undefined;
  }
  return OWNER.test(owner) && NAME.test(name) && name !== "." && name !== ".." ? `${owner}/${name}` : undefined;
}

/**
 * The repository an https, ssh or scp-like git URL names when its path is exactly `owner/name` (`.git` dropped), as
 * on github.com and GitHub Enterprise Server; undefined for any other URL (a deeper path, `file://`).
 */
export function githubRepositoryOfUrl(url: string): string | undefined {
  const path = URL_PATH.exec(url)?.[1] ?? SCP_PATH.exec(url)?.[1];
  return path === undefined ? undefined : parseGithubRepository(path);
}
