import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { sign, signRequest } from "@iac/sync";
import { type CliIo, UsageError } from "./cli-io.js";
import { SIGN_USAGE } from "./usage.js";

/** `iac-runner sign`: prints signature headers for a body. Returns the exit code. */
export async function signCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      body: { type: "string" },
      file: { type: "string" },
      timestamped: { type: "boolean", default: false },
      "secret-env": { type: "string", default: "WEBHOOK_SECRET" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(SIGN_USAGE);
    return 0;
  }
  if (values.body !== undefined && values.file !== undefined) {
    throw new UsageError("use either --body or --file, not both", SIGN_USAGE);
  }
  const secretName = values["secret-env"];
  const secret = io.env[secretName]?.trim();
  if (secret === undefined || secret === "") {
    io.stderr(`iac-runner sign: ${secretName} is not set; export the secret first\n`);
    return 1;
  }
  const body = values.body ?? (values.file === undefined ? await io.readStdin() : await readFile(values.file, "utf8"));
  const headers = values.timestamped
    ? Object.entries(await signRequest({ secret, body }))
    : [["x-hub-signature-256", await sign(secret, body)]];
  io.stdout(headers.map(([name, value]) => `${name}: ${value}\n`).join(""));
  return 0;
}
