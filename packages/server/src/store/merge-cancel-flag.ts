/** A cancel request recorded on a running service. */
export type CancelFlag = "cancel" | "force";

/**
 * The cancel flag of a running service after another cancel request: `force` wins over `cancel` and is never
 * downgraded, because the runner may already have asked Dokploy to kill the build.
 */
export function mergeCancelFlag(current: CancelFlag | null, force: boolean): CancelFlag {
  return force || current === "force" ? "force" : "cancel";
}
