import { describe, expect, it } from "vitest";
import type { ResourceChange } from "../core/plan-types.js";
import { routesOf, vaultArnEnd, type DrawnRoute } from "./copy-routes.js";
import { createOnlyPlan, reviewPlan } from "./plan-examples.js";
import { mermaidRoutes } from "./route-diagram.js";

const end = (accountId: string, vault: string) => ({ accountId, region: "eu-west-1", vault });
const route = (from: string, to: string, change: DrawnRoute["change"], failing = false): DrawnRoute => ({
  id: `${from} -> ${to}`, source: end("111111111111", from), destination: end("222222222222", to), change, failing,
});

function backupPlan(action: ResourceChange["action"], before: string[] | null, after: string[] | null): ResourceChange {
  const attrs = (arns: string[]) => ({ name: "p", rules: [{ name: "daily", target_vault: "local", schedule: "cron(0 5 ? * * *)", copy_actions: arns.map((a) => ({ destination_vault_arn: a })) }] });
  return {
    address: "backup_plan.p", type: "backup_plan", accountId: "111111111111", region: "eu-west-1", action,
    before: before ? attrs(before) : null, after: after ? attrs(after) : null, changes: [], dependsOn: [],
  };
}

describe("routesOf", () => {
  it("takes the route check's verdicts when the plan has them; a removed route is not drawn as failing", () => {
    const { source, routes } = routesOf(reviewPlan());
    expect(source).toBe("check");
    expect(routes.map((r) => [r.change, r.failing])).toEqual([["changed", false], ["new", true], ["unchanged", false], ["removed", false]]);
  });

  it("reads copy actions before and after otherwise", () => {
    const a = "arn:aws:backup:eu-west-1:222222222222:backup-vault:a";
    const b = "arn:aws:backup:us-east-1:333333333333:backup-vault:b";
    const plan = { ...createOnlyPlan(), changes: [backupPlan("update", [a], [b]), { ...backupPlan("create", null, [a]), address: "backup_plan.q", region: "us-east-1" }] };
    const { source, routes } = routesOf(plan);
    expect(source).toBe("copy-actions");
    expect(routes.map((r) => `${r.id} ${r.change}`)).toEqual([
      "111111111111/eu-west-1/local -> 222222222222/eu-west-1/a removed",
      "111111111111/eu-west-1/local -> 333333333333/us-east-1/b new",
      "111111111111/us-east-1/local -> 222222222222/eu-west-1/a new",
    ]);
    expect(routesOf({ ...plan, changes: [backupPlan("no-op", [a], [a])] }).routes.map((r) => r.change)).toEqual(["unchanged"]);
  });

  it("parses vault ARNs", () => {
    expect(vaultArnEnd("arn:aws:backup:eu-west-1:222222222222:backup-vault:central")).toEqual({ region: "eu-west-1", accountId: "222222222222", vault: "central" });
    expect(vaultArnEnd("not an arn")).toBeUndefined();
  });
});

describe("mermaidRoutes", () => {
  it("draws the routes that matter first when there are more than it may draw, and counts the rest", () => {
    const routes = [route("a", "x", "unchanged"), route("b", "x", "unchanged"), route("c", "x", "new", true), route("d", "x", "removed")];
    const d = mermaidRoutes(routes, 2);
    expect(d).toMatchObject({ drawn: 2, omitted: 2 });
    expect(d.text).toContain('==>|"new, fails"|');
    expect(d.text).toContain('-.->|"removed"|');
    expect(d.text).not.toMatch(/ --> /);
    expect(d.text).toContain("linkStyle 0 stroke:#cf222e,stroke-width:3px");
  });

  it("quotes what mermaid would read as syntax", () => {
    const text = mermaidRoutes([{ ...route("a", "x", "new"), source: end("111111111111", 'we"ird<v>') }]).text;
    expect(text).toContain('["we#quot;ird#lt;v#gt;<br/>eu-west-1"]');
  });
});
