/** `iac-runner --help`. */
export const MAIN_USAGE = `Usage: iac-runner <command> [options]

GitOps deploys to Dokploy: verified GitHub webhooks and CI requests, only what changed is redeployed.

Commands:
  serve    Start the HTTP server (configuration from the environment; see the README)
  sign     Print signature headers for a request body, for curl users

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
