import { describe, expect, test } from "vitest";
import dokploy from "../src/generated/dokploy.openapi.json" with { type: "json" };
import vault from "../src/generated/vault.openapi.json" with { type: "json" };

type Body = { content?: { "application/json"?: { schema?: { additionalProperties?: unknown } } } };
type Operation = { security?: unknown; responses?: { "200"?: Body; "415"?: Body; default?: Body } };

function operations(document: { paths: object }): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, unknown>)
      .filter(([method]) => ["get", "post", "patch"].includes(method))
      .map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation as Operation]),
  );
}

describe("merged Dokploy document", () => {
  test("no operation refers to the undefined Authorization scheme", () => {
    const offending = operations(dokploy).filter(([, operation]) =>
      JSON.stringify(operation.security ?? []).includes("Authorization"),
    );
    expect(offending.map(([name]) => name)).toEqual([]);
    expect(dokploy.security).toEqual([{ apiKey: [] }]);
  });

  test("no 200 body is the upstream empty closed object", () => {
    const closed = operations(dokploy).filter(([, operation]) => {
      return operation.responses?.["200"]?.content?.["application/json"]?.schema?.additionalProperties === false;
    });
    expect(closed.map(([name]) => name)).toEqual([]);
  });

  test("the guard's 401 body needs only a message", () => {
    expect(dokploy.components.schemas["error.UNAUTHORIZED"].required).toEqual(["message"]);
  });

  test("every POST declares the 415 answer to a request without a JSON content type", () => {
    const posts = operations(dokploy).filter(([name]) => name.startsWith("POST "));
    expect(posts.length).toBeGreaterThan(0);
    const missing = posts.filter(([, operation]) => {
      return operation.responses?.["415"]?.content?.["application/json"]?.schema === undefined;
    });
    expect(missing.map(([name]) => name)).toEqual([]);
  });
});

describe("merged Vault document", () => {
  test("every operation has a JSON 200 body and the {errors} default", () => {
    for (const [name, operation] of operations(vault)) {
      expect(operation.responses?.["200"]?.content?.["application/json"]?.schema, name).toBeDefined();
      expect(operation.responses?.default?.content?.["application/json"]?.schema, name).toEqual({
        $ref: "#/components/schemas/VaultErrorResponse",
      });
    }
  });

  test("KV reads take a version parameter", () => {
    const { parameters } = vault.paths["/{kv_v2_mount_path}/data/{path}"].get;
    expect(parameters.map((parameter) => parameter.name)).toContain("version");
  });
});
