import { describe, expect, it } from "vitest";
import { T0, sandboxCaller } from "./resource-test-context.js";

const DAY = 86_400_000;

describe("Backup Vault Lock", () => {
  it("a lock without ChangeableForDays is governance mode: shown as Locked, changeable and deletable at any time", () => {
    const c = sandboxCaller();
    c.call("CreateBackupVault", { BackupVaultName: "gov" });
    c.call("PutBackupVaultLockConfiguration", { BackupVaultName: "gov", MinRetentionDays: 7, MaxRetentionDays: 365 });
    const d = c.call("DescribeBackupVault", { BackupVaultName: "gov" });
    expect(d).toMatchObject({ Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 });
    expect(d.LockDate).toBeUndefined();
    const later = c.at(T0 + 1000 * DAY);
    later.call("PutBackupVaultLockConfiguration", { BackupVaultName: "gov", MinRetentionDays: 30 });
    expect(later.call("DescribeBackupVault", { BackupVaultName: "gov" })).toMatchObject({ Locked: true, MinRetentionDays: 30 });
    later.call("DeleteBackupVaultLockConfiguration", { BackupVaultName: "gov" });
    expect(later.call("DescribeBackupVault", { BackupVaultName: "gov" }).Locked).toBe(false);
  });

  it("ChangeableForDays sets the LockDate; before it the lock can change, from it on it cannot", () => {
    const c = sandboxCaller();
    c.call("CreateBackupVault", { BackupVaultName: "comp" });
    c.call("PutBackupVaultLockConfiguration", { BackupVaultName: "comp", MinRetentionDays: 1, ChangeableForDays: 3 });
    expect(c.call("DescribeBackupVault", { BackupVaultName: "comp" }).LockDate).toEqual(new Date(T0 + 3 * DAY));
    const before = c.at(T0 + 3 * DAY - 1);
    before.call("PutBackupVaultLockConfiguration", { BackupVaultName: "comp", MinRetentionDays: 2, ChangeableForDays: 3 });
    const lockDate = T0 + 3 * DAY - 1 + 3 * DAY;
    expect(c.call("DescribeBackupVault", { BackupVaultName: "comp" }).LockDate).toEqual(new Date(lockDate));
    const after = c.at(lockDate);
    expect(after.fail("DeleteBackupVaultLockConfiguration", { BackupVaultName: "comp" }).code).toBe("InvalidRequestException");
    expect(after.fail("PutBackupVaultLockConfiguration", { BackupVaultName: "comp", MinRetentionDays: 5 }).code).toBe("InvalidRequestException");
    expect(after.call("DescribeBackupVault", { BackupVaultName: "comp" })).toMatchObject({ Locked: true, MinRetentionDays: 2 });
  });

  it("rejects bad values: ChangeableForDays under 3, Min above Max, out-of-range days", () => {
    const c = sandboxCaller();
    c.call("CreateBackupVault", { BackupVaultName: "v1" });
    for (const input of [{ ChangeableForDays: 2 }, { MinRetentionDays: 10, MaxRetentionDays: 5 }, { MinRetentionDays: 0 }, { MaxRetentionDays: 36_501 }, { MinRetentionDays: 1.5 }]) {
      expect(c.fail("PutBackupVaultLockConfiguration", { BackupVaultName: "v1", ...input }).code, JSON.stringify(input)).toBe("InvalidParameterValueException");
    }
    expect(c.call("DescribeBackupVault", { BackupVaultName: "v1" }).Locked).toBe(false);
    expect(c.fail("PutBackupVaultLockConfiguration", { BackupVaultName: "nope", MinRetentionDays: 1 }).code).toBe("ResourceNotFoundException");
    expect(c.fail("DeleteBackupVaultLockConfiguration", { BackupVaultName: "nope" }).code).toBe("ResourceNotFoundException");
  });
});
