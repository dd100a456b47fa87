const TITLE = /^iac-runner ([0-9a-f]{12})$/;

/**
 * The title of the Dokploy deployment the runner requests for `commit`: `iac-runner <first 12 hex>`. It is how a
 * later reader (`iac-runner plan`) tells which commit a compose last ran; see {@link deployedCommitPrefix}.
 */
export function deployTitle(commit: string): string {
  return `iac-runner ${commit.slice(0, 12).toLowerCase()}`;
}

/** The 12-hex commit prefix of a deployment title written by {@link deployTitle}; null for any other title. */
export function deployedCommitPrefix(title: string): string | null {
  return TITLE.exec(title)?.[1] ?? null;
}
