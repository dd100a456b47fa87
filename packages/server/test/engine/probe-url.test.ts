import { describe, expect, it } from "vitest";
import { probeUrl } from "../../src/engine/probe-url.js";
import { catalogService, environmentConfig } from "../store/store-fixtures.js";

describe("probeUrl", () => {
  it.each<[string, { template: string; suffix: string; want: string }]>([
    [
      "fills every placeholder, each time it appears",
      {
        template: "https://{service}{suffix}.example.com/{env}/{service}",
        suffix: "-staging",
        want: "https://api-staging.example.com/staging/api",
      },
    ],
    [
      "leaves a URL without placeholders as it is",
      { template: "http://10.0.0.1:8080/healthz", suffix: "", want: "http://10.0.0.1:8080/healthz" },
    ],
    [
      "never expands braces that a value brings in",
      { template: "https://x.example.com/{suffix}", suffix: "{env}", want: "https://x.example.com/{env}" },
    ],
  ])("%s", (_, { template, suffix, want }) => {
    const environment = { ...environmentConfig("staging"), domainSuffix: suffix };
    expect(probeUrl(template, "staging", environment, catalogService("api"))).toBe(want);
  });
});
