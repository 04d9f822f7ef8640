import { describe, expect, it } from "vitest";
import { PROD, VAULT_ACCOUNT, sandboxCaller } from "./resource-test-context.js";

const policy = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Resource: "*", ...statement }] });
const copyFromProd = policy({ Effect: "Allow", Action: "backup:CopyIntoBackupVault", Principal: { AWS: `arn:aws:iam::${PROD}:root` } });

describe("backup vault access policies", () => {
  it("stores the policy text, returns it, and deletes it idempotently", () => {
    const c = sandboxCaller().as(VAULT_ACCOUNT);
    c.call("CreateBackupVault", { BackupVaultName: "dest" });
    expect(c.fail("GetBackupVaultAccessPolicy", { BackupVaultName: "dest" }).code).toBe("ResourceNotFoundException");
    c.call("PutBackupVaultAccessPolicy", { BackupVaultName: "dest", Policy: copyFromProd });
    expect(c.call("GetBackupVaultAccessPolicy", { BackupVaultName: "dest" })).toEqual({
      BackupVaultName: "dest", BackupVaultArn: `arn:aws:backup:eu-west-1:${VAULT_ACCOUNT}:backup-vault:dest`, Policy: copyFromProd,
    });
    c.call("DeleteBackupVaultAccessPolicy", { BackupVaultName: "dest" });
    c.call("DeleteBackupVaultAccessPolicy", { BackupVaultName: "dest" });
    expect(c.fail("GetBackupVaultAccessPolicy", { BackupVaultName: "dest" }).code).toBe("ResourceNotFoundException");
    for (const op of ["PutBackupVaultAccessPolicy", "GetBackupVaultAccessPolicy", "DeleteBackupVaultAccessPolicy"]) {
      expect(c.fail(op, { BackupVaultName: "missing", Policy: copyFromProd }).code, op).toBe("ResourceNotFoundException");
    }
  });

  it("rejects malformed policies with InvalidParameterValueException and a missing one as missing", () => {
    const c = sandboxCaller().as(VAULT_ACCOUNT);
    c.call("CreateBackupVault", { BackupVaultName: "dest" });
    for (const bad of ["{not json", "[]", JSON.stringify({ Version: "2012-10-17" }), JSON.stringify({ Statement: [{ Effect: "Maybe", Action: "*" }] })]) {
      expect(c.fail("PutBackupVaultAccessPolicy", { BackupVaultName: "dest", Policy: bad }).code, bad).toBe("InvalidParameterValueException");
    }
    expect(c.fail("PutBackupVaultAccessPolicy", { BackupVaultName: "dest" }).code).toBe("MissingParameterValueException");
  });

  it("allows the documented forms: account, organization, OU paths, and Deny statements for anyone", () => {
    const c = sandboxCaller().as(VAULT_ACCOUNT);
    c.call("CreateBackupVault", { BackupVaultName: "dest" });
    const allowed = [
      copyFromProd,
      policy({ Effect: "Allow", Principal: "*", Action: "backup:CopyIntoBackupVault", Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } } }),
      policy({ Effect: "Allow", Principal: "*", Action: ["backup:CopyInto*"], Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-prod0001/"] } } }),
      policy({ Effect: "Deny", Principal: "*", Action: ["backup:DeleteBackupVault", "backup:DeleteRecoveryPoint"] }),
      // The owner's own principals may be granted anything.
      policy({ Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${VAULT_ACCOUNT}:role/admin`, VAULT_ACCOUNT] }, Action: "backup:*" }),
      policy({ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "backup:DescribeBackupVault" }),
    ];
    for (const p of allowed) c.call("PutBackupVaultAccessPolicy", { BackupVaultName: "dest", Policy: p });
  });

  it("refuses a cross-account grant of any action other than CopyIntoBackupVault with AccessDenied (403)", () => {
    const c = sandboxCaller().as(VAULT_ACCOUNT);
    c.call("CreateBackupVault", { BackupVaultName: "dest" });
    const refused = [
      policy({ Effect: "Allow", Principal: { AWS: "*" }, Action: "backup:DeleteBackupVaultAccessPolicy" }),
      policy({ Effect: "Allow", Principal: "*", Action: "backup:*" }),
      policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: ["backup:CopyIntoBackupVault", "backup:StartRestoreJob"] }),
      policy({ Effect: "Allow", Principal: { AWS: PROD }, Action: "backup:Copy*" }),
      policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD}:role/copier` }, NotAction: "backup:DeleteBackupVault" }),
      policy({ Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${VAULT_ACCOUNT}:root` }, Action: "backup:ListRecoveryPointsByBackupVault" }),
      policy({ Effect: "Allow", Principal: "*", Action: "*" }),
    ];
    for (const p of refused) {
      const e = c.fail("PutBackupVaultAccessPolicy", { BackupVaultName: "dest", Policy: p });
      expect(e.code, p).toBe("AccessDeniedException");
      expect(e.httpStatus).toBe(403);
      expect(e.message).toContain("cannot be added to the vault due to cross-account sharing restrictions");
    }
    expect(c.fail("GetBackupVaultAccessPolicy", { BackupVaultName: "dest" }).code).toBe("ResourceNotFoundException");
  });
});
