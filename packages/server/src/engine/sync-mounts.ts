import type { DokployClient } from "@iac/sdk";
import { dokployCall } from "./dokploy-call.js";

/**
 * `mountPath` prefix that marks the file mounts the runner owns. For a compose the file is reached through
 * `../files/<filePath>` in the compose text, so `mountPath` only has to be a valid absolute path; it also keeps the
 * runner's mounts apart from the ones people add by hand, which are never touched.
 */
export const RUNNER_MOUNT_PREFIX = "/iac-runner/";

/** A compose mount as `compose.one` lists it. */
export interface ComposeMount {
  mountId: string;
  type: "bind" | "volume" | "file";
  filePath: string | null;
  content: string | null;
  mountPath: string;
}

/** What {@link syncMounts} changed, as repository paths. */
export interface MountChanges {
  created: string[];
  updated: string[];
  removed: string[];
}

/**
 * Makes the runner's file mounts of a compose match `wanted` (repository path → content): creates the missing ones,
 * updates those whose content differs, and removes runner mounts of files no longer referenced.
 */
export async function syncMounts(
  dokploy: DokployClient,
  composeId: string,
  current: readonly ComposeMount[],
  wanted: ReadonlyMap<string, string>,
): Promise<MountChanges> {
  const changes: MountChanges = { created: [], updated: [], removed: [] };
  const kept = new Set<string>();
  for (const mount of current) {
    const owned = mount.type === "file" && mount.mountPath.startsWith(RUNNER_MOUNT_PREFIX);
    if (!owned) {
      continue;
    }
    const path = mount.filePath ?? "";
    const content = wanted.get(path);
    if (content === undefined || kept.has(path)) {
      await dokployCall("mounts.remove", () => dokploy.POST("/mounts.remove", { body: { mountId: mount.mountId } }));
      changes.removed.push(path);
      continue;
    }
    kept.add(path);
    if (mount.content !== content) {
      await dokployCall("mounts.update", () =>
        dokploy.POST("/mounts.update", { body: { mountId: mount.mountId, content } }),
      );
      changes.updated.push(path);
    }
  }
  for (const [filePath, content] of wanted) {
    if (kept.has(filePath)) {
      continue;
    }
    await dokployCall("mounts.create", () =>
      dokploy.POST("/mounts.create", {
        body: {
          type: "file",
          serviceType: "compose",
          serviceId: composeId,
          filePath,
          content,
          mountPath: `${RUNNER_MOUNT_PREFIX}${filePath}`,
        },
      }),
    );
    changes.created.push(filePath);
  }
  return changes;
}
