import { describe, expect, it } from "vitest";
import { defaultKeyPolicy, keyPolicyAllowsAccount, keyPolicyDecision, parseKeyPolicy, wildcardMatch } from "./key-policy.js";

const policy = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const who = (accountId: string, roleArn?: string) => ({ accountId, arn: roleArn ? `arn:aws:sts::${accountId}:assumed-role/R/s` : `arn:aws:iam::${accountId}:root`, roleArn });

describe("key policy evaluation", () => {
  it("the default policy gives the owning account everything and nobody else anything", () => {
    const p = defaultKeyPolicy("111111111111");
    expect(keyPolicyDecision(p, { action: "kms:PutKeyPolicy", principal: who("111111111111") })).toBe("Allow");
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: who("222222222222") })).toBe("NoMatch");
  });

  it("matches principals by account id, root ARN, role ARN and *", () => {
    const p = policy(
      { Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "kms:Describe*", Resource: "*" },
      { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::333333333333:role/Copy"] }, Action: ["kms:Decrypt"], Resource: "*" },
    );
    expect(keyPolicyDecision(p, { action: "kms:DescribeKey", principal: who("222222222222") })).toBe("Allow");
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: who("222222222222") })).toBe("NoMatch");
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: who("333333333333", "arn:aws:iam::333333333333:role/Copy") })).toBe("Allow");
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: who("333333333333") })).toBe("NoMatch");
  });

  it("lets an explicit deny win", () => {
    const p = policy(
      { Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" },
      { Effect: "Deny", Principal: { AWS: "*" }, NotAction: "kms:Describe*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } },
    );
    const inOrg = { "aws:PrincipalOrgID": "o-a1b2c3d4e5" };
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: who("2"), context: inOrg })).toBe("Allow");
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: who("9") })).toBe("Deny");
    expect(keyPolicyDecision(p, { action: "kms:DescribeKey", principal: who("9") })).toBe("Allow");
  });

  it("evaluates the condition operators key policies use", () => {
    const p = policy({
      Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:CreateGrant", Resource: "*",
      Condition: {
        Bool: { "kms:GrantIsForAWSResource": "true" },
        StringLike: { "kms:ViaService": "backup.*.amazonaws.com" },
        "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["aws:backup:backup-vault"] },
      },
    });
    const base = { "kms:GrantIsForAWSResource": "true", "kms:ViaService": "backup.eu-west-1.amazonaws.com" };
    expect(keyPolicyAllowsAccount(p, "2", "kms:CreateGrant", base)).toBe(true);
    expect(keyPolicyAllowsAccount(p, "2", "kms:CreateGrant", { ...base, "kms:EncryptionContextKeys": ["aws:backup:backup-vault", "x"] })).toBe(false);
    expect(keyPolicyAllowsAccount(p, "2", "kms:CreateGrant", { ...base, "kms:GrantIsForAWSResource": "false" })).toBe(false);
    expect(keyPolicyAllowsAccount(p, "2", "kms:CreateGrant", { "kms:GrantIsForAWSResource": "true" })).toBe(false);
    const nullCheck = policy({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Condition: { Null: { "aws:PrincipalOrgID": "false" } } });
    expect(keyPolicyAllowsAccount(nullCheck, "2", "kms:Decrypt", { "aws:PrincipalOrgID": "o-x" })).toBe(true);
    expect(keyPolicyAllowsAccount(nullCheck, "2", "kms:Decrypt")).toBe(false);
  });

  it("does not apply operators it does not model", () => {
    const p = policy({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Condition: { NumericLessThan: { "kms:Whatever": "3" } } });
    expect(keyPolicyAllowsAccount(p, "2", "kms:Decrypt", { "kms:Whatever": "1" })).toBe(false);
  });
});

describe("key policy validation", () => {
  it("rejects documents KMS rejects", () => {
    const code = (text: string) => {
      try {
        parseKeyPolicy(text);
        return "ok";
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code("{")).toBe("MalformedPolicyDocumentException");
    expect(code(policy({ Effect: "Allow", Action: "kms:*", Resource: "*" }))).toBe("MalformedPolicyDocumentException");
    expect(code(policy({ Effect: "Allow", Principal: { AWS: "not-an-arn" }, Action: "kms:*" }))).toBe("MalformedPolicyDocumentException");
    expect(code(policy({ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "kms:*" }))).toBe("ok");
    expect(code(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "x".repeat(40000) }] }))).toBe("LimitExceededException");
  });

  it("matches IAM wildcards", () => {
    expect(wildcardMatch("kms:Generate*", "kms:generatedatakey", true)).toBe(true);
    expect(wildcardMatch("arn:aws:kms:*:1:key/?", "arn:aws:kms:us-east-1:1:key/a")).toBe(true);
    expect(wildcardMatch("a.b", "axb")).toBe(false);
  });
});
