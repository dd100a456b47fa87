/** `iac-runner --help`. */
export const MAIN_USAGE = `Usage: iac-runner <command> [options]

GitOps deploys to Dokploy: verified GitHub webhooks and CI requests, only what changed is redeployed.

Commands:
  serve          Start the HTTP server (configuration from the environment; see the README)
  sign           Print signature headers for a request body, for curl users
  tag            Print the next staging tag or the production tag of a staging tag, for release workflows
  deploy         Ask a running runner to deploy a tag or commit; --wait follows it to the end
  status         Show a deployment and each of its services
  history        List deployments, newest first (needs IAC_API_TOKEN)
  drift          Show the last drift detection report: Dokploy against what was deployed (needs IAC_API_TOKEN)
  doctor         Check the configuration and every dependency (git, Dokploy, Vault, job store)
  healthcheck    Exit 0 when the runner's /health answers 200, for container HEALTHCHECKs
  validate       Check iac.config.yaml and the services of a commit, offline; print the catalog
  hash           Print a service's config hash at a commit and the digest of every input
  plan           Dry run: what a sync would create, update or skip, and which inputs changed

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
branch (IAC_POLL_INTERVAL repeats that, e.g. 5m). IAC_RECONCILE_INTERVAL (e.g. 10m) compares Dokploy
with what was deployed that often: DEPLOY_ENV at the synced commit, other environments at each service's last
successful job (GET /drift, and a redeploy with reconcile: correct). Without IAC_HASH_KEY it warns at start: the config
hashes of services with Vault secrets are then keyed with WEBHOOK_SECRET, and rotating it redeploys
each of them once.

With GITHUB_TOKEN set, each job shows on its commit as a status (iac-runner/<env>) and a GitHub
deployment, in GITHUB_REPOSITORY (default: the owner/name of GIT_REPO_URL) through GITHUB_API_URL
(GitHub Enterprise: https://<host>/api/v3); IAC_PUBLIC_URL makes them link to the job. Pull requests to
GIT_BRANCH (webhook event pull_request) then get a comment saying what merging would redeploy to
DEPLOY_ENV. See the README for every variable.

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

/** `iac-runner deploy --help`. */
export const DEPLOY_USAGE = `Usage: iac-runner deploy --url <runner> --env <env> (--tag <tag> | --ref <sha>) [--services <a,b>]
                         [--triggered-by <who>] [--wait [--timeout <seconds>]] [--json] [--verbose]

Ask a running runner to deploy a tag or commit (POST /deploy, timestamped signature) and print the deployment
id and its services. The secret is read from WEBHOOK_SECRET, never from the command line. With --wait, follow
the deployment (GET /deployments/<id>, with IAC_API_TOKEN when set so errors show their text) and print each
service's progress as it changes.

Options:
  --url <runner>          The runner's base URL, e.g. https://iac.example.com
  --env <env>             Environment to deploy to, e.g. staging
  --tag <tag>             Tag of the repository to deploy
  --ref <sha>             Commit to deploy (40 hex characters), instead of --tag
  --services <a,b>        Only these services (default: every automatic service)
  --triggered-by <who>    Recorded with the deployment, e.g. github-actions
  --wait                  Follow the deployment until it ends
  --timeout <seconds>     How long --wait follows it (default 3600); the deployment goes on afterwards
  --json                  Print one JSON document on stdout (no progress lines)
  --verbose               Add details to an error
  -h, --help              Show this help

Exit codes:
  0  accepted (without --wait), or the deployment succeeded (with --wait)
  1  the runner refused the request, could not be reached, or the deployment failed, was cancelled or
     superseded, or --timeout passed
  2  usage error
`;

/** `iac-runner status --help`. */
export const STATUS_USAGE = `Usage: iac-runner status <deployment-id> --url <runner> [--json] [--verbose]

Show a deployment and each of its services (GET /deployments/<id>). Error texts are shown when IAC_API_TOKEN
is set; without it, only their codes.

Options:
  --url <runner>    The runner's base URL
  --json            Print the deployment as one JSON document
  --verbose         Add details to an error
  -h, --help        Show this help

