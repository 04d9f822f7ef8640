// Decoding backup plans: rules (schedule, windows, lifecycle), their copy routes, and selections, with the
// value rules that belong to each.
import { isUnknown } from "./expr/types.js";
import type { Instance } from "./evaluation.js";
import { regionOf, tagsOf, type DecodeContext } from "./decode-common.js";
import { kmsKeyTargetOf } from "./decode-resources.js";
import type { BackupPlanDecl, BackupRuleDecl, CopyDestination, CopyRouteDecl, KmsKeyTarget, Lifecycle, RuleVaultTarget, SelectionDecl, SelectionTag } from "./model.js";
import { describeValue, refOf, type BlockReader } from "./reader.js";
import { IAM_ROLE_ARN, isRegion, OWN_TAGS, isTimeZone, lifecycleProblem, PLAN_NAME, scheduleProblem, VAULT_ARN, VAULT_NAME, windowProblem } from "./rules.js";
import { nestedAddress } from "./structure.js";
import { schema } from "./schema.js";

const ruleSchema = schema.backup_plan!.blocks.rule!;

function decodeLifecycle(r: BlockReader): Lifecycle {
  const cold = r.number("move_to_cold_storage_after_days");
  const del = r.number("delete_after_days");
  const l: Lifecycle = r.own({
    address: r.address, pos: r.block.pos,
    ...(cold !== undefined ? { moveToColdStorageAfterDays: cold } : {}), ...(del !== undefined ? { deleteAfterDays: del } : {}),
  });
  const p = lifecycleProblem(l);
  if (p) {
    r.problem(r.has("delete_after_days") ? "delete_after_days" : "move_to_cold_storage_after_days", "invalid-lifecycle", p,
      "A recovery point moved to cold storage must stay there at least 90 days: raise delete_after_days or move it to cold storage earlier.", "[C5]");
  }
  return l;
}

function lifecycleBlock(r: BlockReader): Lifecycle | undefined {
  const block = r.block.blocks.find((b) => b.type === "lifecycle");
  return block ? decodeLifecycle(r.nested(block, `${r.address}.lifecycle`)) : undefined;
}

function shareKeys(r: BlockReader): KmsKeyTarget[] {
  const items = r.list("share_keys", false);
  if (!items || isUnknown(items)) return [];
  const out: KmsKeyTarget[] = [];
  for (const v of items) {
    const k = kmsKeyTargetOf(r, "share_keys", v);
    if (k && !isUnknown(k)) out.push(k);
    else if (k) r.problem("share_keys", "value-unknown", "share_keys must be known when the configuration is read", "Refer to the kms_key block itself (kms_key.central), not to its arn.", "[S5]");
  }
  return out;
}

function copyDestination(r: BlockReader): CopyDestination | undefined {
  const hasTo = r.has("to");
  const hasArn = r.has("to_arn");
  if (hasTo === hasArn) {
    r.problem(hasTo ? "to_arn" : undefined, "copy-destination", hasTo ? "set either to or to_arn, not both" : "a copy needs a destination: to or to_arn",
      'Use to = vault.central for a declared vault, or to_arn = "arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME" for another one.', "[S6]");
    return undefined;
  }
  if (hasTo) {
    const v = r.value("to");
    if (v === undefined) return undefined;
    const ref = refOf(v);
    if (ref?.kind === "vault") return { kind: "vault", vault: { kind: "vault", name: ref.name, ...(ref.key !== undefined ? { key: ref.key } : {}) } };
    if (isUnknown(v)) return undefined;
    r.problem("to", "wrong-type", `to must be a vault reference, got ${describeValue(v)}`,
      typeof v === "string" ? `For a vault ARN use to_arn = ${JSON.stringify(v)}.` : "For example to = vault.central.", "[S6]");
    return undefined;
  }
  const arn = r.string("to_arn");
  if (arn === undefined) return undefined;
  const m = VAULT_ARN.exec(arn);
  if (!m) {
    r.problem("to_arn", "invalid-vault-arn", `"${arn}" is not a backup vault ARN`, "Use arn:aws:backup:REGION:ACCOUNT_ID:backup-vault:NAME.", "[S6]");
    return undefined;
  }
  const [, region, account, vaultName] = m as unknown as [string, string, string, string];
  if (!isRegion(region)) r.problem("to_arn", "unknown-region", `"${region}" in to_arn is not an AWS Region`, "Fix the Region part of the ARN.");
  if (!VAULT_NAME.test(vaultName)) r.problem("to_arn", "invalid-vault-name", `vault name "${vaultName}" in to_arn must be 2-50 letters, digits, dashes or underscores`, "Fix the name part of the ARN.");
  return { kind: "vault_arn", arn, account, region, vaultName };
}

