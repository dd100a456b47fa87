import { type HttpHandler, HttpResponse, http } from "msw";
import type { FaultInjector } from "../shared/fault-injector.js";
import type { OpenApiValidator } from "../shared/openapi-validator.js";
import type { DokployState } from "../types.js";
import { DokployProcedureError, trpcErrorResponse } from "./dokploy-error.js";

/** Input of a procedure after parsing: the query (GET) or the JSON body (POST). */
export type ProcedureInput = Record<string, unknown>;

/**
 * One fake tRPC procedure, served as `<method> <baseUrl>/api/<name>`. `run` may declare the input shape it expects:
 * the input was validated against the request schema before it runs.
 */
export interface DokployProcedure {
  method: "GET" | "POST";
  /** `"compose.one"`. */
  name: string;
  /** A status poll: in `auto` and `stuck` deploy modes the worker takes one step before the procedure runs. */
  poll?: boolean;
  /** Returns the response body; `undefined` gives an empty 200 like a procedure that returns nothing. */
  run(input: ProcedureInput): unknown;
}

/** What the procedure wrapper needs from the fake. */
export interface ProcedureHost {
  baseUrl: string;
  state: DokployState;
  faults: FaultInjector;
  validator: OpenApiValidator | undefined;
  onPoll(): void;
}

/** The listed keys that `input` sets, like zod picking a schema's keys and stripping the rest. */
export function pickDefined<K extends string>(input: object, keys: readonly K[]): Partial<Record<K, unknown>> {
  const source = input as Record<string, unknown>;
  return Object.fromEntries(
    keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]),
  ) as Partial<Record<K, unknown>>;
}

/** Throws the `NOT_FOUND` error Dokploy's `find*ById` services raise. */
export function notFound(message: string): never {
  throw new DokployProcedureError("NOT_FOUND", message);
}

/**
 * Serves procedures the way Dokploy's REST adapter does: injected faults, then the API-key route guard, then
 * trpc-openapi's content-type check, input parsing and validation against the request schema, then the procedure.
 */
export function serveProcedures(host: ProcedureHost, procedures: readonly DokployProcedure[]): HttpHandler[] {
  return procedures.map((procedure) => {
    const route = `/${procedure.name}`;
    const on = procedure.method === "GET" ? http.get : http.post;
    return on(`${host.baseUrl}/api${route}`, async ({ request }) => {
      const injected = await host.faults.apply(request, route);
      if (injected) {
        return injected;
      }
      if (!host.state.apiKeys.has(request.headers.get("x-api-key") ?? "")) {
        return HttpResponse.json({ message: "Unauthorized" }, { status: 401 });
      }
      try {
        const input = procedure.method === "GET" ? readQuery(request) : await readBody(request);
        validate(host.validator, procedure, input);
        if (procedure.poll) {
          host.onPoll();
        }
        const result = procedure.run(input);
        return result === undefined ? new HttpResponse(null, { status: 200 }) : HttpResponse.json(result);
      } catch (error) {
        if (error instanceof DokployProcedureError) {
          return trpcErrorResponse(error, procedure.name);
        }
        throw error;
      }
    });
  });
}

function readQuery(request: Request): ProcedureInput {
  const input: ProcedureInput = {};
  const params = new URL(request.url).searchParams;
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    input[key] = values.length === 1 ? values[0] : values;
  }
  return input;
}

async function readBody(request: Request): Promise<ProcedureInput> {
  const contentType = request.headers.get("content-type");
  if (!contentType?.startsWith("application/json")) {
    throw new DokployProcedureError(
      "UNSUPPORTED_MEDIA_TYPE",
      contentType ? `Unsupported content-type "${contentType}` : "Missing content-type header",
    );
  }
  const text = await request.text();
  if (text === "") {
    return {};
  }
  try {
    return JSON.parse(text) as ProcedureInput;
  } catch {
    throw new DokployProcedureError("PARSE_ERROR", "Failed to parse request body");
  }
}

function validate(validator: OpenApiValidator | undefined, procedure: DokployProcedure, input: ProcedureInput): void {
  if (!validator) {
    return;
  }
  const path = `/${procedure.name}`;
  const check = procedure.method === "GET" ? validator.query("GET", path) : validator.body("POST", path);
  const issues = check?.(input);
  if (issues) {
    throw new DokployProcedureError("BAD_REQUEST", "Input validation failed", issues);
  }
}