Exit codes:
  0  the deployment was shown, whatever its state
  1  unknown deployment, or the runner refused or could not be reached
  2  usage error
`;

/** `iac-runner history --help`. */
export const HISTORY_USAGE = `Usage: iac-runner history --url <runner> [--env <env>] [--service <name>] [--state <state>]
                          [--limit <n>] [--cursor <cursor>] [--json] [--verbose]

List deployments, newest first (GET /deployments). Needs the runner's API token in IAC_API_TOKEN.

Options:
  --url <runner>       The runner's base URL
  --env <env>          Only deployments to this environment
  --service <name>     Only deployments that include this service
  --state <state>      queued, running, succeeded, failed, superseded or cancelled
  --limit <n>          At most n deployments, 1 to 100 (default 20)
  --cursor <cursor>    The next page, as printed after "more:"
  --json               Print the page as one JSON document ({ jobs, nextCursor })
  --verbose            Add details to an error
  -h, --help           Show this help

Exit codes:
  0  the deployments were listed
  1  IAC_API_TOKEN is not set, or the runner refused or could not be reached
  2  usage error
`;

/** `iac-runner drift --help`. */
export const DRIFT_USAGE = `Usage: iac-runner drift --url <runner> [--json] [--verbose]

Show the runner's last drift detection report (GET /drift): each automatic service of DEPLOY_ENV at the
synced commit, then of every other environment at the commit of its last successful job there (services
never deployed there are left out), in_sync, drifted, missing, not_done, unknown or pending, and any
correction submitted. The runner checks every IAC_RECONCILE_INTERVAL. Needs the runner's API token in
IAC_API_TOKEN.

Options:
  --url <runner>    The runner's base URL
  --json            Print the report as one JSON document
  --verbose         Add details to an error
  -h, --help        Show this help

Exit codes:
  0  the report was shown, whatever it says
  1  IAC_API_TOKEN is not set, or the runner refused or could not be reached
  2  usage error
`;

/** `iac-runner doctor --help`. */
export const DOCTOR_USAGE = `Usage: iac-runner doctor [--timeout <seconds>] [--json] [--verbose]

Check the runner's configuration and dependencies, reading the configuration exactly like serve (environment
and secrets file), one line each with what is wrong and how to fix it:
  configuration    every missing or invalid variable
  git              GIT_REPO_URL answers (ls-remote) and GIT_BRANCH exists, in a temporary clone
  iac.config.yaml  valid at the branch tip, with DEPLOY_ENV among its environments
  Dokploy          DOKPLOY_URL answers and accepts DOKPLOY_API_KEY (project.all)
  Vault            the token works (lookup-self); a warning when it expires within a day and is not renewable
  Vault paths      every Vault path of the synced services, for DEPLOY_ENV, can be read (values are not shown)
  job store        the SQLite file in IAC_DATA_DIR can be opened (not while a runner holds it), or
                   PostgreSQL at IAC_DATABASE_URL answers
Lines start with ✓ / ✗ / ! on a terminal, and with ok / FAIL / WARN / SKIP otherwise.

Options:
  --timeout <seconds>    Upper bound of each check (default 60)
  --json                 Print one JSON document ({ ok, checks: [{ name, status, message, fix }] })
  --verbose              Add details to an unexpected error
  -h, --help             Show this help

Exit codes:
  0  every check passed (warnings allowed)
  1  a check failed
  2  usage error
`;

/** `iac-runner healthcheck --help`. */
export const HEALTHCHECK_USAGE = `Usage: iac-runner healthcheck [--url <runner>] [--json] [--verbose]

Exit 0 when the runner's GET /health answers 200 within 3 seconds, else 1 with one line; prints nothing on
success. For a container HEALTHCHECK in an image without curl:
  HEALTHCHECK CMD ["iac-runner", "healthcheck"]

