import { describe, expect, it } from "vitest";
import { evaluatePolicies, type ContextValue } from "./index.js";

/** Does `Condition: { [op]: { [key]: values } }` hold for this context? Evaluated through the public API. */
function holds(
  op: string,
  key: string,
  values: string | string[] | boolean | number,
  context: Record<string, ContextValue>,
): boolean {
  const decision = evaluatePolicies(
    [
      {
        label: "p",
        document: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { [op]: { [key]: values } } }],
        },
      },
    ],
    {
      principal: { accountId: "111111111111", arn: "arn:aws:iam::111111111111:role/r" },
      action: "backup:CopyIntoBackupVault",
      resource: "arn:aws:backup:eu-west-1:222222222222:backup-vault:v",
      context,
    },
    "identity",
  );
  return decision.decision === "allow";
}

describe("string operators", () => {
  it("StringEquals is exact and case-sensitive; several values are OR'd", () => {
    expect(holds("StringEquals", "k", "abc", { k: "abc" })).toBe(true);
    expect(holds("StringEquals", "k", "abc", { k: "ABC" })).toBe(false);
    expect(holds("StringEquals", "k", ["x", "abc"], { k: "abc" })).toBe(true);
    expect(holds("StringEquals", "k", "a*", { k: "abc" })).toBe(false);
    expect(holds("StringEquals", "k", "a*", { k: "a*" })).toBe(true);
  });
  it("StringNotEquals holds when no value equals", () => {
    expect(holds("StringNotEquals", "k", ["x", "y"], { k: "abc" })).toBe(true);
    expect(holds("StringNotEquals", "k", ["x", "abc"], { k: "abc" })).toBe(false);
  });
  it("IgnoreCase variants ignore case only", () => {
    expect(holds("StringEqualsIgnoreCase", "k", "AbC", { k: "aBc" })).toBe(true);
    expect(holds("StringEqualsIgnoreCase", "k", "AbC", { k: "aBcd" })).toBe(false);
    expect(holds("StringNotEqualsIgnoreCase", "k", "AbC", { k: "aBc" })).toBe(false);
    expect(holds("StringNotEqualsIgnoreCase", "k", "AbC", { k: "x" })).toBe(true);
  });
  it("StringLike supports * and ?, case-sensitively", () => {
    expect(holds("StringLike", "k", "o-*/r-??/*", { k: "o-1/r-ab/ou-x/" })).toBe(true);
    expect(holds("StringLike", "k", "o-*/r-??/*", { k: "o-1/r-abc" })).toBe(false);
    expect(holds("StringLike", "k", "A*", { k: "abc" })).toBe(false);
    expect(holds("StringLike", "k", "a.c", { k: "abc" })).toBe(false);
  });
  it("StringNotLike holds when no pattern matches", () => {
    expect(holds("StringNotLike", "k", ["x*", "y*"], { k: "abc" })).toBe(true);
    expect(holds("StringNotLike", "k", ["x*", "a*"], { k: "abc" })).toBe(false);
  });
  it("condition key names are case-insensitive, values are not", () => {
    expect(holds("StringEquals", "AWS:PrincipalOrgID", "o-1", { "aws:principalorgid": "o-1" })).toBe(true);
    expect(holds("StringEquals", "aws:PrincipalOrgID", "O-1", { "aws:PrincipalOrgID": "o-1" })).toBe(false);
  });
});

