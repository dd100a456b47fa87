const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed TLS certificate in the chain",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate is for another host",
};

function systemCode(error: unknown): string | undefined {
  if (error instanceof AggregateError) {
    return error.errors.map(systemCode).find((code) => code !== undefined);
  }
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: unknown };
  if (typeof code === "string" && code !== "") {
    return code;
  }
  return cause === undefined ? undefined : systemCode(cause);
}

/**
 * Why a `fetch` got no answer, in a few words: the system error under fetch's generic `TypeError` ("connection
 * refused (ECONNREFUSED)"), or the timeout when `timeoutMs` elapsed.
 */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") {
    return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  }
  if (error instanceof Error && error.name === "AbortError") {
    return "interrupted";
  }
  const code = systemCode(error);
  if (code === undefined) {
    // fetch says only "fetch failed"; its cause says why (e.g. "bad port").
    let inner: unknown = error;
    while (inner instanceof Error && inner.cause instanceof Error) {
      inner = inner.cause;
    }
    return inner instanceof Error ? inner.message : String(inner);
  }
  return `${REASONS[code] ?? "network error"} (${code})`;
}
