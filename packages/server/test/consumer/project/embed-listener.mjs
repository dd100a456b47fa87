// An application that embeds the runner as the README shows: settings written in code with defineSettings, the
// runner under basePath PREFIX, served by Node's (req, res) listener in the application's own node:http server, with
// the default logger. Prints {"url": ...} once listening, stops on SIGTERM.
import { createServer } from "node:http";
import { createNodeListener, createRunner, defineSettings } from "@iac/server";

const { env } = process;
const prefix = env.PREFIX;
const runner = await createRunner({
  settings: defineSettings({
    webhookSecret: env.WEBHOOK_SECRET,
    git: { url: env.GIT_REPO_URL },
    dokploy: { url: env.DOKPLOY_URL, apiKey: env.DOKPLOY_API_KEY },
    dataDir: env.IAC_DATA_DIR,
    databaseUrl: env.IAC_DATABASE_URL,
    secretsFile: env.IAC_SECRETS_FILE,
  }),
  basePath: prefix,
  catchUp: false,
  // No Dokploy to check: /health reports the runner itself.
  healthChecks: {},
});
const runnerListener = createNodeListener(runner);

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url === prefix || url.startsWith(`${prefix}/`)) {
    runnerListener(req, res);
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" }).end("the application's own 404");
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  runner.close().then(() => process.exit(0));
});
