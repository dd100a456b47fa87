import { describe, expect, it } from "vitest";
import { discoverServices } from "../src/discover-services.js";
import { parseConfig } from "../src/parse-config.js";
import { validateServices } from "../src/validate-services.js";

describe("validateServices", () => {
  it("returns the catalog discoverServices returns when nothing is wrong", () => {
    const paths = ["platform/01.postgres/compose.yaml", "platform/02.redis/compose.yaml", "platform/03.wip/x"];
    expect(validateServices(paths, parseConfig())).toEqual({
      ok: true,
      catalog: discoverServices(paths, parseConfig()),
      problems: [],
    });
  });

  it("reports every duplicate name and every glob outside the repository at once", () => {
    const config = parseConfig('services:\n  pg:\n    files: ["../../../x/**", "ok/**", "../../../../y"]\n');
    const paths = [
      "platform/01.pg/compose.yaml",
      "platform/01.minio/compose.yaml",
      "platform/02.minio/compose.yaml",
      "bootstrap/03.minio/compose.yaml",
    ];
    expect(validateServices(paths, config)).toEqual({
      ok: false,
      catalog: null,
      problems: [
        {
          code: "duplicate_service",
          path: "platform/01.minio",
          message:
            'duplicate service "minio": expected one folder per service name, received bootstrap/03.minio and platform/01.minio',
        },
        {
          code: "files_outside_repository",
          path: "services.pg.files[0]",
          message: 'expected a glob inside the repository from platform/01.pg, received "../../../x/**"',
        },
        {
          code: "files_outside_repository",
          path: "services.pg.files[2]",
          message: 'expected a glob inside the repository from platform/01.pg, received "../../../../y"',
        },
        {
          code: "duplicate_service",
          path: "platform/02.minio",
          message:
            'duplicate service "minio": expected one folder per service name, received bootstrap/03.minio and platform/02.minio',
        },
      ],
    });
  });

  it("leaves non-fatal findings in the catalog's issues", () => {
    const result = validateServices(["platform/01.wip/notes.md"], parseConfig("services: { ghost: {} }\n"));
    expect(result.ok && result.catalog.issues.map((issue) => issue.code)).toEqual([
      "missing_compose",
      "unused_override",
    ]);
  });
});
