import type { BackupClient } from "@aws-sdk/client-backup";
import type { KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { asAttributes } from "../../model/attributes.js";
import { identityOf } from "../../model/identity.js";
import { attributesHash, ownershipTags, PLAN_VERSION_TAG } from "../../model/ownership.js";
import type { DesiredResource } from "../../model/resource.js";
import { RequestLimiter } from "./limiter.js";
import { creatorRequestId } from "./marks.js";
import { indexDesired, LaneRead } from "./read-context.js";
import { readPlans } from "./read-plans.js";
import { planAttributes } from "./shapes.js";

const STACK = "core";
const ACCOUNT = "444444444444";
const REGION = "eu-west-1";
const ADDRESS = "backup_plan.daily";
const rule = {
  RuleName: "daily", TargetBackupVaultName: "local", ScheduleExpression: "cron(0 5 * * ? *)", StartWindowMinutes: 60, CompletionWindowMinutes: 180,
  Lifecycle: { DeleteAfterDays: 35 },
};
const document = { BackupPlanName: "daily", Rules: [rule] };
/** The attributes the stack applied: what the reader makes of the document it wrote. */
const applied = planAttributes(document, "p-1", { team: "data" });

interface World { name: string; tags: Record<string, string>; version: string; token?: string; selections?: Array<{ SelectionId: string; SelectionName: string; CreatorRequestId?: string }> }

/** A Backup client holding one plan, recording the operations it was asked for. */
function fakeBackup(world: World) {
  const asked: string[] = [];
  const backup = {
    async send(command: { constructor: { name: string } }): Promise<unknown> {
      const op = command.constructor.name.replace(/Command$/, "");
      asked.push(op);
      switch (op) {
        case "ListBackupPlans":
          return { BackupPlansList: [{ BackupPlanId: "p-1", BackupPlanName: world.name, BackupPlanArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:p-1`, VersionId: world.version, ...(world.token ? { CreatorRequestId: world.token } : {}) }] };
        case "ListTags":
          return { Tags: world.tags };
        case "GetBackupPlan":
          return { BackupPlan: { ...document, BackupPlanName: world.name }, BackupPlanId: "p-1", VersionId: world.version };
        case "ListBackupSelections":
          return { BackupSelectionsList: world.selections ?? [] };
        case "GetBackupSelection": {
          const sel = (world.selections ?? []).find((x) => x.SelectionId === (command as unknown as { input: { SelectionId: string } }).input.SelectionId);
          return { BackupSelection: { SelectionName: sel?.SelectionName, IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`, Resources: ["*"] }, SelectionId: sel?.SelectionId, CreatorRequestId: sel?.CreatorRequestId };
        }
        default:
          throw new Error(`unexpected ${op}`);
      }
    },
  };
  return { backup: backup as unknown as BackupClient, asked };
}

function desiredPlan(attributes: object): DesiredResource {
  return {
    address: ADDRESS, type: "backup_plan", accountId: ACCOUNT, region: REGION,
    identity: identityOf("backup_plan", { accountId: ACCOUNT, region: REGION, name: "daily" }), attributes: asAttributes(attributes), dependsOn: [],
  } as unknown as DesiredResource;
}

async function read(world: World, desired: DesiredResource[]) {
  const fake = fakeBackup(world);
  const lane = new LaneRead(STACK, ACCOUNT, REGION, indexDesired(desired), fake.backup, {} as KMSClient, new RequestLimiter());
  await readPlans(lane);
  return { asked: fake.asked, plan: lane.resources.find((x) => x.type === "backup_plan"), selections: lane.resources.filter((x) => x.type === "backup_selection") };
}

/** The tags the stack's write leaves: user tags, ownership with the applied hash, and the version it produced. */
const written = (version: string): Record<string, string> => ({ team: "data", ...ownershipTags(STACK, ADDRESS, applied), [PLAN_VERSION_TAG]: version });
const { id: _id, tags: _tags, ...configured } = applied;

describe("readPlans", () => {
  it("does not read the document of a plan still at the version the stack wrote, whose applied hash the config matches", async () => {
    const { asked, plan } = await read({ name: "daily", tags: written("v1"), version: "v1" }, [desiredPlan({ ...configured, tags: { team: "data" } })]);
    expect(asked).toEqual(["ListBackupPlans", "ListTags", "ListBackupSelections"]);
    // What it makes of the plan is what reading the document gives: no change, no drift.
    expect(attributesHash(plan!.attributes)).toBe(attributesHash(applied));
    expect(plan!.appliedHash).toBe(attributesHash(applied));
  });

  it("reads the document when the plan has another version (changed behind the stack's back)", async () => {
    const { asked } = await read({ name: "daily", tags: written("v1"), version: "v2" }, [desiredPlan({ ...configured, tags: { team: "data" } })]);
    expect(asked).toEqual(["ListBackupPlans", "ListTags", "GetBackupPlan", "ListBackupSelections"]);
  });

  it("reads the document when the config no longer matches what was applied, or the tags were changed", async () => {
    const edited = await read({ name: "daily", tags: written("v1"), version: "v1" }, [desiredPlan({ ...configured, windows_vss: true, tags: { team: "data" } })]);
    expect(edited.asked).toContain("GetBackupPlan");
    const retagged = await read({ name: "daily", tags: { ...written("v1"), team: "ops" }, version: "v1" }, [desiredPlan({ ...configured, tags: { team: "data" } })]);
    expect(retagged.asked).toContain("GetBackupPlan");
    expect(retagged.plan!.attributes.tags).toEqual({ team: "ops" });
  });

  it("reads a plan the config no longer names only once its tags say whose it is", async () => {
    // Created by the stack (its token), its block since deleted, its tags removed by hand: not the stack's now.
    const { asked, plan } = await read({ name: "old", tags: { team: "data" }, version: "v1", token: creatorRequestId(STACK, "backup_plan.old") }, []);
    expect(asked).toEqual(["ListBackupPlans", "ListTags"]);
    expect(plan).toBeUndefined();
  });
});

describe("readPlans: selections in a plan of the stack", () => {
  const desiredSelection: DesiredResource = {
    address: `${ADDRESS}.selection.tables`, type: "backup_selection", accountId: ACCOUNT, region: REGION,
    identity: identityOf("backup_selection", { accountId: ACCOUNT, region: REGION, plan: "daily", name: "tables" }),
    attributes: asAttributes({ name: "tables", iam_role_arn: `arn:aws:iam::${ACCOUNT}:role/backup`, resources: ["*"] }), dependsOn: [ADDRESS],
  } as unknown as DesiredResource;

  it("reads the stack's and the named ones, and only names someone else's on the plan (never a resource to delete)", async () => {
    const selections = [
      { SelectionId: "s-ours", SelectionName: "old-one", CreatorRequestId: creatorRequestId(STACK, `${ADDRESS}.selection.old-one`, "h") },
      { SelectionId: "s-named", SelectionName: "tables" },
      { SelectionId: "s-theirs", SelectionName: "audit-team", CreatorRequestId: "console-1234" },
      { SelectionId: "s-other-stack", SelectionName: "shared", CreatorRequestId: creatorRequestId("core-x", "backup_plan.x.selection.shared", "h") },
    ];
    const { plan, selections: found } = await read({ name: "daily", tags: written("v1"), version: "v1", selections }, [desiredPlan(configured), desiredSelection]);
    expect(found.map((x) => `${x.id}:${x.ownership}`).sort()).toEqual(["s-named:ours", "s-ours:ours"]);
    expect(plan?.facts?.foreignSelections).toEqual(["audit-team", "shared"]);
  });
});