describe("ARN operators", () => {
  const arn = "arn:aws:backup:eu-west-1:222222222222:backup-vault:central";
  it("ArnLike matches component by component", () => {
    expect(holds("ArnLike", "k", "arn:aws:backup:*:222222222222:backup-vault:*", { k: arn })).toBe(true);
    expect(holds("ArnLike", "k", "arn:aws:backup:*:333333333333:backup-vault:*", { k: arn })).toBe(false);
    // A `*` in one component cannot swallow the next: the region wildcard does not reach the account.
    expect(holds("ArnLike", "k", "arn:aws:backup:*:backup-vault:central", { k: arn })).toBe(false);
    expect(holds("ArnLike", "k", "arn:aws:backup:eu-west-?:*:backup-vault:cen*", { k: arn })).toBe(true);
  });
  it("ArnEquals accepts wildcards like ArnLike", () => {
    expect(holds("ArnEquals", "k", "arn:aws:backup:*:*:backup-vault:central", { k: arn })).toBe(true);
    expect(holds("ArnEquals", "k", arn, { k: arn })).toBe(true);
  });
  it("ArnNotLike / ArnNotEquals hold when no pattern matches", () => {
    expect(holds("ArnNotLike", "k", "arn:aws:backup:*:333333333333:*", { k: arn })).toBe(true);
    expect(holds("ArnNotLike", "k", ["arn:aws:backup:*:333333333333:*", "arn:aws:backup:*:222222222222:*"], { k: arn })).toBe(false);
    expect(holds("ArnNotEquals", "k", arn, { k: arn })).toBe(false);
  });
  it("resolves policy variables before splitting the ARN into components", () => {
    const ctx = { "aws:PrincipalAccount": "222222222222" };
    expect(holds("ArnLike", "k", "arn:aws:backup:*:${aws:PrincipalAccount}:backup-vault:*", { ...ctx, k: arn })).toBe(true);
    expect(holds("ArnNotLike", "k", "arn:aws:backup:*:${aws:PrincipalAccount}:backup-vault:*", { ...ctx, k: arn })).toBe(false);
  });
  it("a request value that is not an ARN matches neither ArnLike nor ArnNotLike", () => {
    expect(holds("ArnLike", "k", "*", { k: "not-an-arn" })).toBe(true);
    expect(holds("ArnLike", "k", "arn:aws:*:*:*:*", { k: "not-an-arn" })).toBe(false);
    expect(holds("ArnNotLike", "k", "arn:aws:*:*:*:x", { k: "not-an-arn" })).toBe(false);
  });
});

describe("numeric, date, bool, binary and IP operators", () => {
  it("Numeric comparisons", () => {
    expect(holds("NumericEquals", "n", "10", { n: 10 })).toBe(true);
    expect(holds("NumericEquals", "n", "10", { n: "10.0" })).toBe(true);
    expect(holds("NumericNotEquals", "n", "10", { n: 11 })).toBe(true);
    expect(holds("NumericNotEquals", "n", "10", { n: 10 })).toBe(false);
    expect(holds("NumericLessThan", "n", "10", { n: 9 })).toBe(true);
    expect(holds("NumericLessThan", "n", "10", { n: 10 })).toBe(false);
    expect(holds("NumericLessThanEquals", "n", "10", { n: 10 })).toBe(true);
    expect(holds("NumericGreaterThan", "n", "10", { n: 11 })).toBe(true);
    expect(holds("NumericGreaterThan", "n", "10", { n: 10 })).toBe(false);
    expect(holds("NumericGreaterThanEquals", "n", 10, { n: 10 })).toBe(true);
    expect(holds("NumericEquals", "n", "10", { n: "ten" })).toBe(false);
    expect(holds("NumericNotEquals", "n", "10", { n: "ten" })).toBe(false);
  });
  it("Date comparisons accept ISO 8601 and epoch seconds", () => {
    expect(holds("DateLessThan", "d", "2030-01-01T00:00:00Z", { d: "2025-06-01T00:00:00Z" })).toBe(true);
    expect(holds("DateGreaterThan", "d", "2030-01-01T00:00:00Z", { d: "2025-06-01T00:00:00Z" })).toBe(false);
    expect(holds("DateEquals", "d", "1700000000", { d: "2023-11-14T22:13:20Z" })).toBe(true);
    expect(holds("DateNotEquals", "d", "1700000000", { d: "2023-11-14T22:13:21Z" })).toBe(true);
    expect(holds("DateLessThanEquals", "d", "1700000000", { d: "1700000000" })).toBe(true);
    expect(holds("DateGreaterThanEquals", "d", "1700000000", { d: "1699999999" })).toBe(false);
  });
  it("Bool compares true/false without regard to case; booleans in the context count", () => {
    expect(holds("Bool", "b", "true", { b: true })).toBe(true);
    expect(holds("Bool", "b", true, { b: "TRUE" })).toBe(true);
    expect(holds("Bool", "b", "false", { b: true })).toBe(false);
    expect(holds("Bool", "b", "true", { b: "yes" })).toBe(false);
  });
  it("BinaryEquals compares the base64 text", () => {
    expect(holds("BinaryEquals", "k", "QmluYXJ5", { k: "QmluYXJ5" })).toBe(true);
    expect(holds("BinaryEquals", "k", "QmluYXJ5", { k: "QmluYXJ6" })).toBe(false);
  });
  it("IpAddress / NotIpAddress test CIDR ranges, IPv4 and IPv6", () => {
    expect(holds("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.113.7" })).toBe(true);
    expect(holds("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.114.7" })).toBe(false);
    expect(holds("IpAddress", "aws:SourceIp", "2001:db8::/32", { "aws:SourceIp": "2001:db8::1" })).toBe(true);
    expect(holds("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "198.51.100.1" })).toBe(true);
    expect(holds("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.113.1" })).toBe(false);
    expect(holds("IpAddress", "aws:SourceIp", "0.0.0.0/0", { "aws:SourceIp": "203.0.113.7" })).toBe(true);
    expect(holds("IpAddress", "aws:SourceIp", "203.0.113.7", { "aws:SourceIp": "203.0.113.7" })).toBe(true);
    // An IPv4 request is never inside an IPv6 range or address.
    expect(holds("NotIpAddress", "aws:SourceIp", "2001:db8::1", { "aws:SourceIp": "203.0.113.7" })).toBe(true);
    expect(holds("IpAddress", "aws:SourceIp", "not-an-ip", { "aws:SourceIp": "203.0.113.7" })).toBe(false);
  });
});

