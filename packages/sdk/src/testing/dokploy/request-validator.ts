import spec from "../../generated/dokploy.openapi.json" with { type: "json" };
import { createOpenApiValidator, type OpenApiDocument, type OpenApiValidator } from "../shared/openapi-validator.js";

let validator: OpenApiValidator | undefined;

/** Validators for Dokploy's request schemas, built on first use and shared by every fake (they never change). */
export function dokployRequestValidator(): OpenApiValidator {
  validator ??= createOpenApiValidator(spec as unknown as OpenApiDocument);
  return validator;
}
