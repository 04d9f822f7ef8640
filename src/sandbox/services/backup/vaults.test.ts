import { describe, expect, it } from "vitest";
import type { KmsKey } from "../kms/state.js";
import { eventual, regionState } from "../../world.js";
import { keyArn } from "../kms/state.js";
import { MANAGEMENT, PROD, REGION, T0, VAULT_ACCOUNT, sandboxCaller } from "./resource-test-context.js";

function addKey(c: ReturnType<typeof sandboxCaller>, accountId: string, keyId: string, over: Partial<KmsKey> = {}, region = REGION): KmsKey {
  const key: KmsKey = {
    keyId, arn: keyArn(accountId, region, keyId), description: "", keyManager: "CUSTOMER", keyState: "Enabled", createdAt: T0,
    keySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT", policy: eventual("{}", T0), tags: {}, rotationEnabled: false, grants: [], ...over,
  };
  regionState(c.world, accountId, region, T0).kms.keys[keyId] = key;
  return key;
}

describe("CreateBackupVault", () => {
  it("creates a vault with the account-region's aws/backup key by default", () => {
    const c = sandboxCaller();
    const out = c.call("CreateBackupVault", { BackupVaultName: "central", BackupVaultTags: { team: "ops" } });
    expect(out).toEqual({ BackupVaultName: "central", BackupVaultArn: `arn:aws:backup:${REGION}:${PROD}:backup-vault:central`, CreationDate: new Date(T0) });
    const described = c.call("DescribeBackupVault", { BackupVaultName: "central" });
    const kms = regionState(c.world, PROD, REGION, T0).kms;
    expect(described.EncryptionKeyArn).toBe(kms.keys[kms.aliases["alias/aws/backup"]!.targetKeyId]!.arn);
    expect(described.EncryptionKeyArn).toBe(c.call("DescribeBackupVault", { BackupVaultName: "Default" }).EncryptionKeyArn);
    expect(c.call("ListTags", { ResourceArn: out.BackupVaultArn }).Tags).toEqual({ team: "ops" });
  });

  it("refuses an existing name with AlreadyExistsException carrying the ARN, unless the CreatorRequestId repeats", () => {
    const c = sandboxCaller();
    const first = c.call("CreateBackupVault", { BackupVaultName: "central", CreatorRequestId: "req-1" });
    expect(c.at(T0 + 5000).call("CreateBackupVault", { BackupVaultName: "central", CreatorRequestId: "req-1" })).toEqual(first);
    const e = c.fail("CreateBackupVault", { BackupVaultName: "central", CreatorRequestId: "req-2" });
    expect(e.code).toBe("AlreadyExistsException");
    expect(e.message).toBe("A Backup vault with the name central already exists");
    expect(e.fields).toMatchObject({ Arn: first.BackupVaultArn, CreatorRequestId: "req-1", Code: "ERROR_1101", Context: "central" });
    expect(c.fail("CreateBackupVault", { BackupVaultName: "Default" }).code).toBe("AlreadyExistsException");
  });

  it("checks the name and CreatorRequestId patterns", () => {
    const c = sandboxCaller();
    for (const name of ["a", "has space", "x".repeat(51), "slash/name"]) {
      expect(c.fail("CreateBackupVault", { BackupVaultName: name }).code).toBe("InvalidParameterValueException");
    }
    expect(c.fail("CreateBackupVault", { BackupVaultName: "ok", CreatorRequestId: "bad id!" }).code).toBe("InvalidParameterValueException");
  });

  it("accepts a usable customer managed key of the Region, also another account's, and rejects others", () => {
    const c = sandboxCaller();
    const own = addKey(c, PROD, "11111111-1111-4111-a111-111111111111");
    c.call("CreateBackupVault", { BackupVaultName: "own-cmk", EncryptionKeyArn: own.arn });
    expect(c.call("DescribeBackupVault", { BackupVaultName: "own-cmk" }).EncryptionKeyArn).toBe(own.arn);

    regionState(c.world, PROD, REGION, T0).kms.aliases["alias/vault"] = { name: "alias/vault", arn: `arn:aws:kms:${REGION}:${PROD}:alias/vault`, targetKeyId: own.keyId, createdAt: T0 };
    c.call("CreateBackupVault", { BackupVaultName: "by-alias", EncryptionKeyArn: `arn:aws:kms:${REGION}:${PROD}:alias/vault` });
    expect(c.call("DescribeBackupVault", { BackupVaultName: "by-alias" }).EncryptionKeyArn).toBe(own.arn);

    const shared = addKey(c, VAULT_ACCOUNT, "22222222-2222-4222-a222-222222222222");
    c.call("CreateBackupVault", { BackupVaultName: "their-cmk", EncryptionKeyArn: shared.arn });

    const disabled = addKey(c, PROD, "33333333-3333-4333-a333-333333333333", { keyState: "Disabled" });
    const elsewhere = addKey(c, PROD, "44444444-4444-4444-a444-444444444444", {}, "us-east-1");
    const theirManaged = regionState(c.world, MANAGEMENT, REGION, T0).kms;
    const theirManagedArn = theirManaged.keys[theirManaged.aliases["alias/aws/backup"]!.targetKeyId]!.arn;
    for (const bad of ["not-an-arn", `arn:aws:kms:${REGION}:${PROD}:key/00000000-0000-4000-a000-000000000000`, disabled.arn, elsewhere.arn, theirManagedArn]) {
      const e = c.fail("CreateBackupVault", { BackupVaultName: "bad-key", EncryptionKeyArn: bad });
      expect(e.code, bad).toBe("InvalidParameterValueException");
    }
    expect(c.fail("DescribeBackupVault", { BackupVaultName: "bad-key" }).code).toBe("ResourceNotFoundException");
  });

  it("stops at the quota of vaults per Region", () => {
    const c = sandboxCaller();
    for (let i = 1; i < 100; i++) c.call("CreateBackupVault", { BackupVaultName: `v-${i}` });
    expect(c.fail("CreateBackupVault", { BackupVaultName: "one-too-many" }).code).toBe("LimitExceededException");
  });
});

