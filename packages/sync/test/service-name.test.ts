import { describe, expect, it } from "vitest";
import { serviceName } from "../src/service-name.js";

describe("serviceName", () => {
  it.each([
    ["01.postgres", "postgres"],
    ["117.minio", "minio"],
    ["postgres", "postgres"],
    ["01.my.service", "my.service"],
    ["my.service", "my.service"],
    ["README.md", "README.md"],
    ["01.", "01."],
    ["1a.x", "1a.x"],
  ])("names the folder %j as %j", (folder, want) => {
    expect(serviceName(folder)).toBe(want);
  });
});
