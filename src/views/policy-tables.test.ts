import { describe, expect, it } from "vitest";
import type { ResourceChange } from "../core/plan-types.js";
import { PENDING_ORG_ID } from "../model/policy-statements.js";
import { countBroadening, policyTables } from "./policy-tables.js";
import { createOnlyPlan, mixedPlan, reviewPlan } from "./plan-examples.js";

const ROOT = (id: string): string => `arn:aws:iam::${id}:root`;
const copy = (sid: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Sid: sid, Effect: "Allow", Principal: { AWS: [ROOT("333333333333")] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], ...extra,
});

function change(type: ResourceChange["type"], before: unknown[] | null, after: unknown[] | null, action: ResourceChange["action"] = "update"): ResourceChange {
  return {
    address: `${type}.x`, type, accountId: "222222222222", region: "eu-west-1", action,
    before: before === null ? null : ({ vault_name: "x", statements: before } as ResourceChange["before"]),
    after: after === null ? null : ({ vault_name: "x", statements: after } as ResourceChange["after"]),
    changes: [], dependsOn: [],
  };
}

function guardrail(before: unknown, after: unknown): ResourceChange {
  return {
    address: "guardrail.copy_targets", type: "guardrail", accountId: "111111111111", region: "global", action: "update",
    before: { name: "copy-targets", targets: ["ou-1"], policy: before } as ResourceChange["before"],
    after: { name: "copy-targets", targets: ["ou-1"], policy: after } as ResourceChange["after"],
    changes: [], dependsOn: [],
  };
}

const verdict = (c: ResourceChange): string | undefined => policyTables(c)[0]?.verdict;

