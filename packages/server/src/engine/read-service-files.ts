import type { CatalogService } from "@iac/sync";
import type { GitMirror } from "../types.js";
import { SyncError } from "./sync-error.js";

/** The content of a service at one commit, read from the git object store. */
export interface ServiceContent {
  /** Compose file text. */
  compose: string;
  /** Every other file of the service, by repository path. */
  files: Map<string, Uint8Array>;
}

/** Files asked of git at the same time (the mirror answers them in turn from one process). */
const READ_BATCH = 8;

/**
 * Reads the compose file and every other file of a service at exactly `commit` (never a working tree), so what is
 * hashed and deployed is the commit's content whatever else runs at the same time.
 *
 * @throws {SyncError} `git_fetch_failed` when the commit or a file cannot be read.
 */
export async function readServiceFiles(
  git: Pick<GitMirror, "readFile">,
  commit: string,
  service: CatalogService,
): Promise<ServiceContent> {
  const read = async (path: string): Promise<Uint8Array> => {
    let bytes: Uint8Array | null;
    try {
      bytes = await git.readFile(commit, path);
    } catch (error) {
      throw new SyncError("git_fetch_failed", `[@iac/server] could not read ${path} at ${commit}`, { cause: error });
    }
    if (bytes === null) {
      throw new SyncError("git_fetch_failed", `[@iac/server] expected file ${path} at ${commit}, received none`);
    }
    return bytes;
  };

  const others = service.files.filter((path) => path !== service.compose);
  const files = new Map<string, Uint8Array>();
  for (let start = 0; start < others.length; start += READ_BATCH) {
    const batch = others.slice(start, start + READ_BATCH);
    const contents = await Promise.all(batch.map(read));
    batch.forEach((path, index) => {
      files.set(path, contents[index] as Uint8Array);
    });
  }
  const compose = new TextDecoder().decode(await read(service.compose));
  return { compose, files };
}
