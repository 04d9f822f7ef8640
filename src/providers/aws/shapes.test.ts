import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BackupPlan, BackupSelection } from "@aws-sdk/client-backup";
import type { BackupPlanAttributes, BackupRuleAttributes, BackupSelectionAttributes } from "../../model/attributes.js";
import { ADDRESS_TAG, APPLIED_HASH_TAG, STACK_TAG } from "../../model/ownership.js";
import { planAttributes, planInput, selectionAttributes, selectionInput, vaultAttributes, vaultLockAttributes } from "./shapes.js";

const tagMap = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 });
const lifecycle = fc.option(
  fc.record({ move_to_cold_storage_after_days: fc.integer({ min: 1, max: 100 }), delete_after_days: fc.integer({ min: 200, max: 400 }) }, { requiredKeys: ["delete_after_days"] }),
  { nil: undefined },
);
const arn = fc.stringMatching(/^[a-z]{1,8}$/).map((n) => `arn:aws:backup:eu-west-1:333333333333:backup-vault:${n}`);

const rule: fc.Arbitrary<BackupRuleAttributes> = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    target_vault: fc.stringMatching(/^[a-z]{2,8}$/),
    schedule: fc.constantFrom("cron(0 5 ? * * *)", "cron(0 1 ? * SUN *)"),
    schedule_timezone: fc.option(fc.constantFrom("Europe/Paris", "America/New_York"), { nil: undefined }),
    start_window_minutes: fc.integer({ min: 60, max: 600 }),
    completion_window_minutes: fc.integer({ min: 700, max: 20000 }),
    enable_continuous_backup: fc.boolean(),
    lifecycle,
    recovery_point_tags: tagMap,
    copy_actions: fc.uniqueArray(fc.record({ destination_vault_arn: arn, lifecycle }), { selector: (c) => c.destination_vault_arn, maxLength: 3 }),
  })
  .map((r) => {
    const out = { ...r, copy_actions: r.copy_actions.map((c) => (c.lifecycle ? c : { destination_vault_arn: c.destination_vault_arn })).sort((a, b) => (a.destination_vault_arn < b.destination_vault_arn ? -1 : 1)) };
    if (out.schedule_timezone === undefined) delete out.schedule_timezone;
    if (out.lifecycle === undefined) delete out.lifecycle;
    return out as BackupRuleAttributes;
  });

const plan: fc.Arbitrary<BackupPlanAttributes> = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  windows_vss: fc.boolean(),
  rules: fc.uniqueArray(rule, { selector: (r) => r.name, minLength: 1, maxLength: 3 }).map((rs) => rs.sort((a, b) => (a.name < b.name ? -1 : 1))),
  tags: tagMap,
  id: fc.uuid(),
});

/** What AWS stores and returns for a plan input: the defaults it fills in, rule ids added. */
function asAwsReturnsIt(input: ReturnType<typeof planInput>): BackupPlan {
  return {
    ...input,
    Rules: input.Rules!.map((r, i) => ({
      ...r,
      ScheduleExpressionTimezone: r.ScheduleExpressionTimezone ?? "Etc/UTC",
      StartWindowMinutes: r.StartWindowMinutes ?? 480,
      CompletionWindowMinutes: r.CompletionWindowMinutes ?? 10080,
      RuleId: `rule-${i}`,
    })),
  } as BackupPlan;
}

describe("backup plan normal form", () => {
  it("reads back as the attributes it was written from (property)", () => {
    fc.assert(fc.property(plan, (a) => {
      expect(planAttributes(asAwsReturnsIt(planInput(a)), a.id as string, a.tags)).toEqual(a);
    }));
  });

  it("folds in AWS's defaults and leaves out what is not set", () => {
    const read = planAttributes({ BackupPlanName: "p", Rules: [{ RuleName: "b", TargetBackupVaultName: "v", ScheduleExpressionTimezone: "Etc/UTC" }, { RuleName: "a", TargetBackupVaultName: "v", Lifecycle: {} }] }, "id-1", {
      team: "x", [STACK_TAG]: "core", [ADDRESS_TAG]: "backup_plan.p", [APPLIED_HASH_TAG]: "h",
    });
    expect(read.rules.map((r) => r.name)).toEqual(["a", "b"]);
    expect(read.rules[1]).toEqual({
      name: "b", target_vault: "v", schedule: "cron(0 5 ? * * *)", start_window_minutes: 480, completion_window_minutes: 10080,
      enable_continuous_backup: false, recovery_point_tags: {}, copy_actions: [],
    });
    expect(read.rules[0]!.lifecycle).toBeUndefined();
    expect(read.tags).toEqual({ team: "x" });
    expect(read.windows_vss).toBe(false);
  });

  it("never sends an empty lifecycle or an explicit zero for cold storage it was not given", () => {
    const input = planInput({ name: "p", windows_vss: true, tags: {}, id: "x", rules: [{ name: "r", target_vault: "v", schedule: "cron(0 5 ? * * *)", start_window_minutes: 480, completion_window_minutes: 10080, enable_continuous_backup: false, lifecycle: { delete_after_days: 7 }, recovery_point_tags: {}, copy_actions: [] }] });
    expect(input.Rules![0]!.Lifecycle).toEqual({ DeleteAfterDays: 7 });
    expect(input.Rules![0]).not.toHaveProperty("RecoveryPointTags");
    expect(input.Rules![0]).not.toHaveProperty("CopyActions");
    expect(input.AdvancedBackupSettings).toEqual([{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "enabled" } }]);
  });
});

describe("backup selection normal form", () => {
  it("sorts resources and tag conditions, and round-trips", () => {
    const aws: BackupSelection = {
      SelectionName: "s", IamRoleArn: "arn:aws:iam::1:role/r", Resources: ["arn:b", "arn:a"],
      ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "z", ConditionValue: "1" }, { ConditionType: "STRINGEQUALS", ConditionKey: "a", ConditionValue: "2" }],
    };
    const a = selectionAttributes(aws, "plan-1");
    expect(a).toEqual({
      plan_id: "plan-1", name: "s", iam_role_arn: "arn:aws:iam::1:role/r", resources: ["arn:a", "arn:b"], not_resources: [],
      tags: [{ type: "STRINGEQUALS", key: "a", value: "2" }, { type: "STRINGEQUALS", key: "z", value: "1" }],
    } satisfies BackupSelectionAttributes);
    expect(selectionAttributes(selectionInput(a), "plan-1")).toEqual(a);
    expect(selectionInput({ ...a, resources: [], tags: [] })).toEqual({ SelectionName: "s", IamRoleArn: "arn:aws:iam::1:role/r" });
  });
});

describe("vault normal form", () => {
  it("keeps user tags only and reports a lock only when there is one", () => {
    const v = { BackupVaultName: "c", BackupVaultArn: "arn:c", EncryptionKeyArn: "arn:k", Locked: false };
    expect(vaultAttributes(v, { b: "2", a: "1", [STACK_TAG]: "core" })).toEqual({ name: "c", encryption_key_arn: "arn:k", tags: { a: "1", b: "2" }, arn: "arn:c" });
    expect(vaultLockAttributes(v)).toBeUndefined();
    expect(vaultLockAttributes({ ...v, Locked: true, MinRetentionDays: 7, LockDate: new Date(0) })).toEqual({ vault_name: "c", min_retention_days: 7 });
  });
});
