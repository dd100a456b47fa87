import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** The part of an OpenAPI document the validator reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | undefined> | undefined>;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown } | undefined> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown } | undefined> } | undefined>;
}

/** One schema violation, shaped like a zod issue (`path` is the location inside the validated value). */
export interface SchemaIssue {
  code: string;
  message: string;
  path: (string | number)[];
}

/** Result of a check: `undefined` when valid. */
export type SchemaCheck = (value: unknown) => SchemaIssue[] | undefined;

/** Lazily compiled validators for the operations of one OpenAPI document. */
export interface OpenApiValidator {
  /** Request body schema of `method path`; `undefined` when the operation takes no JSON body. */
  body(method: string, path: string): SchemaCheck | undefined;
  /** Query parameters as one object schema; strings are coerced in place to numbers/booleans like zod's coercion. */
  query(method: string, path: string): SchemaCheck | undefined;
  /** JSON response schema of `method path` for `status`. */
  response(method: string, path: string, status: number): SchemaCheck | undefined;
  /** Whether the document has the operation. */
  has(method: string, path: string): boolean;
}

const SPEC_ID = "openapi-document";
// The specs carry OpenAPI-only keywords and Vault's custom formats ("map", "duration"); ajv must ignore them.
const AJV_OPTIONS = { strict: false, allErrors: true, logger: false } as const;
const addFormats = addFormatsModule.default;
// Vault's "duration" is a Go duration ("0s", "1h30m") or a number of seconds, not ajv-formats' ISO 8601 duration.
const GO_DURATION = /^(?:\d+|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;

/**
 * Builds validators for an OpenAPI 3.x document. Each operation is compiled once, on first use, with `$ref`s resolved
 * against the whole document.
 */
export function createOpenApiValidator(document: OpenApiDocument): OpenApiValidator {
  const plain = new Ajv2020(AJV_OPTIONS);
  const coercing = new Ajv2020({ ...AJV_OPTIONS, coerceTypes: "array" });
  for (const ajv of [plain, coercing]) {
    addFormats(ajv);
    ajv.addFormat("duration", GO_DURATION);
    ajv.addSchema(document as object, SPEC_ID);
  }
  const cache = new Map<string, SchemaCheck | undefined>();

  const operation = (method: string, path: string): OpenApiOperation | undefined =>
    document.paths[path]?.[method.toLowerCase()];

  const cached = (key: string, build: () => SchemaCheck | undefined): SchemaCheck | undefined => {
    if (!cache.has(key)) {
      cache.set(key, build());
    }
    return cache.get(key);
  };

  // A $ref into the registered document, so the operation's own $refs resolve against it.
  const compileAt = (ajv: Ajv2020, ...segments: string[]): SchemaCheck =>
    toCheck(ajv.compile({ $ref: pointer(segments) }));

  return {
    has: (method, path) => operation(method, path) !== undefined,
    body: (method, path) =>
      cached(`body ${method} ${path}`, () => {
        const op = method.toLowerCase();
        const schema = operation(method, path)?.requestBody?.content?.["application/json"]?.schema;
        return schema === undefined
          ? undefined
          : compileAt(plain, "paths", path, op, "requestBody", "content", "application/json", "schema");
      }),
    query: (method, path) =>
      cached(`query ${method} ${path}`, () => {
        const indexed = (operation(method, path)?.parameters ?? [])
          .map((parameter, index) => ({ parameter, index }))
          .filter(({ parameter }) => parameter.in === "query");
        if (indexed.length === 0) {
          return undefined;
        }
        const ref = (index: number): string =>
          pointer(["paths", path, method.toLowerCase(), "parameters", String(index), "schema"]);
        return toCheck(
          coercing.compile({
            type: "object",
            properties: Object.fromEntries(
              indexed.map(({ parameter, index }) => [parameter.name, { $ref: ref(index) }]),
            ),
            required: indexed.filter(({ parameter }) => parameter.required).map(({ parameter }) => parameter.name),
          }),
        );
      }),
    response: (method, path, status) =>
      cached(`response ${method} ${path} ${status}`, () => {
        const responses = operation(method, path)?.responses;
        const key = responses?.[String(status)] ? String(status) : "default";
        const schema = responses?.[key]?.content?.["application/json"]?.schema;
        return schema === undefined
          ? undefined
          : compileAt(
              plain,
              "paths",
              path,
              method.toLowerCase(),
              "responses",
              key,
              "content",
              "application/json",
              "schema",
            );
      }),
  };
}

/** URI of a location inside the registered document (JSON pointer, percent-encoded). */
function pointer(segments: readonly string[]): string {
  const escaped = segments.map((s) => encodeURIComponent(s.replaceAll("~", "~0").replaceAll("/", "~1")));
  return `${SPEC_ID}#/${escaped.join("/")}`;
}

function toCheck(validate: ValidateFunction): SchemaCheck {
  return (value) => (validate(value) ? undefined : (validate.errors ?? []).map(toIssue));
}

function toIssue(error: ErrorObject): SchemaIssue {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (error.keyword === "required") {
    path.push(String((error.params as { missingProperty?: string }).missingProperty));
    return { code: "invalid_type", message: "Required", path };
  }
  const code = error.keyword === "type" ? "invalid_type" : error.keyword === "enum" ? "invalid_enum_value" : "custom";
  return { code, message: error.message ?? `failed ${error.keyword}`, path };
}
