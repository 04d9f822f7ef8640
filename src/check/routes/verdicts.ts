// Every rule on every route, in both worlds, into the plan's route verdicts: the status now and after apply,
// how the plan changes the route, and each failure once, marked with the world it belongs to. Where one world
// fails for want of a statement and the other passes thanks to one, the failure names that statement: "the
// vault policy does not allow it now; after apply, statement CrossvaultXCopyInto222... does".
import type { RouteEnd, RouteFailure, RouteStatus, RouteVerdict } from "../../core/plan-types.js";
import type { RuleFailure, RuleOutcome, RouteContext } from "./outcome.js";
import { carriedTypes } from "./resource-types.js";
import { checkAccess } from "./rules-access.js";
import { checkDestinationVault, checkSourceKeys } from "./rules-keys.js";
import { checkLifecycle } from "./rules-lifecycle.js";
import { checkMembership, checkNotDefault, checkOrganizationSettings } from "./rules-org.js";
import { vaultKey, type CopyRoute, type RouteWorld } from "./types.js";
import { routeWarnings } from "./warnings.js";

export interface RouteCheck {
  status: RouteStatus;
  outcomes: RuleOutcome[];
  warnings: RuleFailure[];
}

const RULES: Array<(ctx: RouteContext) => RuleOutcome[]> = [
  checkMembership, checkOrganizationSettings, checkNotDefault, checkDestinationVault, checkAccess, checkSourceKeys, checkLifecycle,
];

/** One route in one world. */
export function checkRoute(world: RouteWorld, route: CopyRoute): RouteCheck {
  const crossAccount = route.destination !== undefined && route.destination.accountId !== route.source.accountId;
  const ctx: RouteContext = { world, route, crossAccount, carried: carriedTypes(route.selected) };
  const outcomes = RULES.flatMap((rule) => rule(ctx));
  const status: RouteStatus = outcomes.some((o) => o.status === "fail") ? "fail" : outcomes.some((o) => o.status === "unknown") ? "unknown" : "ok";
  return { status, outcomes, warnings: routeWarnings(ctx) };
}

function failureKey(f: RuleFailure): string {
  return `${f.rule}|${f.policy ?? ""}|${f.statement ?? ""}|${f.message}`;
}

/** A failure for want of a statement, named after the statement that lets the route through in the other world. */
function named(f: RuleFailure, other: RouteCheck, otherIsAfter: boolean): RuleFailure {
  if (f.statement !== undefined) return f;
  const allow = other.outcomes.find((o) => o.rule === f.rule && o.status === "ok" && o.allow)?.allow;
  if (!allow) return f;
  const tail = otherIsAfter
    ? `; after apply, statement "${allow.statement}" of ${allow.policy} allows it`
    : `; now statement "${allow.statement}" of ${allow.policy} allows it, and the plan removes it`;
  return { ...f, policy: allow.policy, statement: allow.statement, message: f.message + tail };
}

function problems(check: RouteCheck): RuleFailure[] {
  return check.outcomes.filter((o) => o.status !== "ok" && o.failure).map((o) => o.failure!);
}

/** Failures (or warnings) of both worlds, each once: in both -> no `when`. */
function merge(now: RuleFailure[], after: RuleFailure[]): RouteFailure[] {
  const afterKeys = new Set(after.map(failureKey));
  const nowKeys = new Set(now.map(failureKey));
  const out: RouteFailure[] = [];
  const seen = new Set<string>();
  for (const f of now) {
    const key = failureKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(afterKeys.has(key) ? { ...f } : { ...f, when: "now" });
  }
  for (const f of after) {
    const key = failureKey(f);
    if (seen.has(key) || nowKeys.has(key)) continue;
    seen.add(key);
    out.push({ ...f, when: "after-apply" });
  }
  return out;
}

function end(worlds: RouteWorld[], v: { accountId: string; region: string; vault: string }): RouteEnd {
  const out: RouteEnd = { accountId: v.accountId, region: v.region, vault: v.vault };
  for (const w of worlds) {
    const found = w.vaults.get(vaultKey(v.accountId, v.region, v.vault));
    if (found?.ok && found.value?.address) {
      out.address = found.value.address;
      break;
    }
  }
  return out;
}

function destinationEnd(worlds: RouteWorld[], route: CopyRoute): RouteEnd {
  if (route.destination) return end(worlds, route.destination);
  return { accountId: "", region: "", vault: route.destinationArn };
}

/** The verdicts on every route that exists now or after apply, sorted by id. */
export function routeVerdicts(live: RouteWorld, planned: RouteWorld): RouteVerdict[] {
  const pairs = new Map<string, { now?: CopyRoute; after?: CopyRoute }>();
  const keyOf = (r: CopyRoute): string => `${r.id}\u0000${r.address}`;
  for (const r of live.routes) pairs.set(keyOf(r), { ...pairs.get(keyOf(r)), now: r });
  for (const r of planned.routes) pairs.set(keyOf(r), { ...pairs.get(keyOf(r)), after: r });

  const verdicts: RouteVerdict[] = [];
  for (const { now, after } of pairs.values()) {
    const route = after ?? now!;
    const nowCheck = checkRoute(live, now ?? route);
    const afterCheck = checkRoute(planned, after ?? route);
    const change: RouteVerdict["change"] = !now ? "new" : !after ? "removed" : now.definition === after.definition ? "unchanged" : "changed";
    verdicts.push({
      id: route.id,
      address: route.address,
      source: end([planned, live], route.source),
      destination: destinationEnd([planned, live], route),
      now: nowCheck.status,
      afterApply: afterCheck.status,
      change,
      failures: merge(problems(nowCheck).map((f) => named(f, afterCheck, true)), problems(afterCheck).map((f) => named(f, nowCheck, false))),
      warnings: merge(nowCheck.warnings, afterCheck.warnings),
    });
  }
  verdicts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : (a.address ?? "") < (b.address ?? "") ? -1 : 1));
  // Two rules copying between the same vaults: the id stays unique and stable.
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v.id, (counts.get(v.id) ?? 0) + 1);
  for (const v of verdicts) if ((counts.get(v.id) ?? 0) > 1 && v.address) v.id = `${v.id} (${v.address})`;
  return verdicts;
}
