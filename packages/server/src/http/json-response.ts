import { delegateToStandard } from "./lazy-standard.js";

/** What a JSON answer of the runner consists of; the Node listener writes it without building a `Response`. */
export interface JsonParts {
  status: number;
  headers: Readonly<Record<string, string>>;
  text: string;
}

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

/** A JSON response; `cache-control: no-store` because every answer describes live state. */
export function jsonResponse(status: number, body: unknown, headers?: Readonly<Record<string, string>>): Response {
  const parts: JsonParts = {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    text: JSON.stringify(body),
  };
  return new JsonResponse(parts) as unknown as Response;
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