describe("policyTables", () => {
  it("lists every statement of a created vault policy as added, and calls an added allow broadening", () => {
    const tables = policyTables(change("vault_policy", null, [copy("A"), copy("B", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-1"] } } })], "create"));
    expect(tables).toEqual([{
      address: "vault_policy.x", document: "vault access policy", verdict: "broadens",
      rows: [
        { mark: "+", sid: "A", effect: "Allow", action: "backup:CopyIntoBackupVault", principal: `AWS: ${ROOT("333333333333")}`, resource: "*", condition: "" },
        { mark: "+", sid: "B", effect: "Allow", action: "backup:CopyIntoBackupVault", principal: "*", resource: "*", condition: "StringEquals aws:PrincipalOrgID: o-1" },
      ],
    }]);
  });

  it("marks the values of a modified statement, and calls an added action broadening", () => {
    const [table] = policyTables(mixedPlan().changes.find((c) => c.address === "vault_policy.central")!);
    expect(table!.verdict).toBe("broadens");
    expect(table!.rows).toHaveLength(1);
    expect(table!.rows[0]).toMatchObject({ mark: "~", effect: "Allow", action: "  backup:CopyIntoBackupVault\n+ backup:DescribeBackupVault", resource: "*" });
  });

  it.each([
    ["an allow loses an action", [copy("A", { Action: ["backup:CopyIntoBackupVault", "backup:DescribeBackupVault"] })], [copy("A")], "narrows"],
    ["an allow gains an account", [copy("A")], [copy("A", { Principal: { AWS: [ROOT("333333333333"), ROOT("444444444444")] } })], "broadens"],
    ["an allow's principal becomes everyone", [copy("A")], [copy("A", { Principal: "*" })], "broadens"],
    ["an allow gains a condition", [copy("A")], [copy("A", { Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-1"] } } })], "narrows"],
    ["an allow loses its condition", [copy("A", { Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-1"] } } })], [copy("A")], "broadens"],
    ["an allowed org path list grows", [copy("A", { Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-1/r-1/ou-a/*"] } } })], [copy("A", { Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-1/r-1/ou-a/*", "o-1/r-1/ou-b/*"] } } })], "broadens"],
    ["an action is swapped for another (cannot be ordered)", [copy("A")], [copy("A", { Action: ["backup:DescribeBackupVault"] })], "broadens"],
    ["an allow's wildcard action covers the old one", [copy("A")], [copy("A", { Action: ["backup:Copy*"] })], "broadens"],
    ["an allow's wildcard narrows to one action", [copy("A", { Action: ["backup:*"] })], [copy("A", { Action: ["backup:Copy*"] })], "narrows"],
    ["an allow becomes a deny", [copy("A")], [copy("A", { Effect: "Deny" })], "narrows"],
    ["a deny becomes an allow", [copy("A", { Effect: "Deny" })], [copy("A")], "broadens"],
    ["a deny is added", [], [copy("D", { Effect: "Deny" })], "narrows"],
    ["a deny is removed", [copy("D", { Effect: "Deny" })], [], "broadens"],
    ["an allow is removed", [copy("A")], [], "narrows"],
    ["a deny gains an action", [copy("D", { Effect: "Deny" })], [copy("D", { Effect: "Deny", Action: ["backup:*"] })], "narrows"],
    ["a deny gains a condition", [copy("D", { Effect: "Deny" })], [copy("D", { Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": ["false"] } } })], "broadens"],
    ["only the Sid changes", [copy("Old")], [copy("New")], "neutral"],
    ["a Sid change alongside an added allow", [copy("Old")], [copy("New"), copy("Z", { Action: ["backup:DescribeBackupVault"] })], "broadens"],
  ])("%s: %s", (_what, before, after, expected) => {
    expect(verdict(change("vault_policy", before, after))).toBe(expected);
  });

  it("shows a Sid change as one modified row", () => {
    const [table] = policyTables(change("vault_policy", [copy("Old")], [copy("New")]));
    expect(table!.rows).toEqual([{ mark: "~", sid: "- Old\n+ New", effect: "Allow", action: "backup:CopyIntoBackupVault", principal: `AWS: ${ROOT("333333333333")}`, resource: "*", condition: "" }]);
  });

  it("treats spelling as no change: a string for a list, an account id for its root ARN, element order", () => {
    const before = [{ Sid: "A", Effect: "Allow", Principal: { AWS: "333333333333" }, Action: "backup:CopyIntoBackupVault", Resource: "*" }];
    expect(policyTables(change("vault_policy", before, [copy("A")]))).toEqual([]);
  });

  it("reads a guardrail's policy as an object or as JSON text, and orders negated condition values", () => {
    const scp = (paths: string[]) => ({
      Version: "2012-10-17",
      Statement: [{ Sid: "OnlyOrgPaths", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*", Condition: { "ForAllValues:StringNotLike": { "backup:CopyTargetOrgPaths": paths } } }],
    });
    // More allowed paths in a Deny ... StringNotLike: the deny matches fewer copies, so access broadens [G3].
    const wider = guardrail(scp(["o-1/r-1/ou-a/*"]), JSON.stringify(scp(["o-1/r-1/ou-a/*", "o-1/r-1/ou-b/*"])));
    const [table] = policyTables(wider);
    expect(table).toMatchObject({ document: "service control policy", verdict: "broadens" });
    expect(table!.rows[0]).toMatchObject({ mark: "~", principal: "", condition: "- ForAllValues:StringNotLike backup:CopyTargetOrgPaths: o-1/r-1/ou-a/*\n+ ForAllValues:StringNotLike backup:CopyTargetOrgPaths: o-1/r-1/ou-a/*, o-1/r-1/ou-b/*" });
    expect(verdict(guardrail(scp(["o-1/r-1/ou-a/*", "o-1/r-1/ou-b/*"]), scp(["o-1/r-1/ou-a/*"])))).toBe("narrows");
    expect(policyTables(guardrail(scp(["a"]), JSON.stringify(scp(["a"]))))).toEqual([]);
  });

  it("calls a key share that is destroyed narrowing, and names the document a key policy", () => {
    const share = change("key_share", [copy("Use", { Action: ["kms:Decrypt"] })], null, "delete");
    expect(policyTables(share)).toMatchObject([{ document: "key policy", verdict: "narrows", rows: [{ mark: "-", sid: "Use", action: "kms:Decrypt" }] }]);
  });

  it("shows a value known only after apply as such", () => {
    const pending = copy("Org", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": PENDING_ORG_ID } } });
    const [table] = policyTables(change("vault_policy", null, [pending], "create"));
    expect(table!.rows[0]!.condition).toBe("StringEquals aws:PrincipalOrgID: (known after apply)");
  });

  it("has no tables for changes without policy content, or that do not act", () => {
    for (const c of createOnlyPlan().changes) expect(policyTables(c)).toEqual([]);
    expect(policyTables(change("vault_policy", [copy("A")], [copy("A", { Principal: "*" })], "no-op"))).toEqual([]);
    expect(policyTables(change("vault_policy", [copy("A")], [copy("A")]))).toEqual([]);
  });
});

describe("countBroadening", () => {
  it("counts the changes whose verdict broadens", () => {
    expect(countBroadening(createOnlyPlan())).toBe(0);
    expect(countBroadening(mixedPlan())).toBe(1);
    const plan = reviewPlan();
    const broadening = plan.changes.filter((c) => policyTables(c).some((t) => t.verdict === "broadens")).map((c) => c.address);
    expect(broadening.length).toBeGreaterThan(1);
    expect(countBroadening(plan)).toBe(broadening.length);
  });
});
