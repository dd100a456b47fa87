/**
 * Thrown by `parsePushEvent` for a payload that does not have the shape of a push event. That is the sender's fault,
 * so the server answers it with 400 and the message; any other error thrown while parsing is a bug (500).
 *
 * @example
 * new PushEventError("commits[3].added", "must be an array of strings, received number").message;
 * // "[@iac/sync] invalid push event: commits[3].added must be an array of strings, received number"
 */
export class PushEventError extends Error {
  override readonly name = "PushEventError";
  /** The offending field, e.g. `commits[3].added`; `payload` for the payload as a whole. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`[@iac/sync] invalid push event: ${field} ${problem}`);
    this.field = field;
  }
}
