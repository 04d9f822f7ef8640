// Deriving backup plans [S6] and their selections: the plan document in the normal form of attributes.ts
// (rules by name, copy actions by destination, AWS's defaults filled in), one selection resource each.
import type { BackupPlanDecl, BackupRuleDecl, CopyRouteDecl, Lifecycle, SelectionDecl } from "../config/model.js";
import {
  asAttributes, BACKUP_RULE_DEFAULTS, DEFAULT_SCHEDULE_TIMEZONE,
  type BackupPlanAttributes, type BackupRuleAttributes, type BackupSelectionAttributes, type CopyActionAttributes, type LifecycleAttributes,
} from "./attributes.js";
import { accountIdOf, findDeclaredVault, pending, resource, type DeriveContext } from "./derive-context.js";
import { identityOf } from "./identity.js";
import { canonicalJson } from "./ownership.js";
import { sortedSet } from "./policy-normal.js";
import type { DesiredResource } from "./resource.js";

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Undefined when nothing is set: AWS returns no Lifecycle then, and the reader omits it the same way. */
function lifecycleOf(l: Lifecycle | undefined): LifecycleAttributes | undefined {
  if (!l) return undefined;
  const out: LifecycleAttributes = {
    ...(l.moveToColdStorageAfterDays !== undefined ? { move_to_cold_storage_after_days: l.moveToColdStorageAfterDays } : {}),
    ...(l.deleteAfterDays !== undefined ? { delete_after_days: l.deleteAfterDays } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

function copyAction(ctx: DeriveContext, route: CopyRouteDecl): CopyActionAttributes | undefined {
  const d = route.destination;
  const arn = d.kind === "vault_arn" ? d.arn : findDeclaredVault(ctx, d.vault, route)?.arn;
  if (arn === undefined) return undefined;
  const lifecycle = lifecycleOf(route.lifecycle);
  return { destination_vault_arn: arn, ...(lifecycle ? { lifecycle } : {}) };
}

/** The rule's attributes and the vault it needs first (when declared); undefined if its vault is unresolved. */
function ruleOf(ctx: DeriveContext, rule: BackupRuleDecl): { attributes: BackupRuleAttributes; vaultAddress?: string } | undefined {
  let targetVault: string;
  let vaultAddress: string | undefined;
  if (rule.vault.kind === "vault") {
    const vault = findDeclaredVault(ctx, rule.vault, rule);
    if (!vault) return undefined;
    targetVault = vault.vaultName;
    vaultAddress = vault.address;
  } else {
    targetVault = rule.vault.name;
  }
  const copies: CopyActionAttributes[] = [];
  for (const route of rule.copies) {
    const action = copyAction(ctx, route);
    if (!action) return undefined;
    copies.push(action);
  }
  copies.sort((a, b) => compareText(a.destination_vault_arn, b.destination_vault_arn) || compareText(canonicalJson(a), canonicalJson(b)));
  const lifecycle = lifecycleOf(rule.lifecycle);
  const attributes: BackupRuleAttributes = {
    name: rule.name,
    target_vault: targetVault,
    schedule: rule.schedule ?? BACKUP_RULE_DEFAULTS.schedule,
    ...(rule.scheduleTimezone !== undefined && rule.scheduleTimezone !== DEFAULT_SCHEDULE_TIMEZONE ? { schedule_timezone: rule.scheduleTimezone } : {}),
    start_window_minutes: rule.startWindowMinutes ?? BACKUP_RULE_DEFAULTS.start_window_minutes,
    completion_window_minutes: rule.completionWindowMinutes ?? BACKUP_RULE_DEFAULTS.completion_window_minutes,
    enable_continuous_backup: rule.enableContinuousBackup,
    ...(lifecycle ? { lifecycle } : {}),
    recovery_point_tags: { ...rule.recoveryPointTags },
    copy_actions: copies,
  };
  return { attributes, ...(vaultAddress ? { vaultAddress } : {}) };
}

/** `backup_plan.daily["prod"]` + `tagged` -> `backup_selection.daily["prod"].tagged`. */
export function selectionAddress(planAddress: string, selectionName: string): string {
  return `backup_selection.${planAddress.replace(/^backup_plan\./, "")}.${selectionName}`;
}

function selectionOf(plan: BackupPlanDecl, accountId: string, s: SelectionDecl): DesiredResource {
  const tags = [...s.tags].sort((a, b) => compareText(a.key, b.key) || compareText(a.value, b.value)).map((t) => ({ type: t.type, key: t.key, value: t.value }));
  const attributes: BackupSelectionAttributes = {
    plan_id: pending(plan.address, "id"),
    name: s.selectionName,
    iam_role_arn: s.iamRoleArn,
    resources: sortedSet(s.resources),
    not_resources: sortedSet(s.notResources),
    tags,
  };
  return resource({
    address: selectionAddress(plan.address, s.name), type: "backup_selection", accountId, region: plan.region, decl: s,
    identity: identityOf("backup_selection", { accountId, region: plan.region, plan: plan.planName, name: s.selectionName }),
    attributes: asAttributes(attributes),
    dependsOn: [plan.address],
  });
}

/**
 * backup_plan and its backup_selections. `routeDependencies` holds, per copy route, what the route needs
 * applied first (derive-routes.ts): a plan is created only once its copies can succeed.
 */
export function derivePlan(ctx: DeriveContext, plan: BackupPlanDecl, routeDependencies: Map<CopyRouteDecl, string[]>): DesiredResource[] {
  const accountId = accountIdOf(ctx, plan.account, plan);
  if (accountId === undefined) return [];
  const rules: BackupRuleAttributes[] = [];
  const dependsOn: string[] = [];
  for (const rule of plan.rules) {
    const derived = ruleOf(ctx, rule);
    // An unresolved vault was reported; a plan without that rule would plan deleting it.
    if (!derived) return [];
    rules.push(derived.attributes);
    if (derived.vaultAddress) dependsOn.push(derived.vaultAddress);
    for (const route of rule.copies) dependsOn.push(...(routeDependencies.get(route) ?? []));
  }
  rules.sort((a, b) => compareText(a.name, b.name));
  const attributes: BackupPlanAttributes = {
    name: plan.planName,
    windows_vss: plan.windowsVss,
    rules,
    tags: { ...plan.tags },
    id: pending(plan.address, "id"),
  };
  return [
    resource({
      address: plan.address, type: "backup_plan", accountId, region: plan.region, decl: plan,
      identity: identityOf("backup_plan", { accountId, region: plan.region, name: plan.planName }),
      attributes: asAttributes(attributes),
      dependsOn,
    }),
    ...plan.selections.map((s) => selectionOf(plan, accountId, s)),
  ];
}
