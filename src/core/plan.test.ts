import { describe, expect, it } from "vitest";
import { diffResources, type DiffResult } from "./diff.js";
import { CENTRAL, PROD, STACK, backupPlan, live, liveFrom, vault } from "./diff-test-support.js";
import { assemblePlan, dependencyOrder, planExitCode, runAfter, type PlanInput } from "./plan.js";
import type { ResourceChange } from "./plan-types.js";
import { GraphCycleError } from "./walk.js";

function input(diff: DiffResult, patch: Partial<PlanInput> = {}): PlanInput {
  return {
    stack: STACK, configPath: "examples/basic", configHash: "h", variables: {}, targets: [], mode: "apply", diff,
    fingerprints: {}, unreadable: [], toolVersion: "0.1.0", now: "2025-06-01T12:00:00Z", ...patch,
  };
}

function change(address: string, action: ResourceChange["action"], dependsOn: string[] = [], before: ResourceChange["before"] = null): ResourceChange {
  return { address, type: "vault", accountId: CENTRAL, region: "eu-west-1", action, before, after: null, changes: [], dependsOn };
}

describe("assemblePlan", () => {
  it("sorts, summarises (a replace counts as add and destroy) and stamps the plan", () => {
    const diff: DiffResult = {
      changes: [change("vault.b", "replace"), change("vault.a", "create"), change("vault.c", "delete"), change("vault.d", "adopt"), change("vault.e", "no-op")],
      drift: [],
      findings: [
        { severity: "warning", code: "w", message: "w" },
        { severity: "info", code: "i", message: "i" },
        { severity: "error", code: "e", address: "vault.b", message: "e" },
      ],
    };
    const plan = assemblePlan(input(diff, { fingerprints: { "vault:b": "2", "vault:a": "1" } }));
    expect(plan.changes.map((c) => c.address)).toEqual(["vault.a", "vault.b", "vault.c", "vault.d", "vault.e"]);
    expect(plan.summary).toEqual({ add: 2, change: 0, destroy: 2, adopt: 1 });
    expect(plan.findings.map((f) => f.severity)).toEqual(["error", "warning", "info"]);
    expect(plan.applyable).toBe(false);
    expect(plan.created_at).toBe("2025-06-01T12:00:00.000Z");
    expect(Object.keys(plan.fingerprints)).toEqual(["vault:a", "vault:b"]);
    expect(plan).toMatchObject({ format_version: "1.0", stack: STACK, mode: "apply", config: { path: "examples/basic", hash: "h" } });
  });

  it("is applyable without errors, and never with an unread account, whose guessed changes it leaves out", () => {
    const desired = [vault("central", { key: "arn:k" }), vault("prod", { key: "arn:k", accountId: PROD })];
    const diff = diffResources(desired, [], { stack: STACK, mode: "apply" });
    expect(assemblePlan(input(diff)).applyable).toBe(true);
    const plan = assemblePlan(input(diff, { unreadable: [{ accountId: PROD, message: "cannot assume role CrossvaultRole" }] }));
    expect(plan.applyable).toBe(false);
    expect(plan.changes.map((c) => c.address)).toEqual(["vault.central"]);
    expect(plan.findings).toEqual([expect.objectContaining({ severity: "error", code: "read-failed", message: `cannot read account ${PROD}: cannot assume role CrossvaultRole` })]);
    expect(plan.findings[0]!.hint).toContain("1 change is left out");
  });
});

describe("dependencyOrder", () => {
  it("applies dependencies first and deletes dependents first", () => {
    const apply = [change("vault_policy.a", "create", ["vault.a"]), change("vault.a", "create", ["kms_key.a"]), change("kms_key.a", "create")];
    expect(dependencyOrder(apply).map((c) => c.address)).toEqual(["kms_key.a", "vault.a", "vault_policy.a"]);
    const destroy = [change("vault.a", "delete", ["kms_key.a"]), change("kms_key.a", "delete"), change("vault_policy.a", "delete", ["vault.a"])];
    expect(dependencyOrder(destroy).map((c) => c.address)).toEqual(["vault_policy.a", "vault.a", "kms_key.a"]);
  });

  it("lets an object stop referring to one being deleted before that one goes", () => {
    const oldVault = vault("old", { key: "arn:k" });
    const newVault = vault("new", { key: "arn:k" });
    const planBefore = backupPlan("daily", "old", []);
    const planAfter = { ...backupPlan("daily", "new", []), dependsOn: ["vault.new"] };
    const diff = diffResources([newVault, planAfter], [...liveFrom([oldVault]), live(planBefore)], { stack: STACK, mode: "apply" });
    expect(Object.fromEntries(diff.changes.map((c) => [c.address, c.action]))).toEqual({ "backup_plan.daily": "update", "vault.new": "create", "vault.old": "delete" });
    expect(runAfter(diff.changes).get("vault.old")).toEqual(["backup_plan.daily"]);
    expect(dependencyOrder(diff.changes).map((c) => c.address)).toEqual(["vault.new", "backup_plan.daily", "vault.old"]);
  });

  it("refuses a cycle", () => {
    expect(() => dependencyOrder([change("a", "create", ["b"]), change("b", "create", ["a"])])).toThrow(GraphCycleError);
  });

  it("ignores dependencies on objects without a change", () => {
    expect(dependencyOrder([change("vault.a", "create", ["kms_key.existing"])]).map((c) => c.address)).toEqual(["vault.a"]);
  });
});

describe("planExitCode", () => {
  const noChanges = assemblePlan(input({ changes: [change("vault.a", "no-op")], drift: [], findings: [] }));
  const changes = assemblePlan(input({ changes: [change("vault.a", "create")], drift: [], findings: [] }));
  const broken = assemblePlan(input({ changes: [change("vault.a", "create")], drift: [], findings: [{ severity: "error", code: "x", message: "x" }] }));

  it("is 0 / 2 / 1 with --detailed-exitcode, and 0 / 0 / 1 without", () => {
    expect([noChanges, changes, broken].map((p) => planExitCode(p, true))).toEqual([0, 2, 1]);
    expect([noChanges, changes, broken].map((p) => planExitCode(p, false))).toEqual([0, 0, 1]);
  });
});
