import { describe, expect, it } from "vitest";
import { planComposeMounts } from "../../src/engine/compose-mounts.js";
import { SyncError } from "../../src/engine/sync-error.js";

const COMPOSE_PATH = "platform/01.app/compose.yaml";
const FILES = [
  "platform/01.app/init.sql",
  "platform/01.app/app.env",
  "platform/01.app/conf/a.conf",
  "platform/01.app/conf/sub/b.conf",
  "libs/shared.env",
];

const cases: Array<[string, { given: string; want: { line: string; mounts: string[]; unresolved?: string[] } }]> = [
  [
    "a short-syntax bind mount of a file",
    {
      given: "services:\n  app:\n    volumes:\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro\n",
      want: {
        line: "- ../files/platform/01.app/init.sql:/docker-entrypoint-initdb.d/init.sql:ro",
        mounts: ["platform/01.app/init.sql"],
      },
    },
  ],
  [
    "a long-syntax bind mount of a folder (every file under it)",
    {
      given: "services:\n  app:\n    volumes:\n      - type: bind\n        source: ./conf\n        target: /etc/app\n",
      want: {
        line: "source: ../files/platform/01.app/conf",
        mounts: ["platform/01.app/conf/a.conf", "platform/01.app/conf/sub/b.conf"],
      },
    },
  ],
  [
    "an env_file as a string",
    {
      given: "services:\n  app:\n    env_file: app.env\n",
      want: { line: "env_file: ../files/platform/01.app/app.env", mounts: ["platform/01.app/app.env"] },
    },
  ],
  [
    "an env_file list entry with a path outside the service folder",
    {
      given: "services:\n  app:\n    env_file:\n      - path: ../../libs/shared.env\n        required: true\n",
      want: { line: "path: ../files/libs/shared.env", mounts: ["libs/shared.env"] },
    },
  ],
  [
    "a top-level config file",
    {
      given: "services:\n  app:\n    image: x\nconfigs:\n  app_conf:\n    file: ./conf/a.conf\n",
      want: { line: "file: ../files/platform/01.app/conf/a.conf", mounts: ["platform/01.app/conf/a.conf"] },
    },
  ],
  [
    "a named volume and an absolute host path (left alone)",
    {
      given: "services:\n  app:\n    volumes:\n      - data:/data\n      - /var/run/docker.sock:/var/run/docker.sock\n",
      want: { line: "- data:/data", mounts: [] },
    },
  ],
  [
    "a relative path that is not a file of the service (left alone, reported)",
    {
      given: "services:\n  app:\n    volumes:\n      - ./missing.txt:/x\n",
      want: { line: "- ./missing.txt:/x", mounts: [], unresolved: ["./missing.txt"] },
    },
  ],
];

describe("planComposeMounts", () => {
  it.each(cases)("rewrites %s", (_name, { given, want }) => {
    const plan = planComposeMounts(given, COMPOSE_PATH, FILES);
    expect(plan.compose).toContain(want.line);
    expect(plan.mounts).toEqual(want.mounts);
    expect(plan.unresolved).toEqual(want.unresolved ?? []);
  });

  it("returns the compose text unchanged, comments included, when nothing references a file", () => {
    const compose = "# keep me\nservices:\n  app:\n    image: x # pinned\n";
    expect(planComposeMounts(compose, COMPOSE_PATH, FILES).compose).toBe(compose);
  });

  it("keeps comments of a rewritten compose", () => {
    const compose = "# top\nservices:\n  app:\n    env_file: ./app.env # env\n";
    expect(planComposeMounts(compose, COMPOSE_PATH, FILES).compose).toContain("# top");
  });

  it("throws config_invalid for a compose file that is not YAML", () => {
    expect(() => planComposeMounts("services: [\n", COMPOSE_PATH, FILES)).toThrow(SyncError);
    try {
      planComposeMounts("services: [\n", COMPOSE_PATH, FILES);
    } catch (error) {
      expect((error as SyncError).code).toBe("config_invalid");
    }
  });

  it.each([
    ["build: .", "build: .\n"],
    ["a context folder", "build:\n      context: ./app\n"],
    ["a build map without a context", "build:\n      dockerfile: Dockerfile\n"],
  ])("refuses a local build context (%s) with config_invalid", (_name, build) => {
    const compose = `services:\n  app:\n    ${build}`;
    expect(() => planComposeMounts(compose, COMPOSE_PATH, FILES)).toThrow(
      expect.objectContaining({ code: "config_invalid", message: expect.stringContaining("services.app.build") }),
    );
  });

  it("accepts a remote build context", () => {
    const compose = "services:\n  app:\n    build: https://github.com/acme/app.git#v1\n";
    expect(planComposeMounts(compose, COMPOSE_PATH, FILES).compose).toBe(compose);
  });
});