describe("missing keys, IfExists and Null", () => {
  it("a missing key makes positive operators false and negated ones true", () => {
    expect(holds("StringEquals", "k", "a", {})).toBe(false);
    expect(holds("StringLike", "k", "*", {})).toBe(false);
    expect(holds("ArnLike", "k", "*", {})).toBe(false);
    expect(holds("NumericLessThan", "k", "1", {})).toBe(false);
    expect(holds("Bool", "k", "false", {})).toBe(false);
    expect(holds("StringNotEquals", "k", "a", {})).toBe(true);
    expect(holds("StringNotLike", "k", "a", {})).toBe(true);
    expect(holds("ArnNotLike", "k", "arn:aws:backup:*:*:*:*", {})).toBe(true);
    expect(holds("NumericNotEquals", "k", "1", {})).toBe(true);
  });
  it("IfExists holds on a missing key and tests a present one", () => {
    expect(holds("StringEqualsIfExists", "k", "a", {})).toBe(true);
    expect(holds("StringEqualsIfExists", "k", "a", { k: "a" })).toBe(true);
    expect(holds("StringEqualsIfExists", "k", "a", { k: "b" })).toBe(false);
    expect(holds("BoolIfExists", "k", "true", {})).toBe(true);
    expect(holds("ArnNotLikeIfExists", "k", "arn:aws:backup:*:*:*:*", { k: "arn:aws:backup:r:1:x:y" })).toBe(false);
  });
  it("Null tests presence only", () => {
    expect(holds("Null", "aws:ResourceTag/DestinationBackupVault", "true", {})).toBe(true);
    expect(holds("Null", "aws:ResourceTag/DestinationBackupVault", "true", { "aws:ResourceTag/DestinationBackupVault": "" })).toBe(false);
    expect(holds("Null", "k", "false", { k: "x" })).toBe(true);
    expect(holds("Null", "k", false, {})).toBe(false);
    expect(holds("Null", "k", ["true", "false"], {})).toBe(true);
    // An empty set is a present key.
    expect(holds("Null", "k", "true", { k: [] })).toBe(false);
  });
});

