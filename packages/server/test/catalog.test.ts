import { IacConfigError } from "@iac/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog.js";
import type { GitMirror, LocalGitMirror } from "../src/types.js";
import { createMirrorFixture, type TestRepo } from "./helpers/git-repo.js";

const COMPOSE = "services:\n  app:\n    image: nginx\n";

describe("loadCatalog", () => {
  let repo: TestRepo;
  let mirror: LocalGitMirror;
  let cleanup: () => void;

  beforeEach(() => {
    ({ repo, mirror, cleanup } = createMirrorFixture());
  });

  afterEach(() => {
    cleanup();
  });

  it("uses the default configuration when the commit has no iac.config.yaml", async () => {
    const commit = repo.commit({
      "platform/01.postgres/compose.yaml": COMPOSE,
      "bootstrap/06.iac-runner/compose.yaml": COMPOSE,
    });
    await mirror.fetch();
    const { config, catalog } = await loadCatalog(mirror, commit);
    expect(Object.keys(config.environments).sort()).toEqual(["production", "staging"]);
    expect(catalog.services.map((service) => [service.name, service.mode])).toEqual([
      ["iac-runner", "manual"],
      ["postgres", "auto"],
    ]);
  });

  it("reads the configuration and services of the requested commit, not of the branch head", async () => {
    const first = repo.commit({
      "iac.config.yaml": "layers:\n  infra: auto\nenvironments:\n  dev: {}\n",
      "infra/01.redis/compose.yaml": COMPOSE,
    });
    const second = repo.commit({ "iac.config.yaml": null, "platform/02.minio/compose.yaml": COMPOSE });
    await mirror.fetch();
    const [old, current] = await Promise.all([loadCatalog(mirror, first), loadCatalog(mirror, second)]);
    expect(Object.keys(old.config.environments)).toEqual(["dev"]);
    expect(old.catalog.services.map((service) => service.name)).toEqual(["redis"]);
    expect(Object.keys(current.config.environments).sort()).toEqual(["production", "staging"]);
    expect(current.catalog.services.map((service) => service.name)).toEqual(["minio"]);
  });

  it("rejects an invalid configuration with the config error", async () => {
    const commit = repo.commit({ "iac.config.yaml": "layers:\n  platform: yes-please\n" });
    await mirror.fetch();
    await expect(loadCatalog(mirror, commit)).rejects.toThrow(IacConfigError);
  });

  it("reads each commit once and retries after a failed read", async () => {
    const commit = repo.commit({ "platform/01.postgres/compose.yaml": COMPOSE });
    await mirror.fetch();
    let reads = 0;
    let failNext = true;
    const counting: GitMirror = {
      ...mirror,
      readFile: async (at, path) => {
        reads++;
        if (failNext) {
          failNext = false;
          throw new Error("transient");
        }
        return mirror.readFile(at, path);
      },
    };
    await expect(loadCatalog(counting, commit)).rejects.toThrow("transient");
    const [a, b] = await Promise.all([loadCatalog(counting, commit), loadCatalog(counting, commit)]);
    const c = await loadCatalog(counting, commit.toUpperCase());
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(reads).toBe(2);
  });
});
