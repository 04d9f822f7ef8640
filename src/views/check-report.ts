// What `crossvault check` reports: the plan's route verdicts seen from one state, the planned one (as it will be
// after apply: routes the plan removes left out) or the live one (as it is now: routes the plan would create left
// out), each with the status, failures and warnings of that state. Shared by the text, Markdown and JSON output.
import type { Plan, RouteFailure, RouteStatus, RouteVerdict } from "../core/plan-types.js";

export type CheckMode = "planned" | "live";

export interface CheckedRoute {
  verdict: RouteVerdict;
  status: RouteStatus;
  failures: RouteFailure[];
  warnings: RouteFailure[];
}

export interface CheckReport {
  mode: CheckMode;
  stack: string;
  routes: CheckedRoute[];
  summary: { ok: number; fail: number; unknown: number };
  /** Routes that only the other state has (live: not applied yet; planned: removed by the plan). */
  elsewhere: number;
  /** Accounts that could not be read. */
  unreadable: Plan["unreadable"];
}

function inState(f: RouteFailure, mode: CheckMode): boolean {
  return f.when === undefined || f.when === (mode === "live" ? "now" : "after-apply");
}

export function checkReport(plan: Plan, mode: CheckMode): CheckReport {
  const all = plan.routes ?? [];
  const present = all.filter((v) => (mode === "live" ? v.change !== "new" : v.change !== "removed"));
  const routes = present.map((verdict) => ({
    verdict,
    status: mode === "live" ? verdict.now : verdict.afterApply,
    failures: verdict.failures.filter((f) => inState(f, mode)),
    warnings: verdict.warnings.filter((f) => inState(f, mode)),
  }));
  const count = (s: RouteStatus): number => routes.filter((r) => r.status === s).length;
  return {
    mode, stack: plan.stack, routes,
    summary: { ok: count("ok"), fail: count("fail"), unknown: count("unknown") },
    elsewhere: all.length - present.length,
    unreadable: plan.unreadable,
  };
}

/** `check --json`: the report with the verdicts as the plan holds them. */
export function renderCheckJson(report: CheckReport): string {
  return `${JSON.stringify({
    mode: report.mode,
    stack: report.stack,
    summary: report.summary,
    routes: report.routes.map((r) => ({ ...r.verdict, status: r.status, failures: r.failures, warnings: r.warnings })),
    unreadable: report.unreadable,
  }, null, 2)}\n`;
}

export function where(f: RouteFailure): string {
  if (!f.policy) return "";
  return f.statement ? `${f.policy}, statement ${f.statement}` : f.policy;
}

export function stateTitle(mode: CheckMode): string {
  return mode === "live" ? "as they are now (live state)" : "as they will be after apply (planned state)";
}
