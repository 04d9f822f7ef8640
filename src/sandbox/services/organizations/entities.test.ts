import { describe, expect, it } from "vitest";
import { isMember, orgPathOf, ouPathOf, scpLevelsFor } from "./entities.js";
import { MANAGEMENT, OUTSIDE, PROD, testWorld, VAULT } from "./test-world.js";

describe("organization paths", () => {
  it("lists the organization, the root and each OU down to the account's parent, each followed by /", () => {
    const org = testWorld().org;
    expect(orgPathOf(org, PROD)).toBe("o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-prod0001/");
    expect(orgPathOf(org, VAULT)).toBe("o-a1b2c3d4e5/r-a1b2/ou-a1b2-secu0001/");
    expect(orgPathOf(org, MANAGEMENT)).toBe("o-a1b2c3d4e5/r-a1b2/");
    expect(orgPathOf(org, OUTSIDE)).toBeUndefined();
  });

  it("gives an OU's own path ending with its id", () => {
    expect(ouPathOf(testWorld().org, "ou-a1b2-prod0001")).toBe("o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-prod0001/");
  });

  it("knows who is a member", () => {
    const org = testWorld().org;
    expect(isMember(org, PROD)).toBe(true);
    expect(isMember(org, OUTSIDE)).toBe(false);
    expect(isMember(org, "toString")).toBe(false);
  });
});

describe("scpLevelsFor", () => {
  it("has one level per target from the root down to the account, with the SCPs attached there", () => {
    const org = testWorld().org;
    org.policies["p-denycopy1"] = {
      id: "p-denycopy1", arn: "arn", name: "deny", description: "", type: "SERVICE_CONTROL_POLICY",
      content: "{}", awsManaged: false, tags: {}, targets: ["ou-a1b2-work0001"],
    };
    const levels = scpLevelsFor(org, PROD);
    expect(levels.map((l) => l.targetId)).toEqual(["r-a1b2", "ou-a1b2-work0001", "ou-a1b2-prod0001", PROD]);
    expect(levels.map((l) => l.policies.map((p) => p.id))).toEqual([
      ["p-FullAWSAccess"], ["p-FullAWSAccess", "p-denycopy1"], ["p-FullAWSAccess"], ["p-FullAWSAccess"],
    ]);
  });

  it("is empty for the management account, outside accounts and when SCPs are not enabled", () => {
    const org = testWorld().org;
    expect(scpLevelsFor(org, MANAGEMENT)).toEqual([]);
    expect(scpLevelsFor(org, OUTSIDE)).toEqual([]);
    org.enabledPolicyTypes = [];
    expect(scpLevelsFor(org, PROD)).toEqual([]);
  });

  it("treats a world without the AWS-managed policy as having FullAWSAccess everywhere", () => {
    const org = testWorld().org;
    delete org.policies["p-FullAWSAccess"];
    expect(scpLevelsFor(org, VAULT).map((l) => l.policies.map((p) => p.name))).toEqual([["FullAWSAccess"], ["FullAWSAccess"], ["FullAWSAccess"]]);
  });
});
