import { describe, expect, it } from "vitest";
import { keyArn } from "./state.js";
import { kmsService } from "./index.js";
import { failure, invoker, MANAGEMENT, PROD, T0, VAULT } from "../organizations/test-world.js";

const kms = () => invoker(kmsService);

describe("CreateKey and DescribeKey", () => {
  it("creates a symmetric customer key with AWS's defaults and the default key policy", async () => {
    const inv = kms();
    const out = await inv.call(PROD, "CreateKey", { Description: "vault key", Tags: [{ TagKey: "stack", TagValue: "cv" }] });
    const m = out.KeyMetadata;
    expect(m).toMatchObject({
      AWSAccountId: PROD, Enabled: true, Description: "vault key", KeyUsage: "ENCRYPT_DECRYPT", KeyState: "Enabled", Origin: "AWS_KMS",
      KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT", CustomerMasterKeySpec: "SYMMETRIC_DEFAULT", EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"], MultiRegion: false,
    });
    expect(m.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(m.Arn).toBe(keyArn(PROD, "us-east-1", m.KeyId));
    expect(m.CreationDate).toEqual(new Date(T0));
    const policy = JSON.parse((await inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId })).Policy);
    expect(policy.Statement).toEqual([{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: "kms:*", Resource: "*" }]);
    expect((await inv.call(PROD, "ListResourceTags", { KeyId: m.Arn })).Tags).toEqual([{ TagKey: "stack", TagValue: "cv" }]);
  });

  it("checks key spec and usage, and the lockout of a given policy", async () => {
    const inv = kms();
    expect(await failure(inv.call(PROD, "CreateKey", { KeySpec: "HMAC_256" }))).toMatchObject({ code: "ValidationException" });
    const hmac = await inv.call(PROD, "CreateKey", { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    expect(hmac.KeyMetadata.MacAlgorithms).toEqual(["HMAC_SHA_256"]);
    const lockout = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VAULT}:root` }, Action: "kms:*", Resource: "*" }] });
    expect(await failure(inv.call(PROD, "CreateKey", { Policy: lockout }))).toMatchObject({
      code: "MalformedPolicyDocumentException", message: "The new key policy will not allow you to update the key policy in the future.",
    });
    const bypassed = await inv.call(PROD, "CreateKey", { Policy: lockout, BypassPolicyLockoutSafetyCheck: true });
    // Locked out: the account that owns it can no longer read it.
    expect(await failure(inv.call(PROD, "DescribeKey", { KeyId: bypassed.KeyMetadata.KeyId }))).toMatchObject({ code: "AccessDeniedException" });
    expect(await failure(inv.call(PROD, "CreateKey", { Policy: "{" }))).toMatchObject({ code: "MalformedPolicyDocumentException" });
  });

  it("describes by key id, key ARN, alias name and alias ARN", async () => {
    const inv = kms();
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    await inv.call(PROD, "CreateAlias", { AliasName: "alias/vault", TargetKeyId: m.KeyId });
    for (const KeyId of [m.KeyId, m.Arn, "alias/vault", `arn:aws:kms:us-east-1:${PROD}:alias/vault`]) {
      expect((await inv.call(PROD, "DescribeKey", { KeyId })).KeyMetadata.Arn).toBe(m.Arn);
    }
    expect(await failure(inv.call(PROD, "DescribeKey", { KeyId: "alias/missing" }))).toMatchObject({
      code: "NotFoundException", httpStatus: 404, message: `Alias arn:aws:kms:us-east-1:${PROD}:alias/missing is not found.`,
    });
    const unknown = "0b8e8f0c-0000-4000-a000-000000000000";
    expect(await failure(inv.call(PROD, "DescribeKey", { KeyId: unknown }))).toMatchObject({ code: "NotFoundException", message: `Key '${keyArn(PROD, "us-east-1", unknown)}' does not exist` });
    expect(await failure(inv.call(PROD, "DescribeKey", { KeyId: "arn:aws:kms:nope" }))).toMatchObject({ code: "InvalidArnException" });
  });

  it("creates AWS managed keys on first use of their alias, and lists keys with markers", async () => {
    const inv = kms();
    const ebs = await inv.call(PROD, "DescribeKey", { KeyId: "alias/aws/ebs" });
    expect(ebs.KeyMetadata).toMatchObject({ KeyManager: "AWS", Description: "Default key that protects my EBS volumes when no other key is defined" });
    for (let i = 0; i < 3; i++) await inv.call(PROD, "CreateKey", {});
    const first = await inv.call(PROD, "ListKeys", { Limit: 2 });
    expect(first).toMatchObject({ Truncated: true });
    const rest = await inv.call(PROD, "ListKeys", { Limit: 10, Marker: first.NextMarker });
    expect(rest.Truncated).toBe(false);
    expect(rest.NextMarker).toBeUndefined();
    expect(first.Keys.length + rest.Keys.length).toBe(5);
    expect(await failure(inv.call(PROD, "ListKeys", { Marker: "bogus" }))).toMatchObject({ code: "InvalidMarkerException" });
  });
});

describe("UpdateKeyDescription", () => {
  it("changes the description of a customer key, and refuses AWS managed and pending keys", async () => {
    const inv = kms();
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", { Description: "old" });
    await inv.call(PROD, "UpdateKeyDescription", { KeyId: m.KeyId, Description: "new" });
    expect((await inv.call(PROD, "DescribeKey", { KeyId: m.KeyId })).KeyMetadata.Description).toBe("new");
    const { KeyMetadata: managed } = await inv.call(PROD, "DescribeKey", { KeyId: "alias/aws/backup" });
    expect(await failure(inv.call(PROD, "UpdateKeyDescription", { KeyId: managed.KeyId, Description: "x" }))).toMatchObject({ code: "AccessDeniedException" });
    await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId });
    expect(await failure(inv.call(PROD, "UpdateKeyDescription", { KeyId: m.KeyId, Description: "x" }))).toMatchObject({ code: "KMSInvalidStateException" });
  });
});

describe("cross-account DescribeKey", () => {
  it("works by ARN when the key policy allows the caller's account, and is denied otherwise", async () => {
    const inv = kms();
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    expect(await failure(inv.call(VAULT, "DescribeKey", { KeyId: m.Arn }))).toMatchObject({ code: "AccessDeniedException" });
    expect(await failure(inv.call(VAULT, "DescribeKey", { KeyId: m.KeyId }))).toMatchObject({ code: "NotFoundException" });
    const shared = JSON.parse((await inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId })).Policy);
    shared.Statement.push({ Sid: "share", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VAULT}:root` }, Action: ["kms:DescribeKey", "kms:CreateGrant"], Resource: "*" });
    await inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: JSON.stringify(shared) });
    expect((await inv.call(VAULT, "DescribeKey", { KeyId: m.Arn })).KeyMetadata.KeyId).toBe(m.KeyId);
    expect(await failure(inv.call(VAULT, "GetKeyPolicy", { KeyId: m.Arn }))).toMatchObject({ code: "AccessDeniedException" });
    expect(await failure(inv.call(MANAGEMENT, "DescribeKey", { KeyId: m.Arn }))).toMatchObject({ code: "AccessDeniedException" });
    const other = `arn:aws:kms:eu-west-1:${PROD}:key/${m.KeyId}`;
    expect(await failure(inv.call(VAULT, "DescribeKey", { KeyId: other }))).toMatchObject({ code: "NotFoundException" });
  });

  it("never lets another account use an AWS managed key", async () => {
    const inv = kms();
    const backup = await inv.call(PROD, "DescribeKey", { KeyId: "alias/aws/backup" });
    expect(await failure(inv.call(VAULT, "DescribeKey", { KeyId: backup.KeyMetadata.Arn }))).toMatchObject({ code: "AccessDeniedException" });
  });
});

