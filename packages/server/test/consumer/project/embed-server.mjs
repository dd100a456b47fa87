// An application that embeds the runner under a sub-path of its own node:http server without the runner's help: it
// strips the sub-path itself and hands runner.fetch a web Request, as on any runtime with fetch. Settings come from
// the environment (PREFIX is the sub-path); prints {"url": ...} once listening, stops on SIGTERM.
import { createServer } from "node:http";
import { createRunner, loadSettings } from "@iac/server";

const prefix = process.env.PREFIX;
// No git, Dokploy or Vault to check: /health reports the runner itself.
const runner = await createRunner({ settings: loadSettings(process.env), catchUp: false, healthChecks: {} });

async function toRunner(req, path) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return runner.fetch(
    new Request(new URL(path, "http://app.invalid"), {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([name, value]) => [value].flat().map((item) => [name, item])),
      ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
    }),
  );
}

const server = createServer(async (req, res) => {
  const url = req.url ?? "/";
  if (url !== prefix && !url.startsWith(`${prefix}/`)) {
    res.writeHead(404, { "content-type": "text/plain" }).end("the application's own 404");
    return;
  }
  const response = await toRunner(req, url.slice(prefix.length) || "/");
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  runner.close().then(() => process.exit(0));
});
