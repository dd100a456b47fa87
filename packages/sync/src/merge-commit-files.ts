import type { PushEventFiles } from "./types.js";

/** The file lists of one commit of a push, in push order. */
export interface CommitFiles {
  added: readonly string[];
  modified: readonly string[];
  removed: readonly string[];
}

// "gone" marks a path created and deleted again within the push: no net change, but it keeps its first-seen slot.
type NetChange = "added" | "modified" | "removed" | "gone";

const NEXT: Record<NetChange, Record<keyof CommitFiles, NetChange>> = {
  added: { added: "added", modified: "added", removed: "gone" },
  modified: { added: "modified", modified: "modified", removed: "removed" },
  removed: { added: "modified", modified: "modified", removed: "removed" },
  gone: { added: "added", modified: "added", removed: "gone" },
};

/**
 * Folds the per-commit file lists of a push into its net change between `before` and `after`, each path in one list
 * in first-seen order: added then changed stays added, added then removed disappears, removed then added again is
 * modified, modified then removed is removed.
 */
export function mergeCommitFiles(commits: readonly CommitFiles[]): PushEventFiles {
  const net = new Map<string, NetChange>();
  for (const commit of commits) {
    for (const change of ["added", "modified", "removed"] as const) {
      for (const path of commit[change]) {
        const previous = net.get(path);
        net.set(path, previous === undefined ? change : NEXT[previous][change]);
      }
    }
  }
  const files: PushEventFiles = { added: [], modified: [], removed: [] };
  // forEach, unlike for...of, builds no [path, change] pair per path.
  net.forEach((change, path) => {
    if (change !== "gone") {
      files[change].push(path);
    }
  });
  return files;
}