function decodeCopy(r: BlockReader, source: CopyRouteDecl["source"]): CopyRouteDecl | undefined {
  const destination = copyDestination(r);
  const lifecycle = lifecycleBlock(r);
  const keys = shareKeys(r);
  if (!destination) return undefined;
  return r.own({ address: r.address, pos: r.block.pos, source, destination, shareKeys: keys, ...(lifecycle ? { lifecycle } : {}) });
}

function ruleVault(r: BlockReader): RuleVaultTarget | undefined {
  const v = r.value("vault");
  if (v === undefined || isUnknown(v)) return undefined;
  const ref = refOf(v);
  if (ref?.kind === "vault") return { kind: "vault", name: ref.name, ...(ref.key !== undefined ? { key: ref.key } : {}) };
  if (typeof v === "string") {
    if (VAULT_NAME.test(v)) return { kind: "vault_name", name: v };
    r.problem("vault", "invalid-vault-name", `"${v}" is not a vault name`, "Refer to a declared vault (vault.local) or give the name of an existing vault in the plan's account and Region.");
    return undefined;
  }
  r.problem("vault", "wrong-type", `vault must be a vault reference or a vault name, got ${describeValue(v)}`, "For example vault = vault.local.");
  return undefined;
}

function decodeRule(r: BlockReader, name: string, plan: { name: string; key?: string; planAddress: string }): BackupRuleDecl | undefined {
  if (!PLAN_NAME.test(name)) r.problem(undefined, "invalid-rule-name", `rule name "${name}" must be 1-50 letters, digits, dashes, underscores or dots`, "Rename the rule.");
  const vault = ruleVault(r);
  const schedule = r.string("schedule");
  if (schedule !== undefined) {
    const p = scheduleProblem(schedule);
    if (p) r.problem("schedule", "invalid-schedule", p, 'AWS Backup takes cron(MIN HOUR DOM MONTH DOW YEAR), e.g. cron(0 5 ? * * *) for 05:00 UTC every day.');
  }
  const tz = r.string("schedule_timezone");
  if (tz !== undefined && !isTimeZone(tz)) r.problem("schedule_timezone", "invalid-timezone", `"${tz}" is not an IANA time zone`, "For example Etc/UTC or Europe/Berlin.");
  const start = r.number("start_window_minutes");
  const completion = r.number("completion_window_minutes");
  const wp = windowProblem(start, completion);
  if (wp) r.problem(wp.startsWith("start") ? "start_window_minutes" : "completion_window_minutes", "invalid-window", wp, "AWS Backup needs a start window of at least 60 minutes and a completion window at least 60 minutes longer.");
  const continuous = r.bool("enable_continuous_backup", false);
  const lifecycle = lifecycleBlock(r);
  if (continuous && lifecycle?.moveToColdStorageAfterDays !== undefined) {
    r.problem("enable_continuous_backup", "invalid-lifecycle", "continuous backups cannot move to cold storage", "Remove move_to_cold_storage_after_days, or turn continuous backup off.");
  }
  if (continuous && lifecycle?.deleteAfterDays !== undefined && lifecycle.deleteAfterDays > 35) {
    r.problem("enable_continuous_backup", "invalid-lifecycle", `continuous backups are kept at most 35 days, but delete_after_days is ${lifecycle.deleteAfterDays}`, "Lower delete_after_days to 35 or less.");
  }
  const recoveryPointTags = tagsOf(r, "recovery_point_tags");
  const ruleCopies: CopyRouteDecl[] = [];
  let index = 0;
  for (const child of r.block.blocks) {
    if (child.type !== "copy") continue;
    const cr = r.nested(child, nestedAddress(r.address, child, index++, ruleSchema.blocks.copy!));
    const c = decodeCopy(cr, { plan: plan.name, ...(plan.key !== undefined ? { key: plan.key } : {}), rule: name, planAddress: plan.planAddress });
    if (c) ruleCopies.push(c);
  }
  if (!vault) return undefined;
  return r.own({
    address: r.address, pos: r.block.pos, name, vault, enableContinuousBackup: continuous, recoveryPointTags, copies: ruleCopies,
    ...(schedule !== undefined ? { schedule } : {}), ...(tz !== undefined ? { scheduleTimezone: tz } : {}),
    ...(start !== undefined ? { startWindowMinutes: start } : {}), ...(completion !== undefined ? { completionWindowMinutes: completion } : {}),
    ...(lifecycle ? { lifecycle } : {}),
  });
}

