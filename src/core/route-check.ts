// The copy-route check in the plan: after the diff, read the routes' ends (providers/aws/read-route-facts.ts),
// judge every route on the live and on the planned state (check/routes), and attach the verdicts to the plan.
// A route that exists after apply and fails there is an error finding (`route-fails`): the plan cannot be
// applied, unless the user accepts failing routes (`apply --allow-failing-routes`).
import { findVault, type Config, type KmsKeyTarget } from "../config/model.js";
import {
  buildLiveWorld, buildPlannedWorld, keyRefOf, parseVaultArn, pendingKeyRef, routeVerdicts,
  type CopyRoute, type RouteFacts, type ShareKeysOf,
} from "../check/routes/index.js";
import type { LiveResource } from "../model/resource.js";
import type { OrgFacts } from "../model/org.js";
import type { ClientPool } from "../providers/aws/clients.js";
import type { LimiterOptions } from "../providers/aws/limiter.js";
import type { KnownFacts } from "../providers/aws/read-context.js";
import { readRouteFacts } from "../providers/aws/read-route-facts.js";
import type { Finding, Plan, RouteVerdict } from "./plan-types.js";

export interface RouteCheckSession {
  config: Config;
  pool: ClientPool;
  org: OrgFacts;
  live: { resources: LiveResource[]; facts?: KnownFacts };
}

/** The finding code of a route that fails after apply. */
export const ROUTE_FAILS = "route-fails";

function accountOf(config: Config, target: { kind: string; id?: string; name?: string }): string | undefined {
  return target.kind === "account_id" ? target.id : config.accounts.find((a) => a.name === target.name)?.id;
}

/** share_keys of each copy block, as key ARNs (or the pending reference of a key the plan creates). */
export function shareKeysFromConfig(config: Config, live: readonly LiveResource[]): ShareKeysOf {
  const byRoute = new Map<string, string[]>();
  const keyRef = (t: KmsKeyTarget): string | undefined => {
    if (t.kind === "kms_key_arn") return t.arn;
    const decl = config.kmsKeys.find((k) => k.name === t.name && k.key === t.key);
    if (!decl) return undefined;
    if (decl.mode === "existing") return decl.arn;
    const arn = live.find((r) => r.type === "kms_key" && r.address === decl.address)?.attributes.arn;
    return typeof arn === "string" && arn !== "" ? arn : pendingKeyRef(decl.address);
  };
  for (const plan of config.backupPlans) {
    const accountId = accountOf(config, plan.account);
    for (const rule of plan.rules) {
      for (const route of rule.copies) {
        const d = route.destination;
        const arn = d.kind === "vault_arn" ? d.arn : findVault(config, d.vault)?.arn;
        if (!accountId || !arn || route.shareKeys.length === 0) continue;
        const refs = route.shareKeys.flatMap((t) => keyRef(t) ?? []);
        byRoute.set(`${accountId}/${plan.region}/${plan.planName}/${rule.name}/${arn}`, refs);
      }
    }
  }
  return (plan, rule, destinationArn) => byRoute.get(`${plan.accountId}/${plan.region}/${plan.name}/${rule}/${destinationArn}`) ?? [];
}

function ends(routes: readonly CopyRoute[]): Array<{ accountId: string; region: string; name: string }> {
  const out: Array<{ accountId: string; region: string; name: string }> = [];
  for (const r of routes) {
    out.push({ accountId: r.source.accountId, region: r.source.region, name: r.source.vault });
    const d = parseVaultArn(r.destinationArn);
    if (d) out.push({ accountId: d.accountId, region: d.region, name: d.vault });
  }
  return out;
}

const SEVERITY_RANK: Record<Finding["severity"], number> = { error: 0, warning: 1, info: 2 };
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function withFindings(plan: Plan, extra: Finding[], routes?: RouteVerdict[]): Plan {
  const findings = [...plan.findings, ...extra].sort((a, b) =>
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareText(a.address ?? "", b.address ?? "") || compareText(a.code, b.code) || compareText(a.message, b.message));
  return {
    ...plan,
    ...(routes ? { routes } : {}),
    findings,
    applyable: plan.unreadable.length === 0 && !findings.some((f) => f.severity === "error"),
  };
}

