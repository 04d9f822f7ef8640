// Reading AWS SDK errors: their code, message and the few classes the engine decides on (not found, access
// denied, credentials that could not be obtained). The SDK names an error after the service's code, so the
// checks here are by name, never by class, to cover unmodelled codes (AccessDeniedException, ERROR_9601).

export function errorName(e: unknown): string {
  if (e && typeof e === "object") {
    const o = e as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof o.name === "string" && o.name !== "Error") return o.name;
    if (typeof o.Code === "string") return o.Code;
    if (typeof o.code === "string") return o.code;
  }
  return "Error";
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") return (e as { message: string }).message;
  return String(e);
}

/** `Code: message`, as one line for a diagnostic. */
export function describeError(e: unknown): string {
  const name = errorName(e);
  const message = errorMessage(e).replace(/\s+/g, " ").trim();
  return message && name !== "Error" ? `${name}: ${message}` : message || name;
}

const NOT_FOUND = new Set(["ResourceNotFoundException", "NotFoundException"]);

export function isNotFound(e: unknown): boolean {
  return NOT_FOUND.has(errorName(e));
}

export function isAccessDenied(e: unknown): boolean {
  const name = errorName(e);
  return name === "AccessDeniedException" || name === "AccessDenied";
}

/** Errors from obtaining credentials (AssumeRole refused, a profile missing): the whole account is unreachable. */
export function isCredentialFailure(e: unknown): boolean {
  const name = errorName(e);
  return name === "CredentialsProviderError" || name === "AccessDenied" || name === "ExpiredTokenException" || name === "InvalidClientTokenId" || name === "RegionDisabledException";
}

/** Node's and the SDK's names for a request that never got an answer: no route, no listener, no name, no time. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "TimeoutError"]);

/** The endpoint could not be reached at all: a network or endpoint problem, not one of credentials or permissions. */
export function isUnreachable(e: unknown): boolean {
  return UNREACHABLE.has(errorName(e));
}

/** The member of a modelled error (AlreadyExistsException carries CreatorRequestId and Arn). */
export function errorField(e: unknown, field: string): unknown {
  return e && typeof e === "object" ? (e as Record<string, unknown>)[field] : undefined;
}

/** Throttling and server errors: what the SDK would retry. Such a failure may or may not have taken effect. */
export function isRetryable(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const o = e as { $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (o.$retryable) return true;
  if ((o.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(errorName(e));
}
