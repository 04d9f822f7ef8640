import { describe, expect, it } from "vitest";
import { deriveDesired } from "./derive.js";
import { config, copy, plan, rule, selection, toArn, toVault, vault } from "./derive-fixture.js";
import { selectionAddress } from "./derive-plans.js";

const CENTRAL = "arn:aws:backup:eu-west-1:333333333333:backup-vault:central";
const OTHER = "arn:aws:backup:eu-west-1:333333333333:backup-vault:archive";

function planConfig() {
  const p = plan("daily", "prod", [], { key: "prod", planName: "daily-prod", windowsVss: true, tags: { team: "a" } });
  p.rules.push(
    rule(p.address, "weekly", { kind: "vault_name", name: "existing" }, {
      schedule: "cron(0 3 ? * 1 *)", scheduleTimezone: "Europe/Paris", startWindowMinutes: 60, completionWindowMinutes: 180, enableContinuousBackup: true,
      lifecycle: { address: `${p.address}.rule.weekly.lifecycle`, pos: { file: "p.hcl", line: 9, column: 1 }, deleteAfterDays: 14 },
      recoveryPointTags: { source: "prod" },
      copies: [copy(p.address, "weekly", 0, toVault("central")), copy(p.address, "weekly", 1, toArn(OTHER))],
    }),
    rule(p.address, "nightly", { kind: "vault", name: "local" }, {
      // A lifecycle block that sets nothing is the same as none: AWS returns no Lifecycle.
      lifecycle: { address: `${p.address}.rule.nightly.lifecycle`, pos: { file: "p.hcl", line: 3, column: 1 } },
    }),
  );
  p.selections.push(
    selection(p.address, "tagged", {
      resources: ["arn:aws:rds:*:*:db:*", "arn:aws:ec2:*:*:volume/*"], notResources: ["arn:aws:ec2:*:*:volume/vol-2", "arn:aws:ec2:*:*:volume/vol-1"],
      tags: [{ type: "STRINGEQUALS", key: "b", value: "1" }, { type: "STRINGEQUALS", key: "a", value: "2" }, { type: "STRINGEQUALS", key: "a", value: "1" }],
    }),
  );
  return config({
    vaults: [vault("local", "prod", "222222222222"), vault("central", "vault", "333333333333", { kmsKey: { kind: "kms_key_arn", arn: "arn:aws:kms:eu-west-1:333333333333:key/abc" } })],
    backupPlans: [p],
  });
}

describe("backup_plan [S6]", () => {
  it("sorts rules by name and copy actions by destination, fills AWS's defaults, omits what is absent", () => {
    const { resources } = deriveDesired(planConfig(), undefined);
    const p = resources.find((r) => r.type === "backup_plan")!;
    expect(p).toMatchObject({ address: 'backup_plan.daily["prod"]', accountId: "222222222222", region: "eu-west-1", identity: "backup_plan:222222222222/eu-west-1/daily-prod" });
    expect(p.attributes).toEqual({
      name: "daily-prod",
      windows_vss: true,
      tags: { team: "a" },
      id: { $pending: { address: 'backup_plan.daily["prod"]', attribute: "id" } },
      rules: [
        {
          name: "nightly", target_vault: "local", schedule: "cron(0 5 ? * * *)", start_window_minutes: 480, completion_window_minutes: 10080,
          enable_continuous_backup: false, recovery_point_tags: {}, copy_actions: [],
        },
        {
          name: "weekly", target_vault: "existing", schedule: "cron(0 3 ? * 1 *)", schedule_timezone: "Europe/Paris", start_window_minutes: 60,
          completion_window_minutes: 180, enable_continuous_backup: true, lifecycle: { delete_after_days: 14 }, recovery_point_tags: { source: "prod" },
          copy_actions: [{ destination_vault_arn: OTHER }, { destination_vault_arn: CENTRAL }],
        },
      ],
    });
    expect(p.dependsOn).toEqual(["vault.central", "vault.local", "vault_policy.central"]);
  });

  it("writes an explicit Etc/UTC zone as AWS's default (omitted)", () => {
    const c = planConfig();
    c.backupPlans[0]!.rules[0]!.scheduleTimezone = "Etc/UTC";
    const p = deriveDesired(c, undefined).resources.find((r) => r.type === "backup_plan")!;
    expect((p.attributes.rules as Array<Record<string, unknown>>).every((r) => !("schedule_timezone" in r))).toBe(true);
  });

  it("keeps a copy's lifecycle on its copy action", () => {
    const c = planConfig();
    c.backupPlans[0]!.rules[0]!.copies[0]!.lifecycle = { address: "x", pos: { file: "p.hcl", line: 1, column: 1 }, moveToColdStorageAfterDays: 30, deleteAfterDays: 365 };
    const p = deriveDesired(c, undefined).resources.find((r) => r.type === "backup_plan")!;
    const weekly = (p.attributes.rules as Array<{ name: string; copy_actions: unknown[] }>).find((r) => r.name === "weekly")!;
    expect(weekly.copy_actions).toContainEqual({ destination_vault_arn: CENTRAL, lifecycle: { move_to_cold_storage_after_days: 30, delete_after_days: 365 } });
  });
});

describe("backup_selection", () => {
  it("derives one per selection, after its plan, lists sorted", () => {
    const { resources } = deriveDesired(planConfig(), undefined);
    const s = resources.find((r) => r.type === "backup_selection")!;
    expect(s).toMatchObject({
      address: 'backup_selection.daily["prod"].tagged', identity: "backup_selection:222222222222/eu-west-1/daily-prod/tagged", dependsOn: ['backup_plan.daily["prod"]'],
    });
    expect(s.attributes).toEqual({
      plan_id: { $pending: { address: 'backup_plan.daily["prod"]', attribute: "id" } },
      name: "tagged",
      iam_role_arn: "arn:aws:iam::222222222222:role/backup",
      resources: ["arn:aws:ec2:*:*:volume/*", "arn:aws:rds:*:*:db:*"],
      not_resources: ["arn:aws:ec2:*:*:volume/vol-1", "arn:aws:ec2:*:*:volume/vol-2"],
      tags: [{ type: "STRINGEQUALS", key: "a", value: "1" }, { type: "STRINGEQUALS", key: "a", value: "2" }, { type: "STRINGEQUALS", key: "b", value: "1" }],
    });
  });

  it("addresses selections under the plan's address", () => {
    expect(selectionAddress("backup_plan.daily", "tagged")).toBe("backup_selection.daily.tagged");
    expect(selectionAddress('backup_plan.daily["prod"]', "tagged")).toBe('backup_selection.daily["prod"].tagged');
  });

  it("leaves out a plan whose rule vault is not declared, with an error", () => {
    const p = plan("daily", "prod", []);
    p.rules.push(rule(p.address, "nightly", { kind: "vault", name: "missing" }));
    p.selections.push(selection(p.address, "all"));
    const { resources, diagnostics } = deriveDesired(config({ backupPlans: [p] }), undefined);
    expect(resources.filter((r) => r.type === "backup_plan" || r.type === "backup_selection")).toEqual([]);
    expect(diagnostics).toMatchObject([{ severity: "error", code: "unresolved-reference", address: "backup_plan.daily.rule.nightly" }]);
  });
});
