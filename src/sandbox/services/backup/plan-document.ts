// A backup plan document as CreateBackupPlan and UpdateBackupPlan accept it (BEHAVIOUR.md §2.8): validation of
// rules, schedules, windows, lifecycles [C5], copy actions and advanced settings, and the stored form with rule
// ids and the defaults AWS fills in (schedule cron(0 5 ? * * *), windows 480/10080 minutes, zone Etc/UTC).
import { randomUUID } from "node:crypto";
import type { Vault } from "./state.js";
import { BackupErrorCode, invalidParameter, missingParameter } from "./errors.js";
import { VAULT_NAME, checkTags, parseVaultArn } from "./identifiers.js";
import { DEFAULT_SCHEDULE, checkScheduleExpression, checkTimezone } from "./schedule.js";

const PLAN_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
const RULE_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
const MAX_WINDOW_MINUTES = 52_560_000;
/** AWS keeps continuous (point-in-time) backups at most 35 days. */
const MAX_CONTINUOUS_RETENTION_DAYS = 35;
export const DEFAULT_START_WINDOW_MINUTES = 480;
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 10_080;
export const DEFAULT_TIMEZONE = "Etc/UTC";

type Doc = Record<string, any>;

function isObject(v: unknown): v is Doc {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function wholeDays(v: unknown, what: string, ruleName: string, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || (v < min && v !== -1)) {
    throw invalidParameter(`Error in rule ${ruleName} : Invalid lifecycle. ${what} must be a whole number of days of at least ${min}, or -1 to keep forever.`);
  }
  return v;
}

/** [C5] on a rule's or a copy action's lifecycle; -1 means "keep indefinitely" and so never conflicts. */
function checkLifecycle(lifecycle: unknown, ruleName: string, continuous: boolean): Doc | undefined {
  if (lifecycle === undefined || lifecycle === null) return undefined;
  if (!isObject(lifecycle)) throw invalidParameter(`Error in rule ${ruleName} : Invalid lifecycle.`);
  const cold = wholeDays(lifecycle.MoveToColdStorageAfterDays, "MoveToColdStorageAfterDays", ruleName, 0);
  const del = wholeDays(lifecycle.DeleteAfterDays, "DeleteAfterDays", ruleName, 1);
  if (continuous && cold !== undefined) {
    throw invalidParameter(`Error in rule ${ruleName} : Invalid lifecycle. MoveToColdStorageAfterDays is unavailable`, { Code: BackupErrorCode.invalidLifecycle });
  }
  if (continuous && del !== undefined && (del === -1 || del > MAX_CONTINUOUS_RETENTION_DAYS)) {
    throw invalidParameter(`Error in rule ${ruleName} : Invalid lifecycle. Continuous backups can be retained for 1 to ${MAX_CONTINUOUS_RETENTION_DAYS} days.`);
  }
  if (cold !== undefined && cold !== -1 && del !== undefined && del !== -1 && del < cold + 90) {
    throw invalidParameter(`Error in rule ${ruleName} : Invalid lifecycle. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays`);
  }
  return { ...lifecycle };
}

function windowMinutes(v: unknown, member: string, ruleName: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 60 || v > MAX_WINDOW_MINUTES) {
    throw invalidParameter(`Error in rule ${ruleName} : ${member} must be from 60 to ${MAX_WINDOW_MINUTES} minutes; got ${String(v)}.`, { Context: member });
  }
  return v;
}

function copyActions(actions: unknown, ruleName: string): Doc[] | undefined {
  if (actions === undefined || actions === null) return undefined;
  if (!Array.isArray(actions)) throw invalidParameter(`Error in rule ${ruleName} : CopyActions must be a list.`);
  return actions.map((a) => {
    if (!isObject(a)) throw invalidParameter(`Error in rule ${ruleName} : each copy action must be an object.`);
    if (a.DestinationBackupVaultArn === undefined) throw missingParameter("DestinationBackupVaultArn");
    // Any account and Region is accepted here: whether the copy is allowed is only known when it runs (§2.8).
    if (!parseVaultArn(a.DestinationBackupVaultArn)) {
      throw invalidParameter(`Error in rule ${ruleName} : Invalid DestinationBackupVaultArn ${String(a.DestinationBackupVaultArn)}. It must be a backup vault ARN (arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME).`);
    }
    // A copy of a continuous backup is a snapshot backup, so the continuous-only limits do not apply to it.
    const lifecycle = checkLifecycle(a.Lifecycle, ruleName, false);
    return { DestinationBackupVaultArn: a.DestinationBackupVaultArn, ...(lifecycle ? { Lifecycle: lifecycle } : {}) };
  });
}

function advancedBackupSettings(settings: unknown): Doc[] | undefined {
  if (settings === undefined || settings === null) return undefined;
  if (!Array.isArray(settings)) throw invalidParameter("AdvancedBackupSettings must be a list.");
  return settings.map((s) => {
    if (!isObject(s) || s.ResourceType !== "EC2") {
      throw invalidParameter(`AdvancedBackupSettings: ResourceType ${isObject(s) ? String(s.ResourceType) : "?"} is not supported; the only valid value is EC2.`);
    }
    const options = s.BackupOptions;
    if (!isObject(options) || Object.keys(options).length === 0) throw invalidParameter("AdvancedBackupSettings: BackupOptions must set WindowsVSS.");
    for (const [k, v] of Object.entries(options)) {
      if (k !== "WindowsVSS" || (v !== "enabled" && v !== "disabled")) {
        throw invalidParameter(`AdvancedBackupSettings: invalid backup option ${k}=${String(v)}; the only option is "WindowsVSS":"enabled" or "disabled".`);
      }
    }
    return { ResourceType: s.ResourceType, BackupOptions: { ...options } };
  });
}

