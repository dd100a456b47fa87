import { parseArgs } from "node:util";
import { version } from "../version.js";
import { type CliIo, UsageError } from "./cli-io.js";
import { deployCommand } from "./deploy-command.js";
import { doctorCommand } from "./doctor-command.js";
import { driftCommand } from "./drift-command.js";
import { hashCommand } from "./hash-command.js";
import { healthcheckCommand } from "./healthcheck-command.js";
import { historyCommand } from "./history-command.js";
import { planCommand } from "./plan-command.js";
import { serveCommand } from "./serve-command.js";
import { signCommand } from "./sign-command.js";
import { statusCommand } from "./status-command.js";
import { tagCommand, tagUsage } from "./tag-command.js";
import {
  DEPLOY_USAGE,
  DOCTOR_USAGE,
  DRIFT_USAGE,
  HASH_USAGE,
  HEALTHCHECK_USAGE,
  HISTORY_USAGE,
  MAIN_USAGE,
  PLAN_USAGE,
  SERVE_USAGE,
  SIGN_USAGE,
  STATUS_USAGE,
  VALIDATE_USAGE,
} from "./usage.js";
import { validateCommand } from "./validate-command.js";

interface Command {
  run(args: readonly string[], io: CliIo): Promise<number>;
  /** The usage shown when `args` (the arguments after the command name) do not parse. */
  usage(args: readonly string[]): string;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: { run: serveCommand, usage: () => SERVE_USAGE },
  sign: { run: signCommand, usage: () => SIGN_USAGE },
  tag: { run: tagCommand, usage: tagUsage },
  deploy: { run: deployCommand, usage: () => DEPLOY_USAGE },
  status: { run: statusCommand, usage: () => STATUS_USAGE },
  history: { run: historyCommand, usage: () => HISTORY_USAGE },
  drift: { run: driftCommand, usage: () => DRIFT_USAGE },
  doctor: { run: doctorCommand, usage: () => DOCTOR_USAGE },
  healthcheck: { run: healthcheckCommand, usage: () => HEALTHCHECK_USAGE },
  validate: { run: validateCommand, usage: () => VALIDATE_USAGE },
  hash: { run: hashCommand, usage: () => HASH_USAGE },
  plan: { run: planCommand, usage: () => PLAN_USAGE },
};

function commandOf(argv: readonly string[]): Command | undefined {
  const [first] = argv;
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const command = commandOf(argv);
  if (command !== undefined) {
    return command.run(argv.slice(1), io);
  }
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", short: "v", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    throw new UsageError(`unknown command ${JSON.stringify(positionals[0])}`, MAIN_USAGE);
  }
  if (values.version) {
    io.stdout(`${version}\n`);
    return 0;
  }
  if (values.help) {
    io.stdout(MAIN_USAGE);
    return 0;
  }
  throw new UsageError("missing command", MAIN_USAGE);
}

/**
 * Runs `iac-runner` with `argv` (without the node and script paths) and resolves to the exit code: 0 on success,
 * 1 on a failure such as an invalid configuration, 2 on a usage error (unknown command or flag).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
      const usage = error instanceof UsageError ? error.usage : (commandOf(argv)?.usage(argv.slice(1)) ?? MAIN_USAGE);
      io.stderr(`iac-runner: ${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    throw error;
  }
}
