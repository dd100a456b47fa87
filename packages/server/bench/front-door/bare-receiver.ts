// The baseline of the front-door benchmark: what any webhook receiver must do at least, on bare node:http and
// node:crypto. It verifies the signature, parses the JSON and answers, with no routing, logging or limits.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";

const secret = process.env["WEBHOOK_SECRET"] ?? "";

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
    const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      answer(res, 401, { error: "signature does not match", code: "invalid_signature" });
      return;
    }
    const payload = JSON.parse(body.toString("utf8")) as { ref?: string };
    answer(res, 202, { status: "ignored", delivery: req.headers["x-github-delivery"], ref: payload.ref });
  });
});

server.listen(Number(process.env["PORT"]), "127.0.0.1");
