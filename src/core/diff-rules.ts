// What each resource type allows a change to do: which attributes AWS cannot change in place (a change
// replaces the object), which objects live inside another (replacing the container recreates them), which
// types no one owns, and how to name an object in a message.
import type { Attributes, ResourceType } from "../model/resource.js";

/** Attributes whose change replaces the resource; "*" = every attribute (selections are immutable). */
const REPLACED_BY: Partial<Record<ResourceType, readonly string[] | "*">> = {
  vault: ["name", "encryption_key_arn"],
  vault_policy: ["vault_name"],
  vault_lock: ["vault_name"],
  key_share: ["key_arn", "destination_account"],
  backup_selection: "*",
  // kms_key: an alias change re-points the alias (UpdateAlias); nothing else about a key forces a new one.
};

export function forcesReplacement(type: ResourceType, attribute: string): boolean {
  const by = REPLACED_BY[type];
  return by === "*" || (by !== undefined && by.includes(attribute));
}

/** Objects that live inside another and die with it: a vault's access policy and lock, a key's shares,
 *  a plan's selections. */
export const CONTAINED_IN: Partial<Record<ResourceType, ResourceType>> = {
  vault_policy: "vault",
  vault_lock: "vault",
  key_share: "kms_key",
  backup_selection: "backup_plan",
};

/** Settings no one owns (nothing to tag): when the config declares them, crossvault manages them. */
export const OWNERLESS: ReadonlySet<ResourceType> = new Set<ResourceType>(["org_trust", "cross_account_setting"]);

/** KMS's default waiting period for ScheduleKeyDeletion. */
export const DEFAULT_KEY_DELETION_WINDOW_DAYS = 30;

const NOUNS: Record<ResourceType, string> = {
  org_trust: "trusted access setting",
  cross_account_setting: "cross-account backup setting",
  kms_key: "KMS key",
  key_share: "key share",
  vault: "vault",
  vault_policy: "vault access policy",
  vault_lock: "vault lock",
  backup_plan: "backup plan",
  backup_selection: "backup selection",
  guardrail: "service control policy",
};

export function noun(type: ResourceType): string {
  return NOUNS[type];
}

/** "a vault named central", "a KMS key with alias alias/crossvault-central". */
export function describeObject(type: ResourceType, attributes: Attributes, identity: string): string {
  const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  if (type === "kms_key" && text(attributes.alias)) return `a KMS key with alias ${text(attributes.alias)}`;
  const name = text(attributes.name) ?? text(attributes.vault_name) ?? identity.slice(identity.lastIndexOf("/") + 1);
  return `${/^[aeiou]/i.test(noun(type)) ? "an" : "a"} ${noun(type)} named ${name}`;
}