describe("set qualifiers over multi-valued keys", () => {
  it("ForAnyValue holds when at least one request value passes", () => {
    expect(holds("ForAnyValue:StringLike", "k", ["a*"], { k: ["x", "ab"] })).toBe(true);
    expect(holds("ForAnyValue:StringLike", "k", ["a*"], { k: ["x", "y"] })).toBe(false);
    expect(holds("ForAnyValue:StringLike", "k", ["a*"], {})).toBe(false);
    expect(holds("ForAnyValue:StringLike", "k", ["a*"], { k: [] })).toBe(false);
    expect(holds("ForAnyValue:StringNotLike", "k", ["a*"], { k: ["ab", "x"] })).toBe(true);
    expect(holds("ForAnyValue:StringNotLike", "k", ["a*"], { k: ["ab", "ac"] })).toBe(false);
  });
  it("ForAllValues holds when every request value passes, and for a missing key or an empty set", () => {
    expect(holds("ForAllValues:StringLike", "k", ["a*", "x"], { k: ["x", "ab"] })).toBe(true);
    expect(holds("ForAllValues:StringLike", "k", ["a*"], { k: ["x", "ab"] })).toBe(false);
    expect(holds("ForAllValues:StringLike", "k", ["a*"], {})).toBe(true);
    expect(holds("ForAllValues:StringLike", "k", ["a*"], { k: [] })).toBe(true);
    expect(holds("ForAllValues:ArnNotLike", "k", ["arn:aws:backup:*:1:*:*"], { k: ["arn:aws:backup:r:2:v:x"] })).toBe(true);
    expect(holds("ForAllValues:ArnNotLike", "k", ["arn:aws:backup:*:1:*:*"], { k: ["arn:aws:backup:r:2:v:x", "arn:aws:backup:r:1:v:x"] })).toBe(false);
  });
  it("a single request value is a one-element set", () => {
    expect(holds("ForAnyValue:StringEquals", "k", "a", { k: "a" })).toBe(true);
    expect(holds("ForAllValues:StringEquals", "k", "a", { k: "b" })).toBe(false);
  });
  it("IfExists on a set operator holds on a missing key", () => {
    expect(holds("ForAnyValue:StringLikeIfExists", "k", "a*", {})).toBe(true);
    expect(holds("ForAnyValue:StringLikeIfExists", "k", "a*", { k: ["b"] })).toBe(false);
  });
  it("without a qualifier, a multi-valued key matches nothing, negated operators included", () => {
    expect(holds("StringLike", "k", "*", { k: ["a"] })).toBe(false);
    expect(holds("StringNotLike", "k", "x", { k: ["a"] })).toBe(false);
    expect(holds("StringNotEquals", "k", "x", { k: [] })).toBe(false);
  });
});

describe("combining conditions and policy variables", () => {
  it("keys and operators are AND'd", () => {
    const doc = (ctx: Record<string, ContextValue>) =>
      evaluatePolicies(
        [
          {
            label: "p",
            document: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: "*",
                  Resource: "*",
                  Condition: { StringEquals: { a: "1", b: "2" }, StringLike: { c: "x*" } },
                },
              ],
            },
          },
        ],
        { principal: { service: "backup.amazonaws.com" }, action: "a:b", resource: "arn:aws:s3:::b", context: ctx },
        "identity",
      ).decision;
    expect(doc({ a: "1", b: "2", c: "xy" })).toBe("allow");
    expect(doc({ a: "1", b: "3", c: "xy" })).toBe("implicit-deny");
    expect(doc({ a: "1", b: "2", c: "y" })).toBe("implicit-deny");
  });
  it("substitutes ${key}, defaults and escapes; an unresolvable variable never matches", () => {
    const ctx = { "aws:PrincipalAccount": "111111111111" };
    expect(holds("StringEquals", "k", "${aws:PrincipalAccount}", { ...ctx, k: "111111111111" })).toBe(true);
    expect(holds("StringLike", "k", "arn:aws:iam::${aws:principalaccount}:*", { ...ctx, k: "arn:aws:iam::111111111111:role/x" })).toBe(true);
    expect(holds("StringEquals", "k", "${aws:Missing, 'dflt'}", { k: "dflt" })).toBe(true);
    expect(holds("StringEquals", "k", "${aws:Missing}", { k: "${aws:Missing}" })).toBe(false);
    expect(holds("StringNotEquals", "k", "${aws:Missing}", { k: "x" })).toBe(false);
    expect(holds("StringLike", "k", "a${*}", { k: "a*" })).toBe(true);
    expect(holds("StringLike", "k", "a${*}", { k: "ab" })).toBe(false);
    expect(holds("StringEquals", "k", "${$}x", { k: "$x" })).toBe(true);
  });
});
