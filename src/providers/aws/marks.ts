// Marks that let one list call per account-region point at this stack's objects, so only those are read in
// detail (tags decide ownership; marks only pick the candidates):
// - a deterministic CreatorRequestId on vaults, plans and selections, `crossvault-<stack>.<hash>`, which also
//   makes a retried create idempotent (AWS answers a retry with the same token with the existing object);
// - a second KMS alias on each key the stack creates, `alias/crossvault/<stack>/<key id>`, since ListAliases
//   is KMS's only batched listing and tags need one call per key;
// - a share alias on each existing key (one the stack does not own) whose policy holds statements of the stack,
//   `alias/crossvault/<stack>/share/<key id>[/<kms_key name>]`: tags would change the key, an alias is an
//   object of its own beside it; it lets a later read find those statements when the config no longer names
//   the key, and remembers the name the key had in the config for the plan to show.
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

/** The marker of a key the stack created (a key id never holds a `/`, so no share alias is one). */
export function isMarkerAlias(stack: string, aliasName: unknown): boolean {
  return typeof aliasName === "string" && aliasName.startsWith(markerPrefix(stack)) && !aliasName.slice(markerPrefix(stack).length).includes("/");
}

function sharePrefix(stack: string): string {
  return `${markerPrefix(stack)}share/`;
}

/** Alias names: at most 256 characters of `[a-zA-Z0-9:/_-]` [M]. */
const ALIAS_MAX = 256;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** A kms_key name as a share address spells it: `central` or `workload["prod"]` (labels are identifiers). */
const SHARE_NAME = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\[("[A-Za-z0-9_-]+")\])?$/;

/**
 * The share alias of a key for this stack. `shareName` (the kms_key name in the share's address) goes into the
 * alias when the alias characters can spell it back exactly: `central` -> `/central`,
 * `workload["prod"]` -> `/workload/prod`; anything else (a bare ARN's `["arn:..."]`) is left out.
 */
export function shareAlias(stack: string, keyId: string, shareName?: string): string {
  const base = `${sharePrefix(stack)}${keyId}`;
  const m = shareName === undefined ? null : SHARE_NAME.exec(shareName);
  if (!m) return base;
  const named = `${base}/${m[1]}${m[2] !== undefined ? `/${JSON.parse(m[2]) as string}` : ""}`;
  return named.length <= ALIAS_MAX ? named : base;
}

export interface ShareMark {
  keyId: string;
  /** The kms_key name the share had when the alias was made (`central`, `workload["prod"]`). */
  shareName?: string;
}

/** What a share alias of this stack says, or undefined for any other alias. */
export function parseShareAlias(stack: string, aliasName: unknown): ShareMark | undefined {
  if (typeof aliasName !== "string" || !aliasName.startsWith(sharePrefix(stack))) return undefined;
  const parts = aliasName.slice(sharePrefix(stack).length).split("/");
  if (!parts.every((p) => SEGMENT.test(p))) return undefined;
  const [keyId, label, key] = parts;
  if (keyId === undefined || parts.length > 3) return undefined;
  if (label === undefined) return { keyId };
  if (!/^[A-Za-z_]/.test(label)) return { keyId };
  return { keyId, shareName: key === undefined ? label : `${label}[${JSON.stringify(key)}]` };
}

/** Any stack's marker or share alias: never a key's user-facing alias. */
export function isAnyMarkerAlias(aliasName: unknown): boolean {
  return typeof aliasName === "string" && aliasName.startsWith("alias/crossvault/");
}
