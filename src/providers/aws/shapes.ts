// AWS shapes <-> attributes (model/attributes.ts), both ways: what a reader reports must equal what derive
// produces for an unchanged object, and what a writer sends must read back as the attributes it was given.
// Defaults AWS fills in on read (windows, schedule, the Etc/UTC zone) are folded into the normal form here.
import type { BackupPlan, BackupPlanInput, BackupRule, BackupRuleInput, BackupSelection, Lifecycle } from "@aws-sdk/client-backup";
import type {
  BackupPlanAttributes,
  BackupRuleAttributes,
  BackupSelectionAttributes,
  CopyActionAttributes,
  KmsKeyAttributes,
  LifecycleAttributes,
  VaultAttributes,
  VaultLockAttributes,
} from "../../model/attributes.js";
import { BACKUP_RULE_DEFAULTS, DEFAULT_SCHEDULE_TIMEZONE } from "../../model/attributes.js";
import { userTags } from "../../model/ownership.js";
import { sortedSet } from "../../model/policy-normal.js";

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** KMS tags (`[{TagKey, TagValue}]`) as a record. */
export function kmsTagRecord(tags: ReadonlyArray<{ TagKey?: string; TagValue?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.TagKey !== undefined) out[t.TagKey] = t.TagValue ?? "";
  return out;
}

export function kmsTagList(tags: Record<string, string>): Array<{ TagKey: string; TagValue: string }> {
  return Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

function sortedRecord(r: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r ?? {}).sort(byText)) out[k] = r![k]!;
  return out;
}

// ---- vaults ----

export interface VaultListEntry {
  BackupVaultName?: string;
  BackupVaultArn?: string;
  EncryptionKeyArn?: string;
  Locked?: boolean;
  MinRetentionDays?: number;
  MaxRetentionDays?: number;
  LockDate?: Date;
}

export function vaultAttributes(v: VaultListEntry, tags: Record<string, string>): VaultAttributes {
  return { name: v.BackupVaultName ?? "", encryption_key_arn: v.EncryptionKeyArn ?? "", tags: sortedRecord(userTags(tags)), arn: v.BackupVaultArn ?? "" };
}

/** A vault's lock, or undefined when it has none. changeable_for_days is write-only (AWS shows a LockDate). */
export function vaultLockAttributes(v: VaultListEntry): VaultLockAttributes | undefined {
  if (!v.Locked && v.MinRetentionDays === undefined && v.MaxRetentionDays === undefined) return undefined;
  return {
    vault_name: v.BackupVaultName ?? "",
    ...(v.MinRetentionDays !== undefined ? { min_retention_days: v.MinRetentionDays } : {}),
    ...(v.MaxRetentionDays !== undefined ? { max_retention_days: v.MaxRetentionDays } : {}),
  };
}

// ---- keys ----

export function keyAttributes(k: { alias: string; description: string; rotation: boolean; tags: Record<string, string>; arn: string }): Omit<KmsKeyAttributes, "deletion_window_days"> {
  return { alias: k.alias, description: k.description, enable_key_rotation: k.rotation, tags: sortedRecord(userTags(k.tags)), arn: k.arn };
}

// ---- backup plans ----

