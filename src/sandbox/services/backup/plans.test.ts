import { describe, expect, it } from "vitest";
import { PROD, REGION, T0, VAULT_ACCOUNT, sandboxCaller } from "./resource-test-context.js";

const dest = `arn:aws:backup:us-east-1:${VAULT_ACCOUNT}:backup-vault:central`;

function plan(over: Record<string, unknown> = {}, rule: Record<string, unknown> = {}) {
  return { BackupPlanName: "daily", Rules: [{ RuleName: "daily", TargetBackupVaultName: "local", ...rule }], ...over };
}

function setUp() {
  const c = sandboxCaller();
  c.call("CreateBackupVault", { BackupVaultName: "local" });
  return c;
}

describe("CreateBackupPlan", () => {
  it("creates a plan with a UUID id, the backup-plan ARN, a VersionId, rule ids and AWS's read-back defaults", () => {
    const c = setUp();
    const out = c.call("CreateBackupPlan", {
      BackupPlan: plan({ AdvancedBackupSettings: [{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "enabled" } }] }, {
        Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
        CopyActions: [{ DestinationBackupVaultArn: dest, Lifecycle: { DeleteAfterDays: 365 } }],
        RecoveryPointTags: { source: "prod" },
      }),
      BackupPlanTags: { stack: "crossvault" },
    });
    expect(out.BackupPlanId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.BackupPlanArn).toBe(`arn:aws:backup:${REGION}:${PROD}:backup-plan:${out.BackupPlanId}`);
    expect(out.CreationDate).toEqual(new Date(T0));
    expect(typeof out.VersionId).toBe("string");
    expect(out.AdvancedBackupSettings).toEqual([{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "enabled" } }]);
    const got = c.call("GetBackupPlan", { BackupPlanId: out.BackupPlanId });
    expect(got.VersionId).toBe(out.VersionId);
    const rule = got.BackupPlan.Rules[0];
    expect(rule).toMatchObject({
      RuleName: "daily", TargetBackupVaultName: "local", ScheduleExpression: "cron(0 5 ? * * *)", ScheduleExpressionTimezone: "Etc/UTC",
      StartWindowMinutes: 480, CompletionWindowMinutes: 10080, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
      CopyActions: [{ DestinationBackupVaultArn: dest, Lifecycle: { DeleteAfterDays: 365 } }], RecoveryPointTags: { source: "prod" },
    });
    expect(rule.RuleId).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.call("ListTags", { ResourceArn: out.BackupPlanArn }).Tags).toEqual({ stack: "crossvault" });
  });

  it("names are not unique, but the same document is AlreadyExists; a repeated CreatorRequestId returns the plan", () => {
    const c = setUp();
    const first = c.call("CreateBackupPlan", { BackupPlan: plan(), CreatorRequestId: "req-1" });
    expect(c.call("CreateBackupPlan", { BackupPlan: plan({}, { ScheduleExpression: "cron(0 6 ? * * *)" }), CreatorRequestId: "req-1" })).toEqual(first);
    const e = c.fail("CreateBackupPlan", { BackupPlan: plan({}, { StartWindowMinutes: 480 }) });
    expect(e.code).toBe("AlreadyExistsException");
    expect(e.message).toBe("Backup plan with the same plan document already exists");
    expect(e.fields).toMatchObject({ Arn: first.BackupPlanArn, CreatorRequestId: "req-1" });
    const second = c.call("CreateBackupPlan", { BackupPlan: plan({}, { ScheduleExpression: "cron(0 6 ? * * *)" }) });
    expect(second.BackupPlanId).not.toBe(first.BackupPlanId);
    expect(c.call("ListBackupPlans").BackupPlansList.map((p: any) => p.BackupPlanName)).toEqual(["daily", "daily"]);
  });

  it("enforces [C5] on rules and copy actions, with AWS's message", () => {
    const c = setUp();
    const message = "Error in rule daily : Invalid lifecycle. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays";
    for (const rule of [
      { Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 119 } },
      { Lifecycle: { MoveToColdStorageAfterDays: 0, DeleteAfterDays: 30 } },
      { CopyActions: [{ DestinationBackupVaultArn: dest, Lifecycle: { MoveToColdStorageAfterDays: 10, DeleteAfterDays: 50 } }] },
    ]) {
      const e = c.fail("CreateBackupPlan", { BackupPlan: plan({}, rule) });
      expect(e.code, JSON.stringify(rule)).toBe("InvalidParameterValueException");
      expect(e.message).toBe(message);
    }
    for (const ok of [{ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 }, { MoveToColdStorageAfterDays: 30 }, { MoveToColdStorageAfterDays: -1, DeleteAfterDays: -1 }, { DeleteAfterDays: 7 }]) {
      c.call("CreateBackupPlan", { BackupPlan: plan({ BackupPlanName: `p${JSON.stringify(ok).length}${ok.DeleteAfterDays ?? "x"}` }, { Lifecycle: ok }) });
    }
  });

  it("refuses cold storage and long retention for continuous backups", () => {
    const c = setUp();
    const e = c.fail("CreateBackupPlan", { BackupPlan: plan({}, { EnableContinuousBackup: true, Lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 100 } }) });
    expect(e.message).toBe("Error in rule daily : Invalid lifecycle. MoveToColdStorageAfterDays is unavailable");
    expect(e.fields.Code).toBe("ERROR_3015");
    expect(c.fail("CreateBackupPlan", { BackupPlan: plan({}, { EnableContinuousBackup: true, Lifecycle: { DeleteAfterDays: 36 } }) }).code).toBe("InvalidParameterValueException");
    c.call("CreateBackupPlan", { BackupPlan: plan({}, { EnableContinuousBackup: true, Lifecycle: { DeleteAfterDays: 35 } }) });
  });

  it("checks vaults, names, schedules, windows, copy destinations and advanced settings", () => {
    const c = setUp();
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{}, { TargetBackupVaultName: "missing" }],
      [{}, { TargetBackupVaultName: "bad name" }],
      [{}, { RuleName: "no spaces allowed" }],
      [{}, { ScheduleExpression: "rate(1 day)" }],
      [{}, { ScheduleExpressionTimezone: "Mars/Olympus" }],
      [{}, { StartWindowMinutes: 30 }],
      [{}, { StartWindowMinutes: 60, CompletionWindowMinutes: 100 }],
      [{}, { CopyActions: [{ DestinationBackupVaultArn: "arn:aws:s3:::bucket" }] }],
      [{}, { IndexActions: [{ ResourceTypes: ["EBS"] }, { ResourceTypes: ["S3"] }] }],
      [{ BackupPlanName: "has space" }, {}],
      [{ AdvancedBackupSettings: [{ ResourceType: "RDS", BackupOptions: { WindowsVSS: "enabled" } }] }, {}],
      [{ AdvancedBackupSettings: [{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "on" } }] }, {}],
      [{ Rules: [] }, {}],
      [{ Rules: [{ RuleName: "r", TargetBackupVaultName: "local" }, { RuleName: "r", TargetBackupVaultName: "local" }] }, {}],
    ];
    for (const [over, rule] of cases) {
      expect(c.fail("CreateBackupPlan", { BackupPlan: plan(over, rule) }).code, JSON.stringify([over, rule])).toBe("InvalidParameterValueException");
    }
    expect(c.fail("CreateBackupPlan", {}).code).toBe("MissingParameterValueException");
    expect(c.call("ListBackupPlans").BackupPlansList).toEqual([]);
    // Any account and Region is accepted as a copy destination at create time.
    c.call("CreateBackupPlan", { BackupPlan: plan({}, { CopyActions: [{ DestinationBackupVaultArn: "arn:aws:backup:ap-south-1:999999999999:backup-vault:Default" }] }) });
  });
});

