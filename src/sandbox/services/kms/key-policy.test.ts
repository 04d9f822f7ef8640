import { describe, expect, it } from "vitest";
import { defaultKeyPolicy, keyPolicyAllowsAccount, keyPolicyDecision, parseKeyPolicy } from "./key-policy.js";

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

  it("evaluates every IAM condition operator and policy variables, not only the string ones", () => {
    const fresh = policy({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Condition: { NumericLessThan: { "kms:Whatever": "3" } } });
    expect(keyPolicyAllowsAccount(fresh, "2", "kms:Decrypt", { "kms:Whatever": "1" })).toBe(true);
    expect(keyPolicyAllowsAccount(fresh, "2", "kms:Decrypt", { "kms:Whatever": "7" })).toBe(false);
    const window = policy({ Effect: "Allow", Principal: "*", Action: "kms:*", Condition: { DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } } });
    expect(keyPolicyAllowsAccount(window, "2", "kms:Decrypt", { "aws:CurrentTime": "2029-06-01T00:00:00Z" })).toBe(true);
    expect(keyPolicyAllowsAccount(window, "2", "kms:Decrypt", { "aws:CurrentTime": "2031-06-01T00:00:00Z" })).toBe(false);
    // The caller's own account, named through a variable: only the account the request comes from matches.
    const own = policy({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:role/*" } } });
    const caller = (account: string, role: string) => ({ action: "kms:Decrypt", principal: who(account, role), context: { "aws:PrincipalAccount": account, "aws:PrincipalArn": role } });
    expect(keyPolicyDecision(own, caller("333333333333", "arn:aws:iam::333333333333:role/Copy"))).toBe("Allow");
    expect(keyPolicyDecision(own, caller("333333333333", "arn:aws:iam::444444444444:role/Copy"))).toBe("NoMatch");
  });

  it("matches actions without regard to case and resources by ARN wildcards", () => {
    const p = policy(
      { Effect: "Allow", Principal: "*", Action: "kms:Generate*", Resource: "arn:aws:kms:*:111111111111:key/?" },
    );
    const req = (action: string, resource: string) => ({ action, principal: who("2"), resource });
    expect(keyPolicyDecision(p, req("kms:generatedatakey", "arn:aws:kms:us-east-1:111111111111:key/a"))).toBe("Allow");
    expect(keyPolicyDecision(p, req("kms:GenerateDataKey", "arn:aws:kms:us-east-1:111111111111:key/ab"))).toBe("NoMatch");
    expect(keyPolicyDecision(p, req("kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/a"))).toBe("NoMatch");
  });

  it("recognizes a role with a path by its role ARN, and a session by its own ARN", () => {
    const p = policy(
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:role/service-role/Copy" }, Action: "kms:Decrypt", Resource: "*" },
      { Effect: "Allow", Principal: { AWS: "arn:aws:sts::333333333333:assumed-role/Plain/s" }, Action: "kms:Encrypt", Resource: "*" },
    );
    const withPath = { accountId: "333333333333", arn: "arn:aws:sts::333333333333:assumed-role/Copy/s", roleArn: "arn:aws:iam::333333333333:role/service-role/Copy" };
    const plain = { accountId: "333333333333", arn: "arn:aws:sts::333333333333:assumed-role/Plain/s", roleArn: "arn:aws:iam::333333333333:role/Plain" };
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: withPath })).toBe("Allow");
    expect(keyPolicyDecision(p, { action: "kms:Encrypt", principal: plain })).toBe("Allow");
    expect(keyPolicyDecision(p, { action: "kms:Decrypt", principal: plain })).toBe("NoMatch");
  });

  it("decides nothing on a document it cannot read", () => {
    expect(keyPolicyDecision("{", { action: "kms:Decrypt", principal: who("2") })).toBe("NoMatch");
    const unknownOperator = policy({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Condition: { StringSortOf: { "kms:Whatever": "1" } } });
    expect(keyPolicyDecision(unknownOperator, { action: "kms:Decrypt", principal: who("2") })).toBe("NoMatch");
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

  it("rejects documents the evaluator cannot read, naming the place", () => {
    const unknownOperator = policy({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", Condition: { StringSortOf: { "kms:ViaService": "x" } } });
    expect(() => parseKeyPolicy(unknownOperator)).toThrow(/Statement\[0\]\.Condition: unsupported condition operator "StringSortOf"/);
    const unknownElement = policy({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", Comment: "x" });
    expect(() => parseKeyPolicy(unknownElement)).toThrow(/unknown element "Comment"/);
    // KMS's own leniency stays: a statement without Resource is about the key itself.
    expect(parseKeyPolicy(policy({ Effect: "Allow", Principal: "*", Action: "kms:*" }))).toHaveLength(1);
  });
});
