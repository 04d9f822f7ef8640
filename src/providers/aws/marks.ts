// Marks that let one list call per account-region point at this stack's objects, so only those are read in
// detail (tags decide ownership; marks only pick the candidates):
// - a deterministic CreatorRequestId on vaults, plans and selections, `crossvault-<stack>.<hash>`, which also
//   makes a retried create idempotent (AWS answers a retry with the same token with the existing object);
// - a second KMS alias on each key the stack creates, `alias/crossvault/<stack>/<key id>`, since ListAliases
//   is KMS's only batched listing and tags need one call per key.
// Stack names are lower-case letters, digits and dashes (at most 32), so neither `.` nor `/` can occur in them
// and one stack's mark is never a prefix of another's.
import { attributesHash } from "../../model/ownership.js";

/** CreatorRequestId: 1-50 characters, alphanumeric or `-_.` [M]. */
const TOKEN_MAX = 50;
const HASH_MAX = 22;

function tokenPrefix(stack: string): string {
  return `crossvault-${stack}.`;
}

/**
 * The CreatorRequestId of the object at `address`. `salt` distinguishes successive objects at one address that
 * may briefly coexist (a replaced selection): the same address and salt always give the same token.
 */
export function creatorRequestId(stack: string, address: string, salt = ""): string {
  const prefix = tokenPrefix(stack);
  const room = Math.min(HASH_MAX, TOKEN_MAX - prefix.length);
  return prefix + attributesHash(`${address}\u0000${salt}`).slice(0, room);
}

export function isStackToken(stack: string, token: unknown): boolean {
  return typeof token === "string" && token.startsWith(tokenPrefix(stack));
}

function markerPrefix(stack: string): string {
  return `alias/crossvault/${stack}/`;
}

export function markerAlias(stack: string, keyId: string): string {
  return `${markerPrefix(stack)}${keyId}`;
}

export function isMarkerAlias(stack: string, aliasName: unknown): boolean {
  return typeof aliasName === "string" && aliasName.startsWith(markerPrefix(stack));
}

/** Any stack's marker alias: never a key's user-facing alias. */
export function isAnyMarkerAlias(aliasName: unknown): boolean {
  return typeof aliasName === "string" && aliasName.startsWith("alias/crossvault/");
}
