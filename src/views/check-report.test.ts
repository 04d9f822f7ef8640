// `crossvault check`'s report and its three renderings: which routes and failures each state shows, the order
// (failing first), the closing count, and the JSON / Markdown shapes.
import { describe, expect, it } from "vitest";
import type { Plan, RouteVerdict } from "../core/plan-types.js";
import { checkReport, renderCheckJson } from "./check-report.js";
import { renderCheckMarkdown } from "./check-markdown.js";
import { renderCheckText } from "./check-plain.js";

const end = (accountId: string, vault: string) => ({ accountId, region: "eu-west-1", vault });

const fixed: RouteVerdict = {
  id: "222222222222/eu-west-1/local -> 333333333333/eu-west-1/central", address: "backup_plan.prod.rule.daily",
  source: end("222222222222", "local"), destination: end("333333333333", "central"), now: "fail", afterApply: "ok", change: "unchanged",
  failures: [{ rule: "S5", message: "key policy of kms_key.prod does not allow account 333333333333 to use kms:DescribeKey", policy: "key_share.prod->333333333333", statement: "CrossvaultUse", fix: "Run `crossvault apply`.", when: "now" }],
  warnings: [{ rule: "X3", message: "destination account 333333333333 is not denied organizations:LeaveOrganization", fix: "Declare a guardrail." }],
};
const broken: RouteVerdict = {
  id: "222222222222/eu-west-1/local -> 333333333333/eu-west-1/other", address: "backup_plan.prod.rule.weekly",
  source: end("222222222222", "local"), destination: end("333333333333", "other"), now: "fail", afterApply: "fail", change: "new",
  failures: [{ rule: "S4", message: "vault policy | denies", policy: "access policy of vault 333333333333/eu-west-1/other", statement: "NoCopies", fix: "Remove it." }],
  warnings: [],
};
const removed: RouteVerdict = { ...fixed, id: "222222222222/eu-west-1/local -> 444444444444/eu-west-1/old", change: "removed", now: "ok", afterApply: "unknown", failures: [], warnings: [] };

const plan = { stack: "core", routes: [fixed, broken, removed], unreadable: [] } as unknown as Plan;

describe("check report", () => {
  it("after apply: routes the plan keeps, failures of that state only, failing first", () => {
    const report = checkReport(plan, "planned");
    expect(report.routes.map((r) => [r.verdict.id.split(" -> ")[1], r.status])).toEqual([["333333333333/eu-west-1/central", "ok"], ["333333333333/eu-west-1/other", "fail"]]);
    expect(report.routes[0]!.failures).toEqual([]);
    expect(report.summary).toEqual({ ok: 1, fail: 1, unknown: 0 });
    expect(report.elsewhere).toBe(1);
    const text = renderCheckText(report);
    expect(text.indexOf("FAIL    222222222222/eu-west-1/local -> 333333333333/eu-west-1/other")).toBeLessThan(text.indexOf("ok      222222222222/eu-west-1/local -> 333333333333/eu-west-1/central"));
    expect(text).toContain("[S4] vault policy | denies");
    expect(text).toContain("decided by: access policy of vault 333333333333/eu-west-1/other, statement NoCopies");
    expect(text).toContain("1 route the plan removes is left out: run check --live to see it.");
    expect(text).toMatch(/2 routes: 1 ok, 1 failing, 0 unknown\.\n$/);
  });

  it("now: routes that exist, failures of the live state", () => {
    const report = checkReport(plan, "live");
    expect(report.routes.map((r) => r.status)).toEqual(["fail", "ok"]);
    expect(report.routes[0]!.failures.map((f) => f.rule)).toEqual(["S5"]);
    const text = renderCheckText(report);
    expect(text).toContain("as they are now (live state)");
    expect(text).toContain("1 route exists only in the configuration (not applied yet): run check without --live to see it.");
  });

  it("JSON carries the verdicts with the state's status and failures", () => {
    const json = JSON.parse(renderCheckJson(checkReport(plan, "live"))) as { mode: string; summary: unknown; routes: Array<{ id: string; status: string; now: string; failures: unknown[] }> };
    expect(json.mode).toBe("live");
    expect(json.summary).toEqual({ ok: 1, fail: 1, unknown: 0 });
    expect(json.routes[0]).toMatchObject({ id: fixed.id, status: "fail", now: "fail", failures: [expect.objectContaining({ rule: "S5", statement: "CrossvaultUse" })] });
  });

  it("Markdown: a table, then each route's failures and warnings, table cells escaped", () => {
    const md = renderCheckMarkdown(checkReport(plan, "planned"));
    expect(md).toContain("| route | rule | status | rules broken |");
    expect(md).toContain("| `222222222222/eu-west-1/local -> 333333333333/eu-west-1/other` | `backup_plan.prod.rule.weekly` | ❌ fails | [S4] |");
    expect(md).toContain("- **[S4]** vault policy \\| denies. Decided by `access policy of vault 333333333333/eu-west-1/other`, statement `NoCopies`.");
    expect(md).toContain("- ⚠️ **[X3]**");
  });

  it("no routes", () => {
    const text = renderCheckText(checkReport({ ...plan, routes: undefined } as unknown as Plan, "planned"));
    expect(text).toContain("No copy routes.");
    expect(text).toContain("0 routes: 0 ok, 0 failing, 0 unknown.");
  });
});
