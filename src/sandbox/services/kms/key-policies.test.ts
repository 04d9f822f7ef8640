import { describe, expect, it } from "vitest";
import { valueAt } from "../../world.js";
import { findKeyByArn, kmsService } from "./index.js";
import { failure, invoker, PROD, T0, VAULT } from "../organizations/test-world.js";

const policyFor = (...accounts: string[]) => JSON.stringify({
  Version: "2012-10-17",
  Statement: accounts.map((a) => ({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${a}:root` }, Action: "kms:*", Resource: "*" })),
});

describe("key policies", () => {
  it("replaces the policy through the eventual value, so earlier readers see the old one", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    const before = (await inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId })).Policy;
    inv.now = T0 + 10_000;
    await inv.call(PROD, "PutKeyPolicy", { KeyId: m.Arn, Policy: policyFor(PROD, VAULT) });
    expect(await inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId, PolicyName: "default" })).toEqual({ Policy: policyFor(PROD, VAULT), PolicyName: "default" });
    const key = findKeyByArn(inv.world, m.Arn)!;
    expect(valueAt(key.policy, T0 + 5000)).toBe(before);
    expect(valueAt(key.policy, T0 + 10_000)).toBe(policyFor(PROD, VAULT));
    expect((await inv.call(PROD, "ListKeyPolicies", { KeyId: m.KeyId })).PolicyNames).toEqual(["default"]);
  });

  it("rejects other policy names, malformed documents and lockouts unless bypassed", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    expect(await failure(inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId, PolicyName: "other" }))).toMatchObject({ code: "NotFoundException" });
    expect(await failure(inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: "not json" }))).toMatchObject({ code: "MalformedPolicyDocumentException" });
    expect(await failure(inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: policyFor(VAULT) }))).toMatchObject({ code: "MalformedPolicyDocumentException" });
    await inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: policyFor(VAULT), BypassPolicyLockoutSafetyCheck: true });
    expect(await failure(inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId }))).toMatchObject({ code: "AccessDeniedException" });
  });

  it("works on a key pending deletion and never on an AWS managed key", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId });
    await inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: policyFor(PROD) });
    const backup = (await inv.call(PROD, "DescribeKey", { KeyId: "alias/aws/backup" })).KeyMetadata;
    expect(await failure(inv.call(PROD, "PutKeyPolicy", { KeyId: backup.KeyId, Policy: policyFor(PROD) }))).toMatchObject({ code: "AccessDeniedException" });
    expect(JSON.parse((await inv.call(PROD, "GetKeyPolicy", { KeyId: backup.Arn })).Policy).Id).toBe("auto-backup-1");
  });

  it("findKeyByArn resolves key and alias ARNs without creating state", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    await inv.call(PROD, "CreateAlias", { AliasName: "alias/k", TargetKeyId: m.KeyId });
    expect(findKeyByArn(inv.world, m.Arn)?.keyId).toBe(m.KeyId);
    expect(findKeyByArn(inv.world, `arn:aws:kms:us-east-1:${PROD}:alias/k`)?.keyId).toBe(m.KeyId);
    expect(findKeyByArn(inv.world, `arn:aws:kms:us-east-1:${VAULT}:key/${m.KeyId}`)).toBeUndefined();
    expect(inv.world.accounts[VAULT]).toBeUndefined();
    expect(findKeyByArn(inv.world, "nonsense")).toBeUndefined();
  });
});
