import { describe, expect, it } from "vitest";
import { diffResources } from "../core/diff.js";
import * as s from "../core/diff-test-support.js";
import { assemblePlan } from "../core/plan.js";
import { formatValue, renderPlanText } from "./plain.js";
import { createOnlyPlan, destroyNothingPlan, mixedPlan, noChangePlan } from "./plan-examples.js";

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
    expect(lastLine(text)).toBe("Plan: 1 to add, 2 to change, 2 to destroy, 1 to adopt.");
    expect(text).toContain("This plan cannot be applied");
    expect(text).toContain("# (3 unchanged attributes hidden)");
    expect(text).toContain("# forces replacement");
    expect(text).not.toContain("+ create");
    expect(text).toContain("\n-/+ destroy and then create replacement\n");
  });

  it("uses no ANSI codes without colour, and colour only adds to the same text", () => {
    for (const plan of [createOnlyPlan(), noChangePlan(), mixedPlan()]) {
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
