import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/create-logger.js";

describe("createLogger", () => {
  it("writes JSON lines with bindings and redacts secrets and credential headers", () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line) => lines.push(line) } });
    logger.child({ delivery: "d-1", env: "staging", service: "postgres", commit: "abc" }).info(
      {
        headers: { "x-hub-signature-256": "sha256=aa", "x-api-key": "dok-key", authorization: "Bearer t" },
        settings: { webhookSecret: "ws", dokploy: { apiKey: "k2" } },
        token: "vault-token",
      },
      "sync started",
    );
    const text = lines.join("");
    const line = JSON.parse(text) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: "info",
      msg: "sync started",
      delivery: "d-1",
      env: "staging",
      service: "postgres",
      commit: "abc",
    });
    for (const secret of ["sha256=aa", "dok-key", "Bearer t", "ws", "k2", "vault-token"]) {
      expect(text).not.toContain(`"${secret}"`);
    }
  });

  it("drops lines below the level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", destination: { write: (line) => lines.push(line) } });
    logger.info({}, "quiet");
    logger.warn({}, "loud");
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["loud"]);
  });
});
