/** The states `completeTask` may end a service with. */
export type CompletionState = "succeeded" | "failed" | "cancelled";

/**
 * Checks the state handed to `completeTask`; `superseded` is the store's own decision and `queued`/`running` are
 * not ends, so anything else is a programming error.
 *
 * @throws {TypeError} for any other state.
 */
export function checkCompletionState(state: string): CompletionState {
  if (state !== "succeeded" && state !== "failed" && state !== "cancelled") {
    throw new TypeError(
      `[@iac/server] invalid completion state: expected "succeeded", "failed" or "cancelled", received ${JSON.stringify(state)}`,
    );
  }
  return state;
}