/** Error findings for routes that exist after apply and fail there; warnings for those that cannot be decided. */
export function routeFindings(verdicts: readonly RouteVerdict[]): Finding[] {
  const out: Finding[] = [];
  for (const v of verdicts) {
    if (v.change === "removed") continue;
    const where = (f: RouteVerdict["failures"][number]): string => (f.policy ? ` (${f.policy}${f.statement ? ` statement ${f.statement}` : ""})` : "");
    if (v.afterApply === "fail" || v.afterApply === "unknown") {
      for (const f of v.failures) {
        if (f.when === "now") continue;
        out.push({
          severity: v.afterApply === "fail" ? "error" : "warning",
          code: v.afterApply === "fail" ? ROUTE_FAILS : "route-unknown",
          rule: `[${f.rule}]`,
          ...(v.address ? { address: v.address } : {}),
          message: `copy route ${v.id} ${v.afterApply === "fail" ? "fails" : "cannot be checked"} after apply: ${f.message}${where(f)}`,
          hint: v.afterApply === "fail" ? `${f.fix} (To apply anyway: crossvault apply --allow-failing-routes.)` : f.fix,
        });
      }
    }
  }
  return out;
}

/** The plan with its route verdicts and the findings they make. */
export async function checkPlanRoutes(session: RouteCheckSession, plan: Plan, limits?: LimiterOptions): Promise<Plan> {
  const { config, pool, org } = session;
  const live = session.live.resources;
  const shareKeysOf = shareKeysFromConfig(config, live);
  const stack = config.settings.stack;
  const base = { stack, live, org, shareKeysOf };
  // Routes first (they depend on plans and selections only), to know which vaults and keys to read.
  const emptyFacts: RouteFacts = { settings: { ok: false, reason: "not read yet" }, vaults: {}, keys: {} };
  const bare = buildLiveWorld({ ...base, facts: emptyFacts });
  const bareRoutes = [...bare.routes, ...buildPlannedWorld({ stack, live: bare, liveResources: live, changes: plan.changes, shareKeysOf }).routes];

  const managementAccountId = org.managementAccountId;
  const settingsRegion = live.find((r) => r.type === "cross_account_setting")?.region
    ?? plan.changes.find((c) => c.type === "cross_account_setting")?.region
    ?? pool.settings.homeRegion;
  const facts = await readRouteFacts(pool, { vaults: ends(bareRoutes), managementAccountId, settingsRegion, liveSettings: live, ...(session.live.facts ? { known: session.live.facts } : {}) }, () => {
    const keys = new Set<string>(bareRoutes.flatMap((r) => r.shareKeys));
    for (const c of plan.changes) {
      const ref = c.type === "vault" ? keyRefOf(c.after?.encryption_key_arn) : c.type === "key_share" ? keyRefOf((c.after ?? c.before)?.key_arn) : undefined;
      if (ref) keys.add(ref);
    }
    return [...keys];
  }, limits);

  const liveWorld = buildLiveWorld({ ...base, facts, planned: plan.changes.filter((c) => c.after !== null).map((c) => ({ ...c, attributes: c.after! })) });
  const planned = buildPlannedWorld({ stack, live: liveWorld, liveResources: live, changes: plan.changes, shareKeysOf });
  const routes = routeVerdicts(liveWorld, planned);
  return withFindings(plan, routeFindings(routes), routes);
}

/** `apply --allow-failing-routes`: failing routes no longer stop the plan (they stay in it, as warnings). */
export function allowFailingRoutes(plan: Plan): Plan {
  const findings = plan.findings.map((f) => (f.code === ROUTE_FAILS && f.severity === "error" ? { ...f, severity: "warning" as const } : f));
  return withFindings({ ...plan, findings }, []);
}