describe("key deletion", () => {
  it("schedules within 7-30 days, cancels to Disabled, and deletes when the window is over", async () => {
    const inv = kms();
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    await inv.call(PROD, "CreateAlias", { AliasName: "alias/gone", TargetKeyId: m.KeyId });
    expect(await failure(inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId, PendingWindowInDays: 6 }))).toMatchObject({ code: "ValidationException" });
    expect(await failure(inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId, PendingWindowInDays: 31 }))).toMatchObject({ code: "ValidationException" });
    const scheduled = await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId });
    expect(scheduled).toEqual({ KeyId: m.Arn, DeletionDate: new Date(T0 + 30 * 86_400_000), KeyState: "PendingDeletion", PendingWindowInDays: 30 });
    const described = (await inv.call(PROD, "DescribeKey", { KeyId: m.KeyId })).KeyMetadata;
    expect(described).toMatchObject({ KeyState: "PendingDeletion", Enabled: false, PendingDeletionWindowInDays: 30 });
    expect(await failure(inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId }))).toMatchObject({ code: "KMSInvalidStateException", httpStatus: 409, message: `${m.Arn} is pending deletion.` });
    expect(await failure(inv.call(PROD, "TagResource", { KeyId: m.KeyId, Tags: [{ TagKey: "a", TagValue: "b" }] }))).toMatchObject({ code: "KMSInvalidStateException" });
    expect(await inv.call(PROD, "CancelKeyDeletion", { KeyId: m.KeyId })).toEqual({ KeyId: m.Arn });
    expect((await inv.call(PROD, "DescribeKey", { KeyId: m.KeyId })).KeyMetadata.KeyState).toBe("Disabled");
    expect(await failure(inv.call(PROD, "CancelKeyDeletion", { KeyId: m.KeyId }))).toMatchObject({ code: "KMSInvalidStateException" });
    await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId, PendingWindowInDays: 7 });
    kmsService.tick!(inv.world, T0 + 7 * 86_400_000, { consistencyDelayMs: 0, jobDurationMs: 0 });
    expect(await failure(inv.call(PROD, "DescribeKey", { KeyId: m.KeyId }))).toMatchObject({ code: "NotFoundException" });
    expect(await failure(inv.call(PROD, "DescribeKey", { KeyId: "alias/gone" }))).toMatchObject({ code: "NotFoundException" });
  });

  it("lets the key policy bound the deletion window with a numeric condition", async () => {
    const inv = kms();
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    const policy = JSON.parse((await inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId })).Policy);
    policy.Statement.push({
      Sid: "keep-two-weeks", Effect: "Deny", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*",
      Condition: { NumericLessThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": "14" } },
    });
    await inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: JSON.stringify(policy) });
    expect(await failure(inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId, PendingWindowInDays: 7 }))).toMatchObject({
      code: "AccessDeniedException", message: expect.stringContaining("with an explicit deny"),
    });
    expect((await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId, PendingWindowInDays: 21 })).PendingWindowInDays).toBe(21);
    await inv.call(PROD, "CancelKeyDeletion", { KeyId: m.KeyId });
    // Without the parameter the request carries no value for the key, so NumericLessThan does not apply.
    expect((await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId })).PendingWindowInDays).toBe(30);
  });

  it("refuses to schedule an AWS managed key", async () => {
    const inv = kms();
    expect(await failure(inv.call(PROD, "ScheduleKeyDeletion", { KeyId: "alias/aws/backup" }))).toMatchObject({ code: "NotFoundException" });
    const { KeyMetadata: m } = await inv.call(PROD, "DescribeKey", { KeyId: "alias/aws/backup" });
    expect(await failure(inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId }))).toMatchObject({ code: "AccessDeniedException" });
  });
});

describe("rotation", () => {
  it("enables, reports and disables rotation of symmetric keys only", async () => {
    const inv = kms();
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    expect(await inv.call(PROD, "GetKeyRotationStatus", { KeyId: m.KeyId })).toEqual({ KeyRotationEnabled: false, KeyId: m.Arn });
    await inv.call(PROD, "EnableKeyRotation", { KeyId: m.KeyId, RotationPeriodInDays: 90 });
    expect(await inv.call(PROD, "GetKeyRotationStatus", { KeyId: m.KeyId })).toEqual({
      KeyRotationEnabled: true, KeyId: m.Arn, RotationPeriodInDays: 90, NextRotationDate: new Date(T0 + 90 * 86_400_000),
    });
    await inv.call(PROD, "DisableKey", { KeyId: m.KeyId });
    expect(await failure(inv.call(PROD, "DisableKeyRotation", { KeyId: m.KeyId }))).toMatchObject({ code: "DisabledException", httpStatus: 409 });
    const rsa = await inv.call(PROD, "CreateKey", { KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
    expect(await failure(inv.call(PROD, "EnableKeyRotation", { KeyId: rsa.KeyMetadata.KeyId }))).toMatchObject({ code: "UnsupportedOperationException" });
  });
});
