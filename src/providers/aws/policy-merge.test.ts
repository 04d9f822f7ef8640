import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PolicyStatement } from "../../model/attributes.js";
import { sidPrefix } from "../../model/ownership.js";
import { normalizeStatement } from "../../model/policy-normal.js";
import { keyShareStatements } from "../../model/policy-statements.js";
import { PolicyDocumentError, keyShareOwner, mergeStatements, ownedStatements, parsePolicy, shareDestination, vaultPolicyOwner } from "./policy-merge.js";

const STACK = "core";
const P = sidPrefix(STACK);

const foreignKeyBase = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::222222222222:root" },
  Action: "kms:*",
  Resource: "*",
};
const foreignDeny = { Effect: "Deny", Principal: "*", Action: ["backup:DeleteRecoveryPoint"], Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": "111111111111" } } };

const copyInto = (sid: string, account: string): PolicyStatement => ({
  Sid: sid,
  Effect: "Allow",
  Principal: { AWS: [`arn:aws:iam::${account}:root`] },
  Action: ["backup:CopyIntoBackupVault"],
  Resource: ["*"],
});

describe("mergeStatements", () => {
  it("keeps foreign statements exactly as read and replaces only ours", () => {
    const text = JSON.stringify({ Version: "2012-10-17", Id: "key-consolepolicy-3", Statement: [foreignKeyBase, { ...copyInto(`${P}Old`, "444444444444") }, foreignDeny] });
    const merged = mergeStatements(parsePolicy(text, "policy"), vaultPolicyOwner(STACK), [copyInto(`${P}FromProd`, "222222222222")]);
    const doc = JSON.parse(merged.text!);
    expect(doc.Id).toBe("key-consolepolicy-3");
    expect(doc.Version).toBe("2012-10-17");
    expect(doc.Statement).toEqual([foreignKeyBase, foreignDeny, copyInto(`${P}FromProd`, "222222222222")]);
    expect(merged.changed).toBe(true);
  });

  it("reports no change when our statements already mean the same, however spelled", () => {
    const spelledDifferently = { Sid: `${P}FromProd`, Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "backup:CopyIntoBackupVault", Resource: "*" };
    const text = JSON.stringify({ Statement: [foreignDeny, spelledDifferently] });
    const merged = mergeStatements(parsePolicy(text, "policy"), vaultPolicyOwner(STACK), [copyInto(`${P}FromProd`, "222222222222")]);
    expect(merged.changed).toBe(false);
  });

  it("leaves no document when nothing remains, and keeps one when a foreign statement does", () => {
    const onlyOurs = JSON.stringify({ Version: "2012-10-17", Statement: [copyInto(`${P}A`, "222222222222")] });
    expect(mergeStatements(parsePolicy(onlyOurs, "p"), vaultPolicyOwner(STACK), [])).toEqual({ text: undefined, changed: true });
    const mixed = JSON.stringify({ Version: "2012-10-17", Statement: [copyInto(`${P}A`, "222222222222"), foreignDeny] });
    expect(JSON.parse(mergeStatements(parsePolicy(mixed, "p"), vaultPolicyOwner(STACK), []).text!).Statement).toEqual([foreignDeny]);
  });

  it("starts a document when there is none", () => {
    const merged = mergeStatements(parsePolicy(undefined, "p"), vaultPolicyOwner(STACK), [copyInto(`${P}A`, "222222222222")]);
    expect(JSON.parse(merged.text!)).toEqual({ Version: "2012-10-17", Statement: [copyInto(`${P}A`, "222222222222")] });
  });

  it("never touches another stack's statements, even with a longer prefix", () => {
    const other = copyInto(`${sidPrefix("core-x")}A`, "333333333333");
    const merged = mergeStatements(parsePolicy(JSON.stringify({ Statement: [other] }), "p"), vaultPolicyOwner(STACK), []);
    expect(JSON.parse(merged.text!).Statement).toEqual([other]);
  });

  it("changes only one destination's share statements in a key policy", () => {
    const to333 = keyShareStatements(P, "333333333333");
    const to444 = keyShareStatements(P, "444444444444");
    const text = JSON.stringify({ Version: "2012-10-17", Statement: [foreignKeyBase, ...to333, ...to444] });
    const merged = mergeStatements(parsePolicy(text, "key policy"), keyShareOwner(STACK, "333333333333"), []);
    const doc = JSON.parse(merged.text!);
    expect(doc.Statement).toEqual([foreignKeyBase, ...to444]);
  });

  it("preserves random foreign statements through any rewrite of ours (property)", () => {
    const sid = fc.oneof(fc.constant(undefined), fc.stringMatching(/^[A-Za-z0-9]{0,12}$/).filter((s) => !s.startsWith("Crossvault")));
    const foreign = fc.record({
      Sid: sid,
      Effect: fc.constantFrom("Allow", "Deny"),
      Principal: fc.oneof(fc.constant("*"), fc.record({ AWS: fc.stringMatching(/^\d{12}$/) })),
      Action: fc.oneof(fc.constant("kms:*"), fc.array(fc.constantFrom("kms:Decrypt", "backup:CopyIntoBackupVault"), { minLength: 1, maxLength: 2 })),
      Resource: fc.constant("*"),
    }, { requiredKeys: ["Effect", "Principal", "Action", "Resource"] });
    const ours = fc.array(fc.stringMatching(/^\d{12}$/), { maxLength: 3 }).map((accounts) => accounts.map((a, i) => copyInto(`${P}S${i}`, a)));
    fc.assert(fc.property(fc.array(foreign, { maxLength: 5 }), ours, ours, (foreignStatements, before, after) => {
      const text = JSON.stringify({ Version: "2012-10-17", Statement: [...before, ...foreignStatements] });
      const merged = mergeStatements(parsePolicy(text, "p"), vaultPolicyOwner(STACK), after);
      const statements: unknown[] = merged.text ? JSON.parse(merged.text).Statement : [];
      expect(statements.slice(0, foreignStatements.length)).toEqual(JSON.parse(JSON.stringify(foreignStatements)));
      expect(ownedStatements(parsePolicy(merged.text, "p"), vaultPolicyOwner(STACK), "p")).toEqual(after.map((s) => normalizeStatement(s)).sort((a, b) => (a!.Sid < b!.Sid ? -1 : 1)));
    }));
  });
});

describe("parsePolicy", () => {
  it("accepts a single statement object and refuses what is not a policy", () => {
    expect(parsePolicy(JSON.stringify({ Statement: foreignDeny }), "p").statements).toEqual([foreignDeny]);
    expect(() => parsePolicy("{", "vault policy of central")).toThrow(PolicyDocumentError);
    expect(() => parsePolicy("[]", "p")).toThrow(/not a JSON object/);
  });
});

describe("shareDestination", () => {
  it("reads the destination from the Sid, else from a single-account principal", () => {
    const [grants, use] = keyShareStatements(P, "333333333333");
    expect(shareDestination(STACK, grants as never)).toBe("333333333333");
    expect(shareDestination(STACK, use as never)).toBe("333333333333");
    expect(shareDestination(STACK, { Sid: `${P}Legacy`, Effect: "Allow", Principal: { AWS: "arn:aws:iam::444444444444:root" } })).toBe("444444444444");
    expect(shareDestination(STACK, { Sid: `${P}Legacy`, Effect: "Allow", Principal: { AWS: ["444444444444", "arn:aws:iam::555555555555:root"] } })).toBeUndefined();
    expect(shareDestination(STACK, { Sid: "Other333333333333", Effect: "Allow" })).toBeUndefined();
  });
});
