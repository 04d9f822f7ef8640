import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./ownership.js";
import { compareStatements, normalizePolicyDocument, normalizeStatement, sameStatement } from "./policy-normal.js";

describe("normalizeStatement", () => {
  it("array-izes strings, sorts lists and turns account ids into root ARNs", () => {
    const s = normalizeStatement({
      Sid: "A",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::222222222222:role/x", "111111111111"] },
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:Decrypt"],
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true }, "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["b/", "a/"] } },
    });
    expect(s).toEqual({
      Sid: "A",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:role/x"] },
      Action: ["kms:Decrypt", "kms:Encrypt"],
      Resource: ["*"],
      Condition: { Bool: { "kms:GrantIsForAWSResource": ["true"] }, "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["a/", "b/"] } },
    });
  });

  it("gives a missing Sid as the empty string and keeps Not* fields", () => {
    const s = normalizeStatement({ Effect: "Deny", NotPrincipal: { AWS: "123456789012" }, NotAction: "backup:Get*", NotResource: ["b", "a"] });
    expect(s).toEqual({
      Sid: "",
      Effect: "Deny",
      Action: [],
      Resource: [],
      NotPrincipal: { AWS: ["arn:aws:iam::123456789012:root"] },
      NotAction: ["backup:Get*"],
      NotResource: ["a", "b"],
    });
  });

  it("treats {AWS:'*'} as '*' and keeps Service and Federated principals", () => {
    expect(normalizeStatement({ Effect: "Allow", Principal: { AWS: "*" }, Action: "a", Resource: "*" })?.Principal).toBe("*");
    expect(normalizeStatement({ Effect: "Allow", Principal: { Service: ["b.amazonaws.com", "a.amazonaws.com"], Federated: "cognito" }, Action: "a" })?.Principal).toEqual({
      Service: ["a.amazonaws.com", "b.amazonaws.com"],
      Federated: ["cognito"],
    });
  });

  it("rejects what is not a statement", () => {
    for (const bad of [null, 3, "x", [], { Effect: "allow" }, { Effect: "Allow", Action: { a: 1 } }, { Effect: "Allow", Principal: { Nobody: "x" } }, { Effect: "Allow", Condition: { Bool: "x" } }, { Effect: "Allow", Sid: 4 }]) {
      expect(normalizeStatement(bad)).toBeUndefined();
    }
  });

  it("is idempotent and independent of element order (property)", () => {
    const text = fc.constantFrom("a", "b", "kms:Decrypt", "*", "123456789012", "arn:aws:iam::123456789012:root");
    const list = fc.array(text, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(list, list, list, fc.boolean(), (actions, principals, values, asString) => {
        const raw = {
          Sid: "X",
          Effect: "Allow",
          Principal: { AWS: asString ? principals[0] : principals },
          Action: asString ? actions[0] : actions,
          Resource: "*",
          Condition: { StringEquals: { k: values } },
        };
        const once = normalizeStatement(raw);
        expect(once).toBeDefined();
        expect(normalizeStatement(once)).toEqual(once);
        const shuffled = { ...raw, Action: Array.isArray(raw.Action) ? [...raw.Action].reverse() : raw.Action, Condition: { StringEquals: { k: [...values].reverse() } } };
        expect(sameStatement(normalizeStatement(shuffled)!, once!)).toBe(true);
      }),
    );
  });
});

describe("normalizePolicyDocument", () => {
  it("reads a single statement object or a list, whitespace-insensitively, and sorts by Sid", () => {
    const a = normalizePolicyDocument(`{"Version":"2012-10-17","Statement":{"Sid":"B","Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"backup:CopyIntoBackupVault","Resource":"*"}}`);
    const b = normalizePolicyDocument(`{
      "Statement": [ { "Resource": ["*"], "Action": ["backup:CopyIntoBackupVault"], "Effect": "Allow", "Sid": "B",
                       "Principal": { "AWS": ["arn:aws:iam::111111111111:root"] } } ] }`);
    expect("statements" in a && "statements" in b).toBe(true);
    if ("statements" in a && "statements" in b) expect(canonicalJson(a.statements)).toBe(canonicalJson(b.statements));
    const two = normalizePolicyDocument(JSON.stringify({ Statement: [{ Sid: "Z", Effect: "Allow" }, { Effect: "Deny" }, { Sid: "M", Effect: "Allow" }] }));
    expect("statements" in two && two.statements.map((s) => s.Sid)).toEqual(["", "M", "Z"]);
    expect("raw" in two && (two.raw as { Statement: unknown[] }).Statement.length).toBe(3);
  });

  it("names what is wrong", () => {
    expect(normalizePolicyDocument("{")).toHaveProperty("error", expect.stringContaining("not valid JSON"));
    expect(normalizePolicyDocument("[]")).toHaveProperty("error", "policy is not a JSON object");
    expect(normalizePolicyDocument("{}")).toHaveProperty("error", "policy has no Statement");
    expect(normalizePolicyDocument(`{"Statement":[{"Effect":"Allow"},{"Sid":"Bad","Effect":"Maybe"}]}`)).toHaveProperty("error", expect.stringContaining('statement 1 (Sid "Bad")'));
  });

  it("orders statements totally (equal Sids by content)", () => {
    const x = normalizeStatement({ Effect: "Allow", Action: "a" })!;
    const y = normalizeStatement({ Effect: "Allow", Action: "b" })!;
    expect(compareStatements(x, y)).toBeLessThan(0);
    expect(compareStatements(y, x)).toBeGreaterThan(0);
    expect(compareStatements(x, { ...x })).toBe(0);
  });
});