describe("DescribeBackupVault and ListBackupVaults", () => {
  it("describe reports type, state, count and lock settings; a missing vault is not found", () => {
    const c = sandboxCaller();
    c.call("CreateBackupVault", { BackupVaultName: "central", CreatorRequestId: "r1" });
    expect(c.call("DescribeBackupVault", { BackupVaultName: "central" })).toMatchObject({
      BackupVaultName: "central", VaultType: "BACKUP_VAULT", VaultState: "AVAILABLE", CreatorRequestId: "r1", NumberOfRecoveryPoints: 0, Locked: false,
    });
    const e = c.fail("DescribeBackupVault", { BackupVaultName: "nope" });
    expect(e.code).toBe("ResourceNotFoundException");
    expect(c.fail("DescribeBackupVault", { BackupVaultName: "central", BackupVaultAccountId: VAULT_ACCOUNT }).code).toBe("ResourceNotFoundException");
    expect(c.call("DescribeBackupVault", { BackupVaultName: "central", BackupVaultAccountId: PROD }).BackupVaultName).toBe("central");
  });

  it("is per account-region: another account or Region does not see the vault", () => {
    const c = sandboxCaller();
    c.call("CreateBackupVault", { BackupVaultName: "central" });
    expect(c.as(VAULT_ACCOUNT).fail("DescribeBackupVault", { BackupVaultName: "central" }).code).toBe("ResourceNotFoundException");
    expect(c.as(PROD, "us-west-2").fail("DescribeBackupVault", { BackupVaultName: "central" }).code).toBe("ResourceNotFoundException");
    expect(c.as(PROD, "us-west-2").call("ListBackupVaults").BackupVaultList.map((v: any) => v.BackupVaultName)).toEqual(["Default"]);
  });

  it("lists every vault across pages, and filters shared and air-gapped vaults out", () => {
    const c = sandboxCaller();
    for (const n of ["c-3", "a-1", "b-2"]) c.call("CreateBackupVault", { BackupVaultName: n });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = c.call("ListBackupVaults", { MaxResults: 3, NextToken: token });
      names.push(...page.BackupVaultList.map((v: any) => v.BackupVaultName));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(names).toEqual(["Default", "a-1", "b-2", "c-3"]);
    expect(c.call("ListBackupVaults", { ByShared: true }).BackupVaultList).toEqual([]);
    expect(c.call("ListBackupVaults", { ByVaultType: "LOGICALLY_AIR_GAPPED_BACKUP_VAULT" }).BackupVaultList).toEqual([]);
    expect(c.fail("ListBackupVaults", { NextToken: "garbage" }).code).toBe("InvalidParameterValueException");
  });
});

