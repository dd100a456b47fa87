import { createDokployClient } from "@iac/sdk";
import { describe, expect, it, vi } from "vitest";
import { readOnlyDokploy } from "../../../src/cli/inspect/read-only-dokploy.js";

describe("readOnlyDokploy", () => {
  it("refuses every write before it is sent, and lets reads through", async () => {
    const fetch = vi.fn(async () => Response.json([]));
    const dokploy = readOnlyDokploy(
      createDokployClient({ baseUrl: "http://dokploy.test", apiKey: "k", retry: false, fetch }),
    );
    await expect(dokploy.POST("/project.create", { body: { name: "x" } })).rejects.toMatchObject({
      code: "dokploy_error",
      message: "[@iac/server] refused to call Dokploy project.create: read-only",
    });
    expect(fetch).not.toHaveBeenCalled();
    expect((await dokploy.GET("/project.all")).data).toEqual([]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