function decodeSelection(r: BlockReader, name: string, plan: SelectionDecl["plan"]): SelectionDecl | undefined {
  const role = r.string("iam_role_arn");
  if (role !== undefined && !IAM_ROLE_ARN.test(role)) {
    r.problem("iam_role_arn", "invalid-role-arn", `"${role}" is not an IAM role ARN`, "Use arn:aws:iam::ACCOUNT_ID:role/NAME, e.g. the AWSBackupDefaultServiceRole.", "[P1]");
  }
  const resources = r.stringList("resources");
  const notResources = r.stringList("not_resources");
  const tags: SelectionTag[] = [];
  for (const child of r.block.blocks) {
    if (child.type !== "selection_tag") continue;
    const tr = r.nested(child, `${r.address}.selection_tag`);
    const type = tr.string("type") ?? "STRINGEQUALS";
    if (type !== "STRINGEQUALS") tr.problem("type", "invalid-selection-tag", `selection_tag type "${type}" is not supported`, 'AWS Backup accepts only "STRINGEQUALS".');
    const key = tr.string("key");
    const value = tr.string("value");
    if (key !== undefined && value !== undefined) tags.push({ type: "STRINGEQUALS", key, value });
  }
  if (resources.length === 0 && tags.length === 0 && !r.deferred && !r.isFailed("resources")) {
    r.warn(undefined, "empty-selection", `selection "${name}" selects no resources`, "Add resources = [...] or a selection_tag block.");
  }
  if (role === undefined || !IAM_ROLE_ARN.test(role)) return undefined;
  return r.own({ address: r.address, pos: r.block.pos, name, plan, selectionName: name, iamRoleArn: role, resources, notResources, tags });
}

export function decodeBackupPlan(ctx: DecodeContext, r: BlockReader, inst: Instance): BackupPlanDecl | undefined {
  const account = r.account("account");
  const region = regionOf(ctx, r);
  const planName = r.string("name") ?? (r.has("name") ? undefined : inst.label);
  if (planName !== undefined && !PLAN_NAME.test(planName)) {
    r.problem(r.has("name") ? "name" : undefined, "invalid-plan-name", `plan name "${planName}" must be 1-50 letters, digits, dashes, underscores or dots`, "Set name = \"...\".");
  }
  const windowsVss = r.bool("windows_vss", false);
  const tags = tagsOf(r, "tags", OWN_TAGS.backup_plan);
  const plan = { name: inst.label, ...(typeof inst.key === "string" ? { key: inst.key } : {}), planAddress: inst.address };
  const rules: BackupRuleDecl[] = [];
  const selections: SelectionDecl[] = [];
  for (const child of r.block.blocks) {
    const label = child.labels[0] ?? "";
    if (child.type === "rule") {
      const rule = decodeRule(r.nested(child, `${inst.address}.rule.${label}`), label, plan);
      if (rule) rules.push(rule);
    } else if (child.type === "selection") {
      const sel = decodeSelection(r.nested(child, `${inst.address}.selection.${label}`), label, plan);
      if (sel) selections.push(sel);
    }
  }
  if (!account || region === undefined || planName === undefined) return undefined;
  return {
    address: inst.address, pos: r.block.pos, name: inst.label, ...(typeof inst.key === "string" ? { key: inst.key } : {}),
    account, region, planName, windowsVss, tags, rules, selections,
  };
}
