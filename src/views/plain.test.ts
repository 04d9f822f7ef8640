import { describe, expect, it } from "vitest";
import { diffResources } from "../core/diff.js";
import * as s from "../core/diff-test-support.js";
import { assemblePlan } from "../core/plan.js";
import { formatValue, renderPlanText } from "./plain.js";
import { createOnlyPlan, destroyNothingPlan, mixedPlan, noChangePlan, reviewPlan } from "./plan-examples.js";

const ANSI = /\x1b\[[0-9;]*m/g;
const lastLine = (text: string): string => text.trimEnd().split("\n").at(-1)!;

describe("renderPlanText", () => {
  it("renders a create-only plan", () => {
    const text = renderPlanText(createOnlyPlan(), { color: false });
    expect(text).toMatchSnapshot();
    expect(lastLine(text)).toBe("Plan: 3 to add, 0 to change, 0 to destroy.");
    expect(text).toContain("+ arn                  = (known after apply)");
  });

  it("renders a plan with no changes", () => {
    const text = renderPlanText(noChangePlan(), { color: false });
    expect(text).toMatchSnapshot();
    expect(text).toBe("No changes. Your infrastructure matches the configuration.\n");
    expect(renderPlanText(destroyNothingPlan(), { color: false })).toBe("No changes. No objects need to be destroyed.\n");
  });

  it("renders drift first, then a legend of the symbols used, changes, findings, and the summary last", () => {
    const text = renderPlanText(mixedPlan(), { color: false });
    expect(text).toMatchSnapshot();
    const at = (s: string): number => text.indexOf(s);
    expect(at("Objects changed outside crossvault")).toBe(0);
    expect(at("Objects changed outside crossvault")).toBeLessThan(at("Resource actions are indicated"));
    expect(at("Resource actions are indicated")).toBeLessThan(at("crossvault will perform the following actions"));
    expect(at('# backup_plan.daily["prod"]')).toBeLessThan(at("# cross_account_setting"));
    expect(at("# cross_account_setting")).toBeLessThan(at("# kms_key.old"));
    expect(at("Error: cannot replace vault.central: 42 recovery points")).toBeGreaterThan(at("# vault_policy.central"));
    expect(at("Error:")).toBeLessThan(at("Warning:"));
    expect(lastLine(text)).toBe("Plan: 1 to add, 2 to change, 2 to destroy, 1 to adopt. 1 change broadens access.");
    expect(text).toContain("This plan cannot be applied");
    expect(text).toContain("# (3 unchanged attributes hidden)");
    expect(text).toContain("# forces replacement");
    expect(text).not.toContain("+ create");
    expect(text).toContain("\n-/+ destroy and then create replacement\n");
  });

  it("uses no ANSI codes without colour, and colour only adds to the same text", () => {
    for (const plan of [createOnlyPlan(), noChangePlan(), mixedPlan(), reviewPlan()]) {
      const plain = renderPlanText(plan, { color: false });
      const colored = renderPlanText(plan, { color: true });
      expect(plain).not.toMatch(ANSI);
      expect(colored).toMatch(ANSI);
      expect(colored.replace(ANSI, "")).toBe(plain);
    }
  });

  it("formats values as literals, with pending parts known after apply", () => {
    expect(formatValue("a")).toBe('"a"');
    expect(formatValue(3)).toBe("3");
    expect(formatValue(null)).toBe("null");
    expect(formatValue(["x", { $pending: { address: "a", attribute: "b" } }])).toBe('["x","(known after apply)"]');
  });
});

describe("renderPlanText of policies and copy routes", () => {
  it("shows each policy change as a statement table with its verdict, and counts broadening changes", () => {
    const text = renderPlanText(reviewPlan(), { color: false });
    expect(text).toMatchSnapshot();
    expect(lastLine(text)).toBe("Plan: 5 to add, 3 to change, 4 to destroy. 3 changes broaden access.");
    const actions = text.indexOf("crossvault will perform the following actions:");
    const block = (address: string): string => {
      const at = text.indexOf(`# ${address} `, actions);
      return text.slice(at, text.indexOf("\n\n  # ", at + 1));
    };
    expect(block("vault_policy.central")).toContain("vault access policy statements: broadens access");
    expect(block("vault_policy.central")).toMatch(/\n {6}± +Sid +Effect +Action +Principal +Resource +Condition\n/);
    expect(block("vault_policy.central")).toMatch(/\n {6}\+ +Crossvault11xbackupXcoreOrgCopyInto +Allow +backup:CopyIntoBackupVault +\* +\* +StringEquals aws:PrincipalOrgID: o-example\n/);
    expect(block("vault_policy.central")).toMatch(/\n {6}- +Crossvault11xbackupXcoreCopyInto444444444444 +Allow/);
    expect(block("guardrail.deny_leave")).toContain("service control policy statements: narrows access");
    expect(block("key_share.central->333333333333")).toContain("key policy statements: broadens access");
    // A cell of several values takes several lines, aligned under its column.
    const use = text.split("\n").findIndex((l) => /Crossvault11xbackupXcoreUse333333333333 +Allow/.test(l));
    const column = text.split("\n")[use]!.indexOf("kms:Decrypt");
    expect(text.split("\n")[use + 1]!.indexOf("kms:DescribeKey")).toBe(column);
    expect(block("vault.central")).not.toContain("statements:");
  });

  it("lists the copy routes' verdicts after the findings, with the failing rule, its policy and the fix", () => {
    const text = renderPlanText(reviewPlan(), { color: false });
    expect(text.indexOf("Copy routes (1 of 4 routes will fail after apply")).toBeGreaterThan(text.indexOf("Warning: destination account"));
    expect(text).toContain("  + new     333333333333/eu-west-1/local -> 444444444444/eu-west-1/archive\n      now: FAILS   after apply: FAILS");
    expect(text).toContain("      fails: [S4] the access policy of vault archive in 444444444444 does not allow 333333333333 to copy in\n          decided by: vault archive (not managed by backup-core)\n          fix: Add a statement");
    expect(text).toContain("      fails: [S5] the source key is not shared with the destination account (now only)\n          decided by: key policy of alias/legacy, statement #0");
    expect(text).toContain("now: FAILS   after apply: removed by this plan");
    expect(renderPlanText(mixedPlan(), { color: false })).not.toContain("Copy routes");
  });
});

describe("renderPlanText over a plan made by diff", () => {
  it("renders a destroy plan with the key deletion warning", () => {
    const desired = [s.kmsKey("central"), s.vault("central"), s.vaultPolicy("central", [s.copyStatement(s.PROD, "central")]), s.keyShare("central", s.PROD)];
    const diff = diffResources(desired, s.liveFrom(desired), { stack: s.STACK, mode: "destroy", now: "2025-06-01T00:00:00Z" });
    const plan = assemblePlan({
      stack: s.STACK, configPath: "examples/basic", configHash: "h", variables: {}, targets: [], mode: "destroy", diff,
      fingerprints: {}, unreadable: [], toolVersion: "0.1.0", now: "2025-06-01T00:00:00Z",
    });
    const text = renderPlanText(plan, { color: false });
    expect(text).toMatchSnapshot();
    expect(text).toContain("crossvault will destroy the following objects of stack backup-core:");
    expect(lastLine(text)).toBe("Plan: 0 to add, 0 to change, 4 to destroy.");
  });
});
