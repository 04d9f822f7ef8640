import { describe, expect, it } from "vitest";
import { regionState } from "../../world.js";
import { PROD, REGION, T0, VAULT_ACCOUNT, sandboxCaller } from "./resource-test-context.js";

describe("TagResource, UntagResource, ListTags", () => {
  it("tags vaults and plans by ARN, merging, overwriting and removing keys", () => {
    const c = sandboxCaller();
    const vault = c.call("CreateBackupVault", { BackupVaultName: "v1", BackupVaultTags: { a: "1" } }).BackupVaultArn;
    c.call("TagResource", { ResourceArn: vault, Tags: { b: "2", a: "one" } });
    expect(c.call("ListTags", { ResourceArn: vault }).Tags).toEqual({ a: "one", b: "2" });
    c.call("UntagResource", { ResourceArn: vault, TagKeyList: ["a", "not-there"] });
    expect(c.call("ListTags", { ResourceArn: vault }).Tags).toEqual({ b: "2" });
    const plan = c.call("CreateBackupPlan", { BackupPlan: { BackupPlanName: "p", Rules: [{ RuleName: "r", TargetBackupVaultName: "v1" }] } }).BackupPlanArn;
    c.call("TagResource", { ResourceArn: plan, Tags: { owner: "ops" } });
    expect(c.call("ListTags", { ResourceArn: plan }).Tags).toEqual({ owner: "ops" });
  });

  it("tags recovery points, also those whose ARN belongs to the resource's service", () => {
    const c = sandboxCaller();
    const vault = regionState(c.world, PROD, REGION, T0).backup.vaults.Default!;
    const ebs = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
    vault.recoveryPoints.x = {
      arn: ebs, resourceArn: `arn:aws:ec2:${REGION}:${PROD}:volume/vol-1`, resourceType: "EBS", vaultName: "Default", createdAt: T0, status: "COMPLETED",
      storageClass: "WARM", encryptionKeyArn: vault.encryptionKeyArn, iamRoleArn: `arn:aws:iam::${PROD}:role/r`, lifecycle: {},
    };
    c.call("TagResource", { ResourceArn: ebs, Tags: { k: "v" } });
    expect(c.call("ListTags", { ResourceArn: ebs }).Tags).toEqual({ k: "v" });
    expect(c.fail("ListTags", { ResourceArn: `arn:aws:backup:${REGION}:${PROD}:recovery-point:nope` }).code).toBe("ResourceNotFoundException");
  });

  it("unknown or foreign ARNs are not found; other services' ARNs are invalid", () => {
    const c = sandboxCaller();
    const vault = c.call("CreateBackupVault", { BackupVaultName: "v1" }).BackupVaultArn;
    for (const arn of [`arn:aws:backup:${REGION}:${PROD}:backup-vault:nope`, `arn:aws:backup:${REGION}:${PROD}:backup-plan:nope`, `arn:aws:backup:us-east-1:${PROD}:backup-vault:v1`]) {
      expect(c.fail("ListTags", { ResourceArn: arn }).code, arn).toBe("ResourceNotFoundException");
      expect(c.fail("TagResource", { ResourceArn: arn, Tags: { a: "b" } }).code, arn).toBe("ResourceNotFoundException");
    }
    expect(c.as(VAULT_ACCOUNT).fail("ListTags", { ResourceArn: vault }).code).toBe("ResourceNotFoundException");
    expect(c.fail("TagResource", { ResourceArn: "arn:aws:s3:::bucket", Tags: { a: "b" } }).code).toBe("InvalidParameterValueException");
    expect(c.fail("TagResource", { ResourceArn: "not-an-arn", Tags: { a: "b" } }).code).toBe("InvalidParameterValueException");
  });

  it("enforces tag rules: reserved prefix, lengths, at most 50 per resource", () => {
    const c = sandboxCaller();
    const vault = c.call("CreateBackupVault", { BackupVaultName: "v1" }).BackupVaultArn;
    expect(c.fail("TagResource", { ResourceArn: vault, Tags: { "aws:x": "y" } }).code).toBe("InvalidParameterValueException");
    expect(c.fail("TagResource", { ResourceArn: vault, Tags: { ["k".repeat(129)]: "y" } }).code).toBe("InvalidParameterValueException");
    expect(c.fail("TagResource", { ResourceArn: vault, Tags: { k: "v".repeat(257) } }).code).toBe("InvalidParameterValueException");
    c.call("TagResource", { ResourceArn: vault, Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"])) });
    expect(c.fail("TagResource", { ResourceArn: vault, Tags: { extra: "v" } }).code).toBe("LimitExceededException");
    c.call("TagResource", { ResourceArn: vault, Tags: { k0: "changed" } });
    const page = c.call("ListTags", { ResourceArn: vault, MaxResults: 20 });
    expect(Object.keys(page.Tags)).toHaveLength(20);
    expect(page.NextToken).toBeDefined();
  });
});
