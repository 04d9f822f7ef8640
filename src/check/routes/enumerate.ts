// Copy routes from backup plans: every copy action of every rule is a route from the rule's vault (in the plan's
// account and region) to the action's destination vault ARN [S6]. The plan's selections tell what the route
// carries (resource types [C3][C4]) and which roles copy it (the principal of the copy [S4]).
import type { BackupPlanAttributes, BackupSelectionAttributes, LifecycleAttributes } from "../../model/attributes.js";
import { canonicalJson } from "../../model/ownership.js";
import { isPending } from "../../model/resource.js";
import type { CopyRoute, Lifecycle, SelectedResources } from "./types.js";

export interface PlanRecord {
  address: string;
  accountId: string;
  region: string;
  /** The plan's id in AWS, when it exists there. */
  id?: string;
  attributes: BackupPlanAttributes;
}

export interface SelectionRecord {
  address: string;
  attributes: BackupSelectionAttributes;
}

/** share_keys of a route, by the plan's account, region and name, the rule and the destination ARN. */
export type ShareKeysOf = (plan: { accountId: string; region: string; name: string }, rule: string, destinationArn: string) => string[];

const VAULT_ARN = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):backup-vault:(.+)$/;

export function parseVaultArn(arn: string): { accountId: string; region: string; vault: string } | undefined {
  const m = VAULT_ARN.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, vault: m[3]! } : undefined;
}

export function routeId(source: { accountId: string; region: string; vault: string }, destinationArn: string): string {
  const d = parseVaultArn(destinationArn);
  return `${source.accountId}/${source.region}/${source.vault} -> ${d ? `${d.accountId}/${d.region}/${d.vault}` : destinationArn}`;
}

function lifecycle(l: LifecycleAttributes | undefined): Lifecycle | undefined {
  if (!l) return undefined;
  const out: Lifecycle = {};
  if (l.move_to_cold_storage_after_days !== undefined) out.moveToColdStorageAfterDays = l.move_to_cold_storage_after_days;
  if (l.delete_after_days !== undefined) out.deleteAfterDays = l.delete_after_days;
  return out;
}

/**
 * The selections of each plan without testing every selection against every plan (an organization has one
 * plan and selection per account-region: thousands of each). A selection belongs to a plan by the plan it waits
 * for (a pending reference), else by the plan id it names when the plan has one, else by its address: the
 * plan's address with `backup_selection.` in place of `backup_plan.`, then the selection's name (found by binary
 * search over the sorted addresses).
 */
export class SelectionsByPlan {
  private readonly pending = new Map<string, SelectionRecord[]>();
  private readonly byId = new Map<string, SelectionRecord[]>();
  /** Selections the address rule decides, sorted by address; `withId` is set when a plan id decides first. */
  private readonly byAddress: Array<{ selection: SelectionRecord; withId: boolean }> = [];

  constructor(selections: readonly SelectionRecord[]) {
    const push = <K>(m: Map<K, SelectionRecord[]>, k: K, s: SelectionRecord): void => void m.set(k, [...(m.get(k) ?? []), s]);
    for (const s of selections) {
      const ref = s.attributes.plan_id;
      if (isPending(ref)) push(this.pending, ref.$pending.address, s);
      else if (typeof ref === "string") {
        push(this.byId, ref, s);
        this.byAddress.push({ selection: s, withId: true });
      } else this.byAddress.push({ selection: s, withId: false });
    }
    this.byAddress.sort((a, b) => (a.selection.address < b.selection.address ? -1 : a.selection.address > b.selection.address ? 1 : 0));
  }

  of(plan: PlanRecord): SelectionRecord[] {
    const out = [...(this.pending.get(plan.address) ?? [])];
    if (plan.id !== undefined) out.push(...(this.byId.get(plan.id) ?? []));
    const prefix = `backup_selection.${plan.address.replace(/^backup_plan\./, "")}.`;
    let lo = 0;
    let hi = this.byAddress.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.byAddress[mid]!.selection.address < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.byAddress.length && this.byAddress[i]!.selection.address.startsWith(prefix); i++) {
      const { selection, withId } = this.byAddress[i]!;
      // A selection naming a plan id belongs by id when the plan has one (added above or not at all).
      if (!withId || plan.id === undefined) out.push(selection);
    }
    return out;
  }
}

function selectedBy(plan: PlanRecord, index: SelectionsByPlan): SelectedResources {
  const mine = index.of(plan);
  const patterns = new Set<string>();
  const roles = new Set<string>();
  let byTags = false;
  for (const s of mine) {
    const a = s.attributes;
    roles.add(a.iam_role_arn);
    const excluded = new Set(a.not_resources ?? []);
    for (const r of a.resources ?? []) if (!excluded.has(r)) patterns.add(r);
    if ((a.resources ?? []).length === 0 && (a.tags ?? []).length > 0) byTags = true;
  }
  return { patterns: [...patterns].sort(), byTags, roles: [...roles].sort() };
}

export function enumerateRoutes(plans: readonly PlanRecord[], selections: readonly SelectionRecord[], shareKeysOf: ShareKeysOf): CopyRoute[] {
  const out: CopyRoute[] = [];
  const index = new SelectionsByPlan(selections);
  for (const plan of plans) {
    const selected = selectedBy(plan, index);
    for (const rule of plan.attributes.rules ?? []) {
      for (const action of rule.copy_actions ?? []) {
        const source = { accountId: plan.accountId, region: plan.region, vault: rule.target_vault };
        const destination = parseVaultArn(action.destination_vault_arn);
        const ruleLifecycle = lifecycle(rule.lifecycle);
        const copyLifecycle = lifecycle(action.lifecycle);
        const shareKeys = shareKeysOf({ accountId: plan.accountId, region: plan.region, name: plan.attributes.name }, rule.name, action.destination_vault_arn);
        out.push({
          id: routeId(source, action.destination_vault_arn),
          address: `${plan.address}.rule.${rule.name}`,
          planAddress: plan.address,
          rule: rule.name,
          source,
          destinationArn: action.destination_vault_arn,
          ...(destination ? { destination } : {}),
          ...(ruleLifecycle ? { ruleLifecycle } : {}),
          ...(copyLifecycle ? { copyLifecycle } : {}),
          continuous: rule.enable_continuous_backup === true,
          recoveryPointTags: { ...(rule.recovery_point_tags ?? {}) },
          selected,
          shareKeys,
          definition: canonicalJson({ ruleLifecycle, copyLifecycle, continuous: rule.enable_continuous_backup === true, tags: rule.recovery_point_tags ?? {}, selected, shareKeys }),
        });
      }
    }
  }
  return out;
}