function lifecycleAttributes(l: Lifecycle | undefined): LifecycleAttributes | undefined {
  if (!l) return undefined;
  const out: LifecycleAttributes = {
    ...(l.MoveToColdStorageAfterDays !== undefined && l.MoveToColdStorageAfterDays !== null ? { move_to_cold_storage_after_days: l.MoveToColdStorageAfterDays } : {}),
    ...(l.DeleteAfterDays !== undefined && l.DeleteAfterDays !== null ? { delete_after_days: l.DeleteAfterDays } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

function lifecycleInput(l: LifecycleAttributes | undefined): Lifecycle | undefined {
  if (!l) return undefined;
  // An explicit 0 for cold storage has been refused by AWS [O]: absent means "never", so it is never sent as 0.
  const out: Lifecycle = {
    ...(l.move_to_cold_storage_after_days !== undefined ? { MoveToColdStorageAfterDays: l.move_to_cold_storage_after_days } : {}),
    ...(l.delete_after_days !== undefined ? { DeleteAfterDays: l.delete_after_days } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

function ruleAttributes(r: BackupRule): BackupRuleAttributes {
  const zone = r.ScheduleExpressionTimezone;
  const lifecycle = lifecycleAttributes(r.Lifecycle);
  const copies: CopyActionAttributes[] = (r.CopyActions ?? []).map((c) => {
    const l = lifecycleAttributes(c.Lifecycle);
    return { destination_vault_arn: c.DestinationBackupVaultArn ?? "", ...(l ? { lifecycle: l } : {}) };
  });
  return {
    name: r.RuleName ?? "",
    target_vault: r.TargetBackupVaultName ?? "",
    schedule: r.ScheduleExpression || BACKUP_RULE_DEFAULTS.schedule,
    ...(zone && zone !== DEFAULT_SCHEDULE_TIMEZONE ? { schedule_timezone: zone } : {}),
    start_window_minutes: r.StartWindowMinutes ?? BACKUP_RULE_DEFAULTS.start_window_minutes,
    completion_window_minutes: r.CompletionWindowMinutes ?? BACKUP_RULE_DEFAULTS.completion_window_minutes,
    enable_continuous_backup: r.EnableContinuousBackup === true,
    ...(lifecycle ? { lifecycle } : {}),
    recovery_point_tags: sortedRecord(r.RecoveryPointTags),
    copy_actions: copies.sort((a, b) => byText(a.destination_vault_arn, b.destination_vault_arn)),
  };
}

export function planAttributes(plan: BackupPlan, id: string, tags: Record<string, string>): BackupPlanAttributes {
  const vss = (plan.AdvancedBackupSettings ?? []).some((s) => s.ResourceType === "EC2" && s.BackupOptions?.WindowsVSS === "enabled");
  return {
    name: plan.BackupPlanName ?? "",
    windows_vss: vss,
    rules: (plan.Rules ?? []).map(ruleAttributes).sort((a, b) => byText(a.name, b.name)),
    tags: sortedRecord(userTags(tags)),
    id,
  };
}

function ruleInput(r: BackupRuleAttributes): BackupRuleInput {
  const lifecycle = lifecycleInput(r.lifecycle);
  return {
    RuleName: r.name,
    TargetBackupVaultName: r.target_vault,
    ScheduleExpression: r.schedule,
    ...(r.schedule_timezone !== undefined ? { ScheduleExpressionTimezone: r.schedule_timezone } : {}),
    StartWindowMinutes: r.start_window_minutes,
    CompletionWindowMinutes: r.completion_window_minutes,
    ...(r.enable_continuous_backup ? { EnableContinuousBackup: true } : {}),
    ...(lifecycle ? { Lifecycle: lifecycle } : {}),
    ...(Object.keys(r.recovery_point_tags ?? {}).length > 0 ? { RecoveryPointTags: r.recovery_point_tags } : {}),
    ...((r.copy_actions ?? []).length > 0
      ? {
          CopyActions: r.copy_actions.map((c) => {
            const l = lifecycleInput(c.lifecycle);
            return { DestinationBackupVaultArn: c.destination_vault_arn, ...(l ? { Lifecycle: l } : {}) };
          }),
        }
      : {}),
  };
}

export function planInput(a: BackupPlanAttributes): BackupPlanInput {
  return {
    BackupPlanName: a.name,
    Rules: a.rules.map(ruleInput),
    ...(a.windows_vss ? { AdvancedBackupSettings: [{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "enabled" } }] } : {}),
  };
}

// ---- backup selections ----

export function selectionAttributes(s: BackupSelection, planId: string): BackupSelectionAttributes {
  const tags = (s.ListOfTags ?? [])
    .map((t) => ({ type: "STRINGEQUALS" as const, key: t.ConditionKey ?? "", value: t.ConditionValue ?? "" }))
    .sort((a, b) => byText(a.key, b.key) || byText(a.value, b.value));
  return {
    plan_id: planId,
    name: s.SelectionName ?? "",
    iam_role_arn: s.IamRoleArn ?? "",
    resources: sortedSet(s.Resources ?? []),
    not_resources: sortedSet(s.NotResources ?? []),
    tags,
  };
}

export function selectionInput(a: BackupSelectionAttributes): BackupSelection {
  return {
    SelectionName: a.name,
    IamRoleArn: a.iam_role_arn,
    ...(a.resources.length > 0 ? { Resources: [...a.resources] } : {}),
    ...(a.not_resources.length > 0 ? { NotResources: [...a.not_resources] } : {}),
    ...(a.tags.length > 0 ? { ListOfTags: a.tags.map((t) => ({ ConditionType: t.type, ConditionKey: t.key, ConditionValue: t.value })) } : {}),
  };
}
