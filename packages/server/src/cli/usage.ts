/** `iac-runner --help`. */
export const MAIN_USAGE = `Usage: iac-runner <command> [options]

GitOps deploys to Dokploy: verified GitHub webhooks and CI requests, only what changed is redeployed.

Commands:
  serve    Start the HTTP server (configuration from the environment; see the README)
  sign     Print signature headers for a request body, for curl users
  tag      Print the next staging tag or the production tag of a staging tag, for release workflows

Options:
  -h, --help       Show help (also: iac-runner <command> --help)
  -v, --version    Show the version
`;

/** `iac-runner serve --help`. */
export const SERVE_USAGE = `Usage: iac-runner serve [--host <host>] [--port <port>]

Start the HTTP server. Configuration comes from the environment (WEBHOOK_SECRET and GIT_REPO_URL,
DOKPLOY_URL and DOKPLOY_API_KEY are required) and from the secrets file (IAC_SECRETS_FILE, default
/secrets/.env when it exists), which is re-read when it changes. Logs are JSON lines on stdout; the first
"listening" line carries the bound URL.

Jobs live in a SQLite file in IAC_DATA_DIR (one runner process), or in PostgreSQL at IAC_DATABASE_URL
(any number of runner processes). At start the runner resumes unfinished jobs and catches up with the
branch (IAC_POLL_INTERVAL repeats that, e.g. 5m). See the README for every variable.

Options:
  --host <host>    Interface to bind (overrides HOST, default 0.0.0.0)
  --port <port>    Port to bind, 0 for any free port (overrides PORT, default 8080)
  -h, --help       Show this help
`;

/** `iac-runner sign --help`. */
export const SIGN_USAGE = `Usage: iac-runner sign [--body <text> | --file <path>] [--timestamped] [--secret-env <name>]

Print the headers that sign a request body, one "name: value" line each. The body is read from --body,
--file, or stdin. The secret is read from the environment variable WEBHOOK_SECRET (or --secret-env),
never from the command line.

Options:
  --body <text>         The exact body to sign
  --file <path>         Read the body from a file
  --timestamped         Sign with X-IAC-Timestamp and X-IAC-Nonce (replay-protected; for /deploy and /sync)
  --secret-env <name>   Environment variable holding the secret (default WEBHOOK_SECRET)
  -h, --help            Show this help

Example:
  BODY='{"env":"staging","tag":"v1.2.4"}'
  curl -X POST https://iac.example.com/deploy -H 'content-type: application/json' \\
    -H @<(iac-runner sign --timestamped --body "$BODY") --data "$BODY"
`;

/** `iac-runner tag --help`. */
export const TAG_USAGE = `Usage: iac-runner tag <next | promote> [options]

Print release tags computed from the tags of a git repository, one line with only the tag, so a workflow can
run TAG=$(iac-runner tag next). Only the tags already in the repository count: fetch them first (in GitHub
Actions, actions/checkout with fetch-depth: 0).

Commands:
  next       Print the next staging tag: the highest vX.Y.Z with the patch plus one, or v1.0.0
  promote    Print the production tag of a staging tag: vX.Y.Z becomes vX.(Y+1).0

Options:
  -h, --help    Show help (also: iac-runner tag <command> --help)
`;

/** `iac-runner tag next --help`. */
export const TAG_NEXT_USAGE = `Usage: iac-runner tag next [--repo <dir>]

Print the next staging tag: the highest vMAJOR.MINOR.PATCH tag with the patch number plus one (v1.2.3 gives
v1.2.4), or v1.0.0 when there is none. Versions compare as numbers; pre-releases (v2.0.0-rc.1) and other tag
names are ignored.

Options:
  --repo <dir>    The git repository to read the tags of (default: the current directory)
  -h, --help      Show this help
`;

/** `iac-runner tag promote --help`. */
export const TAG_PROMOTE_USAGE = `Usage: iac-runner tag promote <staging-tag> [--repo <dir>]

Print the production tag of a staging tag: the next minor version (v1.2.4 gives v1.3.0). Exits 1 when the
staging tag is not a tag of the repository or when the production tag exists already.

Options:
  --repo <dir>    The git repository to read the tags of (default: the current directory)
  -h, --help      Show this help
`;
