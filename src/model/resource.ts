// The resources a plan can touch: one shape for the desired state (derived from the config) and the live state
// (read from AWS), so that diff is a comparison of like with like. See the kinds table in docs/engine.md.
import type { SourcePos } from "../config/diagnostics.js";

export type ResourceType =
  /** Organizations trusted access for backup.amazonaws.com [S2]. Global, management account. */
  | "org_trust"
  /** Backup global setting isCrossAccountBackupEnabled [S2]. Management account. */
  | "cross_account_setting"
  /** A customer-managed KMS key with its alias and tags (the key's base policy; shares are separate). */
  | "kms_key"
  /** The stack's statements in one key's policy letting one destination account use the key [S5][C3]. */
  | "key_share"
  | "vault"
  /** The stack's statements in one vault's access policy [S4]; foreign statements are preserved. */
  | "vault_policy"
  | "vault_lock"
  | "backup_plan"
  /** Immutable: any change replaces it. */
  | "backup_selection"
  /** A service control policy [G1][G2][G3][X3] and its attachments. */
  | "guardrail";

/** Attribute values. A Pending value is known only after apply of another resource (a created key's ARN). */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue } | Pending;

export interface Pending {
  $pending: { address: string; attribute: string };
}

export function isPending(v: unknown): v is Pending {
  return typeof v === "object" && v !== null && "$pending" in v;
}

export type Attributes = Record<string, AttrValue>;

interface ResourceBase {
  /** `vault.central`, `vault_policy.central`, `key_share.central->333333333333`, `backup_plan.daily["prod"]`,
   *  `backup_selection.daily["prod"].tagged`, `org_trust`, `cross_account_setting`. */
  address: string;
  type: ResourceType;
  accountId: string;
  /** AWS region, or "global" for Organizations resources. */
  region: string;
  /**
   * What makes a desired and a live resource the same object, independent of addresses (see identity.ts):
   * `vault:222222222222/eu-west-1/central`. Diff matches desired to live by identity.
   */
  identity: string;
}

export interface DesiredResource extends ResourceBase {
  attributes: Attributes;
  /** Addresses that must be applied first. */
  dependsOn: string[];
  /** Where the config declares it, for diagnostics. */
  pos?: SourcePos;
  preventDestroy?: boolean;
  /** Set when the user asked to adopt an existing same-named resource that is not ours. */
  adopt?: boolean;
  /** Attributes AWS does not return on read (e.g. deletion_window_days): never a reason to update or replace. */
  writeOnly?: string[];
}

export type Ownership =
  /** Tagged with this stack (or, for statements, carrying its Sid prefix). */
  | "ours"
  /** Exists with the same name but is not ours: reported, never overwritten unless adopted. */
  | "foreign"
  /** Not owned by anyone but referenced (an existing key by ARN, the organization). */
  | "unmanaged";

export interface LiveResource extends ResourceBase {
  /** Physical identity: vault ARN, key id, plan id, selection id, policy id. */
  id: string;
  attributes: Attributes;
  ownership: Ownership;
  /** Hash of the attributes crossvault last applied (from the ownership tag), to tell drift from config edits. */
  appliedHash?: string;
  /** A foreign object tagged with another crossvault stack: that stack's name (adopting it moves it from there). */
  otherStack?: string;
  /** Stable hash of what was read: a saved plan is stale when any fingerprint it relied on changed. */
  fingerprint: string;
  /** Facts that are not attributes but decide what a change may do. */
  facts?: {
    recoveryPoints?: number;
    lockDate?: string;
    keyState?: string;
    deletionDate?: string;
    /**
     * A backup plan of the stack holding selections the stack did not create and the config does not name
     * (someone added them): their names. They are never deleted, and the plan cannot be deleted around them.
     */
    foreignSelections?: string[];
    /** A vault of the stack whose access policy also holds statements of others: how many. */
    othersStatements?: number;
  };
}