describe("UpdateBackupPlan, GetBackupPlan, versions", () => {
  it("each update is a new version; older versions stay readable and listed; rule ids survive by name", () => {
    const c = setUp();
    const created = c.call("CreateBackupPlan", { BackupPlan: plan() });
    const v1 = c.call("GetBackupPlan", { BackupPlanId: created.BackupPlanId });
    const later = c.at(T0 + 60_000);
    const updated = later.call("UpdateBackupPlan", { BackupPlanId: created.BackupPlanId, BackupPlan: plan({ BackupPlanName: "renamed" }, { ScheduleExpression: "cron(0 7 ? * * *)" }) });
    expect(updated.BackupPlanId).toBe(created.BackupPlanId);
    expect(updated.BackupPlanArn).toBe(created.BackupPlanArn);
    expect(updated.VersionId).not.toBe(created.VersionId);
    const v2 = later.call("GetBackupPlan", { BackupPlanId: created.BackupPlanId });
    expect(v2.BackupPlan.BackupPlanName).toBe("renamed");
    expect(v2.BackupPlan.Rules[0].RuleId).toBe(v1.BackupPlan.Rules[0].RuleId);
    expect(later.call("GetBackupPlan", { BackupPlanId: created.BackupPlanId, VersionId: created.VersionId }).BackupPlan.BackupPlanName).toBe("daily");
    expect(later.fail("GetBackupPlan", { BackupPlanId: created.BackupPlanId, VersionId: "nope" }).code).toBe("ResourceNotFoundException");
    const versions = later.call("ListBackupPlanVersions", { BackupPlanId: created.BackupPlanId }).BackupPlanVersionsList;
    expect(versions.map((v: any) => [v.VersionId, v.BackupPlanName])).toEqual([[updated.VersionId, "renamed"], [created.VersionId, "daily"]]);
    expect(later.fail("UpdateBackupPlan", { BackupPlanId: "00000000-0000-4000-8000-000000000000", BackupPlan: plan() }).code).toBe("ResourceNotFoundException");
    expect(later.fail("UpdateBackupPlan", { BackupPlanId: created.BackupPlanId, BackupPlan: plan({}, { Lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 2 } }) }).code).toBe("InvalidParameterValueException");
  });
});

