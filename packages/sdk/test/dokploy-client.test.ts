import { describe, expect, test } from "vitest";
import { createDokployClient, RequestTimeoutError } from "../src/index.js";
import { hangingFetch, json, recordFetch } from "./helpers/record-fetch.js";

const COMPOSE = { composeId: "c1", name: "web", composeStatus: "done" };
const fastRetry = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

describe("createDokployClient", () => {
  test.each([
    ["https://dokploy.example.com"],
    ["https://dokploy.example.com/"],
    ["https://dokploy.example.com/api"],
    ["https://dokploy.example.com/api/"],
    ["https://dokploy.example.com//api//"],
  ])("baseUrl %s resolves procedures under /api", async (baseUrl) => {
    const { fetch, requests } = recordFetch(() => json(200, COMPOSE));
    const client = createDokployClient({ baseUrl, apiKey: "k", fetch });
    await client.GET("/compose.one", { params: { query: { composeId: "c1" } } });
    expect(requests[0]?.url).toBe("https://dokploy.example.com/api/compose.one?composeId=c1");
  });

  test("keeps a path prefix in front of /api", async () => {
    const { fetch, requests } = recordFetch(() => json(200, []));
    const client = createDokployClient({ baseUrl: "https://example.com/dokploy/api", apiKey: "k", fetch });
    await client.GET("/project.all");
    expect(requests[0]?.url).toBe("https://example.com/dokploy/api/project.all");
  });

  test("sends the API key as x-api-key on reads and writes", async () => {
    const { fetch, requests } = recordFetch(() => json(200, true));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "secret-key", fetch });
    await client.GET("/project.all");
    await client.POST("/compose.stop", { body: { composeId: "c1" } });
    expect(requests.map((request) => request.headers.get("x-api-key"))).toEqual(["secret-key", "secret-key"]);
  });

  test("POST sends a JSON body with Content-Type application/json", async () => {
    const { fetch, requests } = recordFetch(() =>
      json(200, { success: true, message: "Deployment queued", composeId: "c1" }),
    );
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch });
    await client.POST("/compose.deploy", { body: { composeId: "c1", title: "push abc" } });
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual({ composeId: "c1", title: "push abc" });
  });

  test("extra headers are sent but cannot replace the API key", async () => {
    const { fetch, requests } = recordFetch(() => json(200, []));
    const client = createDokployClient({
      baseUrl: "https://h",
      apiKey: "real",
      fetch,
      headers: { "x-api-key": "other", "cf-access-client-id": "id" },
    });
    await client.GET("/project.all");
    expect(requests[0]?.headers.get("x-api-key")).toBe("real");
    expect(requests[0]?.headers.get("cf-access-client-id")).toBe("id");
  });

  test("returns the parsed body as data", async () => {
    const { fetch } = recordFetch(() => json(200, COMPOSE));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch });
    const { data, error } = await client.GET("/compose.one", { params: { query: { composeId: "c1" } } });
    expect(error).toBeUndefined();
    expect(data).toEqual(COMPOSE);
  });

  test("an empty 200 body gives data undefined", async () => {
    const { fetch } = recordFetch(() => new Response(null, { status: 200 }));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch });
    const { data, error, response } = await client.POST("/application.deploy", { body: { applicationId: "a1" } });
    expect([data, error, response.status]).toEqual([undefined, undefined, 200]);
  });

  test.each([
    [401, { message: "Unauthorized" }],
    [404, { message: "Compose not found", code: "NOT_FOUND" }],
    [500, { message: "boom", code: "INTERNAL_SERVER_ERROR" }],
  ])("returns a %i as error instead of throwing", async (status, body) => {
    const { fetch } = recordFetch(() => json(status, body));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, retry: false });
    const { data, error, response } = await client.GET("/compose.one", { params: { query: { composeId: "c1" } } });
    expect(data).toBeUndefined();
    expect(error).toEqual(body);
    expect(response.status).toBe(status);
  });

  test("compose.deploy is not retried on 503", async () => {
    const { fetch, requests } = recordFetch(() => json(503, { message: "unavailable" }));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, retry: fastRetry });
    const { error, response } = await client.POST("/compose.deploy", { body: { composeId: "c1" } });
    expect(requests).toHaveLength(1);
    expect(response.status).toBe(503);
    expect(error).toEqual({ message: "unavailable" });
  });

  test("compose.deploy is not retried after a network error", async () => {
    const { fetch, requests } = recordFetch(() => {
      throw new TypeError("fetch failed");
    });
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, retry: fastRetry });
    await expect(client.POST("/compose.deploy", { body: { composeId: "c1" } })).rejects.toThrow("fetch failed");
    expect(requests).toHaveLength(1);
  });

  test("compose.deploy is not retried after a timeout", async () => {
    const { fetch, requests } = recordFetch((request) => hangingFetch(request));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, timeoutMs: 10, retry: fastRetry });
    await expect(client.POST("/compose.deploy", { body: { composeId: "c1" } })).rejects.toBeInstanceOf(
      RequestTimeoutError,
    );
    expect(requests).toHaveLength(1);
  });

  test("GET is retried after a timeout", async () => {
    const { fetch, requests } = recordFetch((request, index) => (index === 0 ? hangingFetch(request) : json(200, [])));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, timeoutMs: 10, retry: fastRetry });
    const { data } = await client.GET("/project.all");
    expect(data).toEqual([]);
    expect(requests).toHaveLength(2);
  });

  test.each([
    ["/compose.saveEnvironment", { composeId: "c1", env: "A=1\nB=2" }],
    ["/compose.update", { composeId: "c1", composeFile: "services: {}" }],
  ] as const)("%s is retried on 503 and re-sends the same body", async (path, body) => {
    const { fetch, requests } = recordFetch((_, index) => (index === 0 ? json(503, {}) : json(200, true)));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, retry: fastRetry });
    const { data } = await client.POST(path, { body });
    expect(data).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests.map((request) => JSON.parse(request.body))).toEqual([body, body]);
    expect(requests[1]?.headers.get("x-api-key")).toBe("k");
  });

  test("GET is retried after a network error", async () => {
    const { fetch, requests } = recordFetch((_, index) => {
      if (index === 0) {
        throw new TypeError("fetch failed");
      }
      return json(200, []);
    });
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, retry: fastRetry });
    const { data } = await client.GET("/deployment.allByCompose", { params: { query: { composeId: "c1" } } });
    expect(data).toEqual([]);
    expect(requests).toHaveLength(2);
  });

  test("retries stop after the configured number of attempts and return the last answer", async () => {
    const { fetch, requests } = recordFetch(() => json(502, { message: "bad gateway" }));
    const client = createDokployClient({
      baseUrl: "https://h",
      apiKey: "k",
      fetch,
      retry: { ...fastRetry, attempts: 4 },
    });
    const { error, response } = await client.GET("/project.all");
    expect(requests).toHaveLength(4);
    expect(response.status).toBe(502);
    expect(error).toEqual({ message: "bad gateway" });
  });

  test("retry: false sends a GET once", async () => {
    const { fetch, requests } = recordFetch(() => json(503, {}));
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch, retry: false });
    await client.GET("/project.all");
    expect(requests).toHaveLength(1);
  });

  test("a request without an answer fails with RequestTimeoutError", async () => {
    const client = createDokployClient({ baseUrl: "https://h", apiKey: "k", fetch: hangingFetch, timeoutMs: 10 });
    const call = client.POST("/compose.deploy", { body: { composeId: "c1" } });
    await expect(call).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(call).rejects.toThrow("[@iac/sdk] POST https://h/api/compose.deploy timed out");
  });

  test.each([
    ["an empty apiKey", { baseUrl: "https://h", apiKey: "" }, "invalid apiKey"],
    ["a relative baseUrl", { baseUrl: "dokploy.example.com", apiKey: "k" }, "invalid baseUrl"],
    ["a non-http baseUrl", { baseUrl: "ftp://h", apiKey: "k" }, "invalid baseUrl"],
  ])("rejects %s", (_, options, message) => {
    expect(() => createDokployClient(options)).toThrow(message);
  });
});
