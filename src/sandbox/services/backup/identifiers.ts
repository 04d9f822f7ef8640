// AWS Backup identifiers and the input rules shared by several operations: vault names, CreatorRequestId,
// resource tags, ARN forms (vault, plan, recovery point, IAM role) and the ids AWS generates.
import { randomUUID } from "node:crypto";
import { invalidParameter, limitExceeded } from "./errors.js";

export const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;
const CREATOR_REQUEST_ID = /^[a-zA-Z0-9\-_.]{1,50}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const VAULT_ARN = /^arn:(aws[a-z-]*):backup:([a-z0-9-]+):(\d{12}):backup-vault:([a-zA-Z0-9\-_]{2,50})$/;
/** Tags per resource, as AWS's tagging quota. */
export const MAX_TAGS = 50;

export function planArn(accountId: string, region: string, planId: string): string {
  return `arn:aws:backup:${region}:${accountId}:backup-plan:${planId}`;
}

/** A VersionId looks like base64 text (BEHAVIOUR.md §2.0): the base64 of a fresh UUID. */
export function newVersionId(): string {
  return Buffer.from(randomUUID()).toString("base64");
}

export function checkVaultName(name: unknown): string {
  if (typeof name !== "string" || !VAULT_NAME.test(name)) {
    throw invalidParameter(`Backup vault name ${String(name)} is not valid. It must contain 2 to 50 alphanumeric characters, hyphens or underscores.`);
  }
  return name;
}

export function checkCreatorRequestId(id: unknown): string | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id !== "string" || !CREATOR_REQUEST_ID.test(id)) {
    throw invalidParameter("CreatorRequestId must contain 1 to 50 alphanumeric or '-_.' characters.");
  }
  return id;
}

export function isIamRoleArn(arn: unknown): arn is string {
  return typeof arn === "string" && IAM_ROLE_ARN.test(arn);
}

export interface VaultArnParts {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

export function parseVaultArn(arn: unknown): VaultArnParts | undefined {
  if (typeof arn !== "string") return undefined;
  const m = VAULT_ARN.exec(arn);
  return m ? { partition: m[1]!, region: m[2]!, accountId: m[3]!, name: m[4]! } : undefined;
}

export interface ArnParts {
  service: string;
  region: string;
  accountId: string;
  /** Everything after the account field (`backup-vault:name`, `backup-plan:id`, `recovery-point:id`, `snapshot/snap-…`). */
  resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || !parts[1]?.startsWith("aws")) return undefined;
  return { service: parts[2]!, region: parts[3]!, accountId: parts[4]!, resource: parts.slice(5).join(":") };
}

/**
 * Tags as AWS Backup accepts them (keys 1–128 and values 0–256 characters, no `aws:` prefix, at most 50).
 * `existing` is what the resource already carries, so TagResource counts the merged set.
 */
export function checkTags(tags: unknown, member: string, existing: Record<string, string> = {}): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== "object" || Array.isArray(tags)) throw invalidParameter(`${member} must be a map of tag keys to values.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
    if (k.length < 1 || k.length > 128) throw invalidParameter(`Tag key ${k} must be 1 to 128 characters long.`);
    if (k.toLowerCase().startsWith("aws:")) throw invalidParameter(`Tag key ${k} uses the reserved prefix aws:.`);
    if (typeof v !== "string" || v.length > 256) throw invalidParameter(`The value of tag ${k} must be a string of at most 256 characters.`);
    out[k] = v;
  }
  const merged = new Set([...Object.keys(existing), ...Object.keys(out)]);
  if (merged.size > MAX_TAGS) throw limitExceeded(`A resource can have at most ${MAX_TAGS} tags; this request would give it ${merged.size}.`);
  return out;
}

/** Code-point order, so that list pages do not depend on the host's locale. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
