import { delegateToStandard } from "./lazy-standard.js";

/** What a JSON answer of the runner consists of; the Node listener writes it without building a `Response`. */
export interface JsonParts {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The error code of an error answer (`invalid_signature`), which the runner counts answers by. */
  readonly code?: string | undefined;
  /**
   * The header list as the Node listener writes it (`Content-Length` included), kept once built: parts shared by many
   * answers (a refusal) build it once.
   */
  wire?: (string | number)[] | undefined;
}

/** The headers of every JSON answer, shared by those that add none. */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
});

const PARTS = Symbol("json response parts");

/** A `Response` that holds its parts and builds the real one only when something reads it as a `Response`. */
class JsonResponse {
  readonly [PARTS]: JsonParts;
  #real: Response | undefined;

  constructor(parts: JsonParts) {
    this[PARTS] = parts;
  }

  get status(): number {
    return this[PARTS].status;
  }

  static materialize(self: JsonResponse): Response {
    const { status, headers, text } = self[PARTS];
    self.#real ??= new Response(text, { status, headers });
    return self.#real;
  }
}

delegateToStandard(JsonResponse.prototype, Response, JsonResponse.materialize);

/** The parts of a JSON answer; `cache-control: no-store` because every answer describes live state. */
export function jsonParts(status: number, body: unknown, headers?: Readonly<Record<string, string>>): JsonParts {
  return {
    status,
    headers: headers === undefined ? JSON_HEADERS : { ...JSON_HEADERS, ...headers },
    text: JSON.stringify(body),
  };
}

/** A response of `parts`, which may be shared by many responses (they are never changed). */
export function responseOf(parts: JsonParts): Response {
  return new JsonResponse(parts) as unknown as Response;
}

/** A JSON response (see {@link jsonParts}). */
export function jsonResponse(status: number, body: unknown, headers?: Readonly<Record<string, string>>): Response {
  return responseOf(jsonParts(status, body, headers));
}

/** The parts of a response made by {@link jsonResponse}, for writing it directly; undefined for any other response. */
export function jsonPartsOf(response: Response): JsonParts | undefined {
  return response instanceof JsonResponse ? response[PARTS] : undefined;
}

/**
 * The response as a real `Response`, for servers that read a response's internals (Bun, Deno): a response of
 * {@link jsonResponse} is built for real, any other is returned as it is.
 */
export function standardResponse(response: Response): Response {
  return response instanceof JsonResponse ? JsonResponse.materialize(response) : response;
}
