// Ownership without a state file: created resources carry tags naming the stack (and a hash of what was last
// applied, to tell drift from config edits); statements inside shared policy documents carry a Sid prefix.
import { createHash } from "node:crypto";

export const STACK_TAG = "crossvault:stack";
export const APPLIED_HASH_TAG = "crossvault:applied-hash";
/** The address a tagged resource had when applied, so a plan can name what it deletes. */
export const ADDRESS_TAG = "crossvault:address";
/**
 * On a backup plan: the VersionId the stack's last write of its document produced. While the plan still has that
 * version, its document is the one applied, and the applied hash says what that was: no need to read it again.
 */
export const PLAN_VERSION_TAG = "crossvault:plan-version";

/**
 * The Sid prefix of a stack's statements. Sids must be alphanumeric (IAM, Organizations), and one stack's
 * prefix must never be a prefix of another's ("ab" vs "abc"), so the prefix spells the stack's length first:
 * `backup-core` -> `Crossvault11xbackupXcore` (a hyphen becomes `X`; stack names have no capitals).
 */
export function sidPrefix(stack: string): string {
  return `Crossvault${stack.length}x${stack.replace(/-/g, "X")}`;
}

export function isOurSid(stack: string, sid: unknown): boolean {
  return typeof sid === "string" && sid.startsWith(sidPrefix(stack));
}

/** A stable JSON text: object keys sorted, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Short hash of attributes, stored in the applied-hash tag (tag values are at most 256 characters). */
export function attributesHash(attributes: unknown): string {
  return createHash("sha256").update(canonicalJson(attributes)).digest("base64url").slice(0, 22);
}

export function ownershipTags(stack: string, address: string, appliedAttributes: unknown): Record<string, string> {
  return { [STACK_TAG]: stack, [ADDRESS_TAG]: address, [APPLIED_HASH_TAG]: attributesHash(appliedAttributes) };
}

/** Tags without crossvault's own, for comparing with the config's tags. */
export function userTags(tags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (k !== STACK_TAG && k !== APPLIED_HASH_TAG && k !== ADDRESS_TAG && k !== PLAN_VERSION_TAG) out[k] = v;
  return out;
}
