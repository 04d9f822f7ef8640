import { describe, expect, it } from "vitest";
import { normalizeStatement } from "./policy-normal.js";
import {
  allowsEveryone, copyIntoFromAccounts, copyIntoFromOrganization, copyIntoFromOrgPaths, copyIntoFromRoles, keyShareStatements, PENDING_ORG_ID, sidSuffix, stringLike,
} from "./policy-statements.js";

describe("statement builders", () => {
  it("build statements already in normal form", () => {
    const built = [
      copyIntoFromAccounts("A", ["333333333333", "222222222222", "333333333333"]),
      copyIntoFromRoles("B", ["arn:aws:iam::2:role/z", "arn:aws:iam::2:role/a"]),
      copyIntoFromOrganization("C", "o-abc"),
      copyIntoFromOrgPaths("D", ["o-abc/r-1/ou-2/", "o-abc/r-1/ou-1/"]),
      ...keyShareStatements("P", "333333333333"),
    ];
    for (const s of built) expect(normalizeStatement(s)).toEqual(s);
    expect(built[0]!.Principal).toEqual({ AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] });
  });

  it("never opens to everyone without an organization condition", () => {
    expect(allowsEveryone(copyIntoFromOrganization("C", "o-abc"))).toBe(false);
    expect(allowsEveryone(copyIntoFromOrganization("C", PENDING_ORG_ID))).toBe(false);
    expect(allowsEveryone(copyIntoFromOrgPaths("D", ["o-abc/*"]))).toBe(false);
    expect(allowsEveryone({ Sid: "", Effect: "Allow", Principal: "*", Action: ["x"], Resource: ["*"] })).toBe(true);
    expect(allowsEveryone({ Sid: "", Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["x"], Resource: ["*"], Condition: { StringEquals: { "aws:SourceAccount": ["1"] } } })).toBe(true);
    expect(allowsEveryone({ Sid: "", Effect: "Deny", Principal: "*", Action: ["x"], Resource: ["*"] })).toBe(false);
  });

  it("keeps Sid suffixes alphanumeric", () => {
    expect(sidSuffix("a-b_c.1/2")).toBe("abc12");
  });

  it("matches StringLike patterns as IAM does", () => {
    expect(stringLike("o-a/r-b/ou-*/", "o-a/r-b/ou-c/")).toBe(true);
    expect(stringLike("o-a/r-b/ou-c/*", "o-a/r-b/ou-c/ou-d/")).toBe(true);
    expect(stringLike("o-a/r-b/ou-c/", "o-a/r-b/ou-c/ou-d/")).toBe(false);
    expect(stringLike("o-a/r-?/", "o-a/r-b/")).toBe(true);
    expect(stringLike("o.a/", "oxa/")).toBe(false);
  });
});
