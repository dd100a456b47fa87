import { verifyRequest, verifyWithFallback } from "@iac/sync";
import { HttpError } from "../http/http-error.js";
import type { JobStore } from "../types.js";

/** Options of {@link verifyCiRequest}. */
export interface VerifyCiRequestOptions {
  headers: Headers;
  body: Uint8Array;
  /** Accepted secrets, current first. */
  secrets: readonly string[];
  /** Refuse the plain body signature; only the timestamped form is accepted. */
  requireTimestamp: boolean;
  /** Where used nonces are remembered (across restarts and runners). */
  nonces: Pick<JobStore, "claimKey">;
  /** Milliseconds since the epoch. */
  now: number;
  /** Accepted clock skew in seconds; a nonce is remembered for twice as long. */
  maxSkewSeconds?: number | undefined;
}

const MAX_SKEW_SECONDS = 300;

/**
 * Which signature a request carried. A timestamped one is single-use by its nonce; a plain one can be replayed
 * byte for byte, so the routes remember it instead.
 */
export type CiSignature = "timestamped" | "plain";

/**
 * Verifies a CI request (`/deploy`, `/sync`): the timestamped signature from `signRequest` when `x-iac-timestamp` or
 * `x-iac-nonce` is present (stale timestamps and reused nonces refused), else the plain `X-Hub-Signature-256` over
 * the body, unless `requireTimestamp` forbids it.
 *
 * @throws {HttpError} 401 with code `missing_signature`, `invalid_signature`, `timestamp_required`, `stale_request` or
 * `replayed_request`.
 */
export async function verifyCiRequest(options: VerifyCiRequestOptions): Promise<CiSignature> {
  const { headers, body, secrets } = options;
  const maxSkewSeconds = options.maxSkewSeconds ?? MAX_SKEW_SECONDS;
  if (!headers.has("x-hub-signature-256")) {
    throw new HttpError(401, "missing_signature", "missing X-Hub-Signature-256 header");
  }
  if (headers.has("x-iac-timestamp") || headers.has("x-iac-nonce")) {
    const result = await verifyRequest({
      secrets,
      body,
      headers,
      now: Math.floor(options.now / 1000),
      maxSkewSeconds,
    });
    if (!result.ok) {
      if (result.reason === "stale") {
        throw new HttpError(401, "stale_request", `request timestamp is more than ${maxSkewSeconds} s away from now`);
      }
      throw new HttpError(401, "invalid_signature", "signature does not match");
    }
    if (!(await options.nonces.claimKey(`nonce:${result.nonce}`, maxSkewSeconds * 2 * 1000, options.now))) {
      throw new HttpError(401, "replayed_request", "this nonce was already used");
    }
    return "timestamped";
  }
  if (options.requireTimestamp) {
    throw new HttpError(401, "timestamp_required", "signed X-IAC-Timestamp and X-IAC-Nonce headers are required");
  }
  const [current = "", ...previous] = secrets;
  if (!(await verifyWithFallback(current, body, headers.get("x-hub-signature-256"), previous))) {
    throw new HttpError(401, "invalid_signature", "signature does not match");
  }
  return "plain";
}