describe("DeleteBackupPlan and ListBackupPlans", () => {
  it("refuses while selections exist, then deletes; deleted plans show only with IncludeDeleted", () => {
    const c = setUp();
    const p = c.call("CreateBackupPlan", { BackupPlan: plan() });
    const sel = c.call("CreateBackupSelection", { BackupPlanId: p.BackupPlanId, BackupSelection: { SelectionName: "all", IamRoleArn: `arn:aws:iam::${PROD}:role/backup`, Resources: ["*"] } });
    const e = c.fail("DeleteBackupPlan", { BackupPlanId: p.BackupPlanId });
    expect(e.code).toBe("InvalidRequestException");
    expect(e.message).toBe("Related backup plan selections must be deleted prior to backup plan deletion");
    c.call("DeleteBackupSelection", { BackupPlanId: p.BackupPlanId, SelectionId: sel.SelectionId });
    const later = c.at(T0 + 1000);
    const deleted = later.call("DeleteBackupPlan", { BackupPlanId: p.BackupPlanId });
    expect(deleted).toEqual({ BackupPlanId: p.BackupPlanId, BackupPlanArn: p.BackupPlanArn, DeletionDate: new Date(T0 + 1000), VersionId: p.VersionId });
    expect(later.fail("GetBackupPlan", { BackupPlanId: p.BackupPlanId }).code).toBe("ResourceNotFoundException");
    expect(later.call("GetBackupPlan", { BackupPlanId: p.BackupPlanId, VersionId: p.VersionId }).DeletionDate).toEqual(new Date(T0 + 1000));
    expect(later.fail("DeleteBackupPlan", { BackupPlanId: p.BackupPlanId }).code).toBe("ResourceNotFoundException");
    expect(later.call("ListBackupPlans").BackupPlansList).toEqual([]);
    const all = later.call("ListBackupPlans", { IncludeDeleted: true }).BackupPlansList;
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ BackupPlanId: p.BackupPlanId, DeletionDate: new Date(T0 + 1000), VersionId: p.VersionId });
    // The same document may be created again once its twin is deleted.
    later.call("CreateBackupPlan", { BackupPlan: plan() });
  });

  it("pages through plans", () => {
    const c = setUp();
    for (let i = 0; i < 5; i++) c.at(T0 + i).call("CreateBackupPlan", { BackupPlan: plan({ BackupPlanName: `p${i}` }) });
    const first = c.call("ListBackupPlans", { MaxResults: 2 });
    expect(first.BackupPlansList.map((p: any) => p.BackupPlanName)).toEqual(["p0", "p1"]);
    const rest = c.call("ListBackupPlans", { MaxResults: 10, NextToken: first.NextToken });
    expect(rest.BackupPlansList.map((p: any) => p.BackupPlanName)).toEqual(["p2", "p3", "p4"]);
    expect(rest.NextToken).toBeUndefined();
  });
});
