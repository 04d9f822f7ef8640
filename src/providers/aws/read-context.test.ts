import { describe, expect, it } from "vitest";
import type { DesiredResource } from "../../model/resource.js";
import { allPages, indexDesired, lanesToRead } from "./read-context.js";

function d(address: string, type: DesiredResource["type"], accountId: string, region: string, attributes: DesiredResource["attributes"], adopt = false): DesiredResource {
  return { address, type, accountId, region, identity: `${type}:${accountId}/${region}/${address}`, attributes, dependsOn: [], ...(adopt ? { adopt } : {}) };
}

const desired = [
  d("vault.a", "vault", "1", "eu-west-1", { name: "a" }),
  d("vault_policy.b", "vault_policy", "1", "eu-west-1", { vault_name: "b" }),
  d("kms_key.k", "kms_key", "1", "eu-west-1", { alias: "alias/k", arn: { $pending: { address: "kms_key.k", attribute: "arn" } } }),
  d("key_share.x->2", "key_share", "1", "us-east-1", { key_arn: "arn:aws:kms:us-east-1:1:key/abc" }),
  d("key_share.k->2", "key_share", "1", "eu-west-1", { key_arn: { $pending: { address: "kms_key.k", attribute: "arn" } } }),
  d("backup_plan.p", "backup_plan", "2", "eu-west-1", { name: "daily" }, true),
  d("org_trust", "org_trust", "0", "global", {}),
  d("cross_account_setting", "cross_account_setting", "0", "us-east-1", {}),
];

describe("indexDesired", () => {
  it("collects the names the config uses per account-region", () => {
    const index = indexDesired(desired);
    const euw1 = index.named("1", "eu-west-1");
    expect([...euw1.vaultNames].sort()).toEqual(["a", "b"]);
    expect([...euw1.aliases]).toEqual(["alias/k"]);
    expect([...euw1.keyArns]).toEqual([]);
    expect([...index.named("1", "us-east-1").keyArns]).toEqual(["arn:aws:kms:us-east-1:1:key/abc"]);
    expect([...index.named("2", "eu-west-1").planNames]).toEqual(["daily"]);
    expect([...index.named("2", "eu-west-1").adoptPlanNames]).toEqual(["daily"]);
    expect(index.named("9", "eu-west-1").vaultNames.size).toBe(0);
    expect(index.byIdentity.get(desired[0]!.identity)?.address).toBe("vault.a");
  });

  it("collects the key part of every desired share's identity, for keys named by ARN and keys of the stack", () => {
    const shares = [
      { ...desired[3]!, identity: "key_share:arn:aws:kms:us-east-1:1:key/abc->2" },
      { ...desired[4]!, identity: "key_share:1/eu-west-1/alias/k->2" },
    ];
    const named = "arn:aws:kms:us-east-1:444444444444:key/def";
    const index = indexDesired(shares, [named]);
    expect([...index.named("1", "us-east-1").sharedKeys]).toEqual(["arn:aws:kms:us-east-1:1:key/abc"]);
    // A key the config only names (no share of it desired) is read, but has no desired share.
    expect([...index.named("444444444444", "us-east-1").keyArns]).toEqual([named]);
    expect([...index.named("444444444444", "us-east-1").sharedKeys]).toEqual([]);
    expect([...index.named("1", "eu-west-1").sharedKeys]).toEqual(["1/eu-west-1/alias/k"]);
  });
});

describe("lanesToRead", () => {
  it("adds the desired resources' account-regions to the scope's, never the organization's settings", () => {
    const lanes = lanesToRead({ stack: "s", accounts: [{ accountId: "3", regions: ["eu-west-1", "eu-west-1"] }], desired, managementAccountId: "0", manageOrg: true });
    expect(lanes).toEqual([
      { accountId: "1", region: "eu-west-1" },
      { accountId: "1", region: "us-east-1" },
      { accountId: "2", region: "eu-west-1" },
      { accountId: "3", region: "eu-west-1" },
    ]);
  });
});

describe("allPages", () => {
  it("follows tokens to the end, tolerating empty pages", async () => {
    const pages: Record<string, { items: number[]; next?: string }> = { "": { items: [1], next: "a" }, a: { items: [], next: "b" }, b: { items: [2, 3] } };
    const seen: Array<string | undefined> = [];
    const all = await allPages(async (t) => { seen.push(t); return pages[t ?? ""]!; }, (p) => p.items, (p) => p.next);
    expect(all).toEqual([1, 2, 3]);
    expect(seen).toEqual([undefined, "a", "b"]);
  });
});