describe("DeleteBackupVault", () => {
  it("deletes an empty vault; refuses one that holds recovery points, even DELETING ones", () => {
    const c = sandboxCaller();
    c.call("CreateBackupVault", { BackupVaultName: "full" });
    const vault = regionState(c.world, PROD, REGION, T0).backup.vaults.full!;
    vault.recoveryPoints.rp1 = {
      arn: `arn:aws:backup:${REGION}:${PROD}:recovery-point:rp1`, resourceArn: "arn:aws:dynamodb:x", resourceType: "DynamoDB", vaultName: "full", createdAt: T0,
      status: "DELETING", storageClass: "WARM", encryptionKeyArn: vault.encryptionKeyArn, iamRoleArn: `arn:aws:iam::${PROD}:role/r`, lifecycle: {},
    };
    const e = c.fail("DeleteBackupVault", { BackupVaultName: "full" });
    expect(e.code).toBe("InvalidRequestException");
    expect(e.message).toBe("Backup vault cannot be deleted because it contains recovery points.");
    expect(e.fields.Code).toBe("ERROR_9101");
    expect(c.call("DescribeBackupVault", { BackupVaultName: "full" }).NumberOfRecoveryPoints).toBe(1);
    delete vault.recoveryPoints.rp1;
    c.call("DeleteBackupVault", { BackupVaultName: "full" });
    expect(c.fail("DescribeBackupVault", { BackupVaultName: "full" }).code).toBe("ResourceNotFoundException");
    expect(c.fail("DeleteBackupVault", { BackupVaultName: "full" }).code).toBe("ResourceNotFoundException");
  });

  it("deletes the Default vault only while another vault exists in the Region", () => {
    const c = sandboxCaller();
    expect(c.fail("DeleteBackupVault", { BackupVaultName: "Default" }).code).toBe("InvalidRequestException");
    c.call("CreateBackupVault", { BackupVaultName: "other" });
    c.call("DeleteBackupVault", { BackupVaultName: "Default" });
    expect(c.call("ListBackupVaults").BackupVaultList.map((v: any) => v.BackupVaultName)).toEqual(["other"]);
  });

  it("refuses a vault whose compliance lock has passed its lock date, allows it before", () => {
    const c = sandboxCaller();
    c.call("CreateBackupVault", { BackupVaultName: "early" });
    c.call("PutBackupVaultLockConfiguration", { BackupVaultName: "early", ChangeableForDays: 3 });
    c.at(T0 + 86_400_000).call("DeleteBackupVault", { BackupVaultName: "early" });
    c.call("CreateBackupVault", { BackupVaultName: "late" });
    c.call("PutBackupVaultLockConfiguration", { BackupVaultName: "late", ChangeableForDays: 3 });
    expect(c.at(T0 + 3 * 86_400_000).fail("DeleteBackupVault", { BackupVaultName: "late" }).code).toBe("InvalidRequestException");
  });
});
