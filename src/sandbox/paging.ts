// Pagination shared by the sandbox's List* operations: an opaque token that encodes the next offset.
// Tokens are opaque to clients (as in AWS); a token that does not decode is the caller's error.
import { ServiceError } from "./service.js";

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function paginate<T>(all: readonly T[], token: string | undefined, max: number | undefined, defaultMax: number, invalidTokenError = "InvalidParameterValueException"): Page<T> {
  let start = 0;
  if (token !== undefined && token !== "") {
    const decoded = Number.parseInt(Buffer.from(token, "base64url").toString("utf8").replace(/^p:/, ""), 10);
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > all.length) {
      throw new ServiceError(invalidTokenError, "The pagination token is invalid.");
    }
    start = decoded;
  }
  const size = max && max > 0 ? max : defaultMax;
  const items = all.slice(start, start + size);
  const next = start + size;
  return next < all.length ? { items, nextToken: Buffer.from(`p:${next}`).toString("base64url") } : { items };
}