function rule(r: unknown, vaults: Record<string, Vault>, ruleIds: Map<string, string>): Doc {
  if (!isObject(r)) throw invalidParameter("Each backup rule must be an object.");
  if (r.RuleName === undefined) throw missingParameter("RuleName");
  const name = r.RuleName;
  if (typeof name !== "string" || !RULE_NAME.test(name)) throw invalidParameter(`Rule name ${String(name)} is not valid. It must contain 1 to 50 alphanumeric or '-_.' characters.`);
  if (r.TargetBackupVaultName === undefined) throw missingParameter("TargetBackupVaultName");
  const vault = r.TargetBackupVaultName;
  if (typeof vault !== "string" || !VAULT_NAME.test(vault)) throw invalidParameter(`Error in rule ${name} : Backup vault name ${String(vault)} is not valid`);
  if (!vaults[vault]) throw invalidParameter(`Error in rule ${name} : Backup vault ${vault} does not exist in this account and Region.`);
  const schedule = r.ScheduleExpression ?? DEFAULT_SCHEDULE;
  if (typeof schedule !== "string") throw invalidParameter(`Error in rule ${name} : ScheduleExpression must be a string.`);
  checkScheduleExpression(schedule, name);
  const timezone = r.ScheduleExpressionTimezone ?? DEFAULT_TIMEZONE;
  if (typeof timezone !== "string") throw invalidParameter(`Error in rule ${name} : ScheduleExpressionTimezone must be a string.`);
  checkTimezone(timezone, name);
  const start = windowMinutes(r.StartWindowMinutes, "StartWindowMinutes", name);
  const completion = windowMinutes(r.CompletionWindowMinutes, "CompletionWindowMinutes", name);
  if (start !== undefined && completion !== undefined && completion < start + 60) {
    throw invalidParameter(`Error in rule ${name} : CompletionWindowMinutes (${completion}) must be at least 60 minutes more than StartWindowMinutes (${start}).`);
  }
  const continuous = r.EnableContinuousBackup === true;
  const lifecycle = checkLifecycle(r.Lifecycle, name, continuous);
  const copies = copyActions(r.CopyActions, name);
  if (r.IndexActions !== undefined && (!Array.isArray(r.IndexActions) || r.IndexActions.length > 1)) {
    throw invalidParameter(`Error in rule ${name} : a rule can have at most one IndexAction.`);
  }
  const tags = r.RecoveryPointTags === undefined ? undefined : checkTags(r.RecoveryPointTags, "RecoveryPointTags");
  return {
    RuleName: name,
    TargetBackupVaultName: vault,
    ScheduleExpression: schedule,
    StartWindowMinutes: start ?? DEFAULT_START_WINDOW_MINUTES,
    CompletionWindowMinutes: completion ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
    ...(lifecycle ? { Lifecycle: lifecycle } : {}),
    ...(tags ? { RecoveryPointTags: tags } : {}),
    RuleId: ruleIds.get(name) ?? randomUUID(),
    ...(copies ? { CopyActions: copies } : {}),
    ...(r.EnableContinuousBackup !== undefined ? { EnableContinuousBackup: r.EnableContinuousBackup === true } : {}),
    ScheduleExpressionTimezone: timezone,
    ...(r.IndexActions !== undefined ? { IndexActions: r.IndexActions } : {}),
  };
}

/**
 * Validates a `BackupPlanInput` against the caller's vaults and returns the stored `BackupPlan`. Rules keep
 * their RuleId across versions when their name stays the same [I].
 */
export function planDocument(input: unknown, vaults: Record<string, Vault>, previous?: Doc): Doc {
  if (input === undefined || input === null) throw missingParameter("BackupPlan");
  if (!isObject(input)) throw invalidParameter("BackupPlan must be an object.");
  if (input.BackupPlanName === undefined) throw missingParameter("BackupPlanName");
  const name = input.BackupPlanName;
  if (typeof name !== "string" || !PLAN_NAME.test(name)) throw invalidParameter(`Backup plan name ${String(name)} is not valid. It must contain 1 to 50 alphanumeric or '-_.' characters.`);
  if (input.Rules === undefined) throw missingParameter("Rules");
  if (!Array.isArray(input.Rules) || input.Rules.length === 0) throw invalidParameter("A backup plan needs at least one rule.");
  const seen = new Set<string>();
  for (const r of input.Rules) {
    const n = isObject(r) ? r.RuleName : undefined;
    if (typeof n === "string" && seen.has(n)) throw invalidParameter(`Rule name ${n} is used more than once; rule names must be unique within a plan.`);
    if (typeof n === "string") seen.add(n);
  }
  const ruleIds = new Map<string, string>((previous?.Rules ?? []).map((r: Doc) => [r.RuleName, r.RuleId]));
  const advanced = advancedBackupSettings(input.AdvancedBackupSettings);
  return {
    BackupPlanName: name,
    Rules: input.Rules.map((r) => rule(r, vaults, ruleIds)),
    ...(advanced ? { AdvancedBackupSettings: advanced } : {}),
  };
}

/** Two documents are "the same plan document" (AlreadyExistsException) when they match without rule ids. */
export function documentKey(plan: Doc): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (!isObject(v)) return v;
    return Object.fromEntries(Object.keys(v).filter((k) => k !== "RuleId").sort().map((k) => [k, canonical(v[k])]));
  };
  return JSON.stringify(canonical(plan));
}