Options:
  --url <runner>    The runner to ask (default http://127.0.0.1:$PORT, PORT defaulting to 8080)
  --json            Print one JSON document ({ ok, url, status, health })
  --verbose         Add details to a failure
  -h, --help        Show this help

Exit codes:
  0  /health answered 200
  1  it answered another status (503 while shutting down), or not in time
  2  usage error
`;

/** `iac-runner validate --help`. */
export const VALIDATE_USAGE = `Usage: iac-runner validate [--repo <path>] [--ref <rev>] [--json] [--verbose]

Offline check of a commit, read from the git object store like the runner reads it (never the working tree:
commit first): iac.config.yaml is validated with the runner's own rules, the services are discovered, and each
compose file is checked as a sync would (YAML, no local build context, mounted files UTF-8 text, Vault paths
valid in every environment). Prints the catalog: layer, name, folder, compose, files, the files the compose
mounts, the static env and the Vault paths of each service. Otherwise prints every problem at once, one line
each, located as file:line:column and key path (iac.config.yaml) or by folder or file. Warnings (a folder
without a compose file, an entry that matches nothing) do not fail.

Options:
  --repo <path>    A clone of the infrastructure repository (default: the current directory)
  --ref <rev>      The commit to check: a branch, tag, SHA or any git revision (default HEAD)
  --json           Print one JSON document ({ valid, commit, services, problems, warnings })
  --verbose        Add details to an error
  -h, --help       Show this help

Exit codes:
  0  valid
  1  a problem was found, or the repository could not be read
  2  usage error
`;

/** `iac-runner hash --help`. */
export const HASH_USAGE = `Usage: iac-runner hash <service> [--env <env>] [--ref <rev>] [--repo <path>] [--json] [--verbose]

Print the config hash of one service at a commit, exactly as the runner records it in IAC_CONFIG_HASH, and
every input that went into it with its own digest: the compose and each file (sha256 of their bytes), each
plain env key (its value is shown: it is not secret) and each Vault key (an HMAC keyed with the hash key,
like the hash; Vault values are never printed). The service is a name, layer/name or folder.

Run it with the runner's configuration: VAULT_ADDR and INTERNAL_DOMAIN go into every service's env, and
Vault is read (VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID) when the service declares Vault paths, with
IAC_HASH_KEY (else WEBHOOK_SECRET) as the hash key. The secrets file (IAC_SECRETS_FILE) applies as for serve.

Options:
  --env <env>      Environment (default DEPLOY_ENV, else staging)
  --ref <rev>      The commit: a branch, tag, SHA or any git revision (default HEAD)
  --repo <path>    A clone of the infrastructure repository (default: the current directory)
  --json           Print one JSON document ({ service, env, commit, hash, inputs })
  --verbose        Add details to an error
  -h, --help       Show this help

Exit codes:
  0  the hash was printed
  1  the service, environment, repository, configuration or Vault could not be used
  2  usage error
`;

/** `iac-runner plan --help`. */
export const PLAN_USAGE = `Usage: iac-runner plan [--env <env>] [--ref <commit|tag|branch>] [--since <rev>] [--repo <path|url>]
                       [--json] [--verbose]

Dry run of a sync: for each automatic service (or, with --since, each service changed between --since and
--ref, mapped like a push), whether a sync would create, update or skip it and why, the hash stored in
Dokploy and the new one, and which files and env keys changed since the commit Dokploy last deployed. A hash
that changed with no file or env key is reported as Vault secrets (or something else not in git) changed.
Dokploy is only read, never changed; a missing project, environment or compose means create. No secret
value is printed.

Reads DOKPLOY_URL and DOKPLOY_API_KEY, and Vault and the hash key like hash (see iac-runner hash --help).

Options:
  --env <env>        Environment (default DEPLOY_ENV, else staging)
  --ref <rev>        The commit to plan: a commit, tag or branch (default HEAD; for a URL, the remote's
                     default branch)
  --since <rev>      Plan only the services changed between this commit and --ref
  --repo <path|url>  A clone, or a repository URL fetched into a temporary mirror that is removed afterwards
                     (default: the current directory)
  --json             Print one JSON document ({ env, commit, changes, summary, services, skipped })
  --verbose          Add details to an error
  -h, --help         Show this help

Exit codes (like terraform plan -detailed-exitcode, so scripts can tell changes from failures):
  0  nothing would deploy
  1  error, usage errors included
  2  something would be created or updated
`;
