// The copy routes a plan touches, for drawing: the copy-route check's verdicts when the plan carries them,
// otherwise read from the backup plans' copy actions before and after (new, changed, removed, unchanged; no
// verdict on whether they work, which only the check can tell).
import { canonicalJson } from "../model/ownership.js";
import type { Plan, RouteEnd, RouteStatus, RouteVerdict } from "../core/plan-types.js";

export interface DrawnRoute {
  id: string;
  source: RouteEnd;
  destination: RouteEnd;
  change: RouteVerdict["change"];
  /** Verdicts of the route check; absent when the routes were read from copy actions. */
  now?: RouteStatus;
  afterApply?: RouteStatus;
  /** The route will not work after apply (or, if the plan removes it, does not work now). */
  failing: boolean;
}

export interface PlanRoutes {
  routes: DrawnRoute[];
  /** "check": the copy-route check's verdicts; "copy-actions": read from the backup plans. */
  source: "check" | "copy-actions";
}

export function routesOf(plan: Plan): PlanRoutes {
  if (plan.routes) {
    return {
      source: "check",
      routes: plan.routes.map((r) => ({
        id: r.id, source: r.source, destination: r.destination, change: r.change, now: r.now, afterApply: r.afterApply,
        failing: r.change === "removed" ? false : r.afterApply === "fail",
      })).sort(byId),
    };
  }
  const found = new Map<string, DrawnRoute>();
  for (const c of plan.changes) {
    if (c.type !== "backup_plan" || c.action === "read") continue;
    const before = copyActions(c.before, c);
    const after = copyActions(c.after, c);
    for (const [key, route] of [...before, ...after]) {
      if (found.has(key)) continue;
      const b = before.get(key);
      const a = after.get(key);
      const change = !b ? "new" : !a ? "removed" : b.detail === a.detail ? "unchanged" : "changed";
      found.set(key, { id: key, source: route.source, destination: route.destination, change, failing: false });
    }
  }
  return { source: "copy-actions", routes: [...found.values()].sort(byId) };
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** `arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME` to its parts. */
export function vaultArnEnd(arn: string): RouteEnd | undefined {
  const m = /^arn:[^:]+:backup:([^:]*):([^:]*):backup-vault:(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, vault: m[3]! } : undefined;
}

export function endId(e: RouteEnd): string {
  return `${e.accountId}/${e.region}/${e.vault}`;
}

interface FoundAction {
  source: RouteEnd;
  destination: RouteEnd;
  /** What else the route carries (its lifecycle, its rule's schedule): a difference makes it "changed". */
  detail: string;
}

function copyActions(attributes: Record<string, unknown> | null, at: { accountId: string; region: string }): Map<string, FoundAction> {
  const out = new Map<string, FoundAction>();
  const rules = attributes?.rules;
  if (!Array.isArray(rules)) return out;
  for (const rule of rules) {
    if (!isRecord(rule) || !Array.isArray(rule.copy_actions)) continue;
    const source: RouteEnd = { accountId: at.accountId, region: at.region, vault: typeof rule.target_vault === "string" ? rule.target_vault : "?" };
    for (const action of rule.copy_actions) {
      if (!isRecord(action) || typeof action.destination_vault_arn !== "string") continue;
      const destination = vaultArnEnd(action.destination_vault_arn) ?? { accountId: "?", region: "?", vault: action.destination_vault_arn };
      const key = `${endId(source)} -> ${endId(destination)}`;
      const detail = canonicalJson({ action, schedule: rule.schedule, rule: rule.name });
      const seen = out.get(key);
      out.set(key, { source, destination, detail: seen ? `${seen.detail}\n${detail}` : detail });
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
