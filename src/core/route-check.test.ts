// The route check's part of the plan: which verdicts become findings (failing after apply: errors that stop
// apply; undecidable after apply: warnings; removed routes and failures of now only: nothing), and
// --allow-failing-routes turning those errors into warnings.
import { describe, expect, it } from "vitest";
import type { Finding, Plan, RouteVerdict } from "./plan-types.js";
import { allowFailingRoutes, routeFindings } from "./route-check.js";

const end = (accountId: string, vault: string) => ({ accountId, region: "eu-west-1", vault });
const verdict = (over: Partial<RouteVerdict>): RouteVerdict => ({
  id: "222222222222/eu-west-1/local -> 333333333333/eu-west-1/central", address: "backup_plan.prod.rule.daily",
  source: end("222222222222", "local"), destination: end("333333333333", "central"), now: "ok", afterApply: "ok", change: "unchanged",
  failures: [], warnings: [], ...over,
});
const s4 = { rule: "S4", message: "the vault policy denies it", policy: "vault_policy.central", statement: "NoCopies", fix: "Remove it." };

describe("route findings", () => {
  it("a route failing after apply is an error naming the rule, policy and statement", () => {
    const findings = routeFindings([verdict({ afterApply: "fail", failures: [s4] })]);
    expect(findings).toEqual([{
      severity: "error", code: "route-fails", rule: "[S4]", address: "backup_plan.prod.rule.daily",
      message: "copy route 222222222222/eu-west-1/local -> 333333333333/eu-west-1/central fails after apply: the vault policy denies it (vault_policy.central statement NoCopies)",
      hint: "Remove it. (To apply anyway: crossvault apply --allow-failing-routes.)",
    }]);
  });

  it("failures of now only, removed routes and passing routes make none; undecidable routes a warning", () => {
    expect(routeFindings([
      verdict({ now: "fail", failures: [{ ...s4, when: "now" }] }),
      verdict({ change: "removed", afterApply: "fail", failures: [s4] }),
      verdict({}),
    ])).toEqual([]);
    const unknown = routeFindings([verdict({ afterApply: "unknown", failures: [{ rule: "S3", message: "cannot tell: not read", fix: "Give access." }] })]);
    expect(unknown.map((f) => [f.severity, f.code, f.rule])).toEqual([["warning", "route-unknown", "[S3]"]]);
  });
});

describe("--allow-failing-routes", () => {
  it("turns route-fails errors into warnings, and the plan becomes applyable unless something else stops it", () => {
    const routeError: Finding = { severity: "error", code: "route-fails", rule: "[S4]", message: "fails" };
    const other: Finding = { severity: "error", code: "vault-has-recovery-points", message: "stop" };
    const plan = { findings: [routeError], unreadable: [], applyable: false } as unknown as Plan;
    const allowed = allowFailingRoutes(plan);
    expect(allowed.applyable).toBe(true);
    expect(allowed.findings).toEqual([{ ...routeError, severity: "warning" }]);
    expect(allowFailingRoutes({ ...plan, findings: [routeError, other] }).applyable).toBe(false);
    expect(allowFailingRoutes({ ...plan, unreadable: [{ accountId: "1", message: "x" }] }).applyable).toBe(false);
  });
});
