import type { BackupClient } from "@aws-sdk/client-backup";
import type { KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { identityOf } from "../../model/identity.js";
import type { DesiredResource } from "../../model/resource.js";
import { RequestLimiter } from "./limiter.js";
import { creatorRequestId } from "./marks.js";
import { indexDesired, LaneRead } from "./read-context.js";
import { readPlans } from "./read-plans.js";

const ACCOUNT = "444444444444";
const REGION = "eu-west-1";

/**
 * A Backup client with one plan whose ListTags answers only once `release` is called; records the order in which
 * operations were asked for.
 */
function slowTags(planName: string, tags: Record<string, string>, token?: string) {
  const asked: string[] = [];
  let release!: () => void;
  const tagsAnswered = new Promise<void>((r) => (release = r));
  const backup = {
    async send(command: { constructor: { name: string } }): Promise<unknown> {
      const op = command.constructor.name.replace(/Command$/, "");
      asked.push(op);
      switch (op) {
        case "ListBackupPlans":
          return { BackupPlansList: [{ BackupPlanId: "p-1", BackupPlanName: planName, BackupPlanArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:p-1`, VersionId: "v1", ...(token ? { CreatorRequestId: token } : {}) }] };
        case "ListTags":
          await tagsAnswered;
          return { Tags: tags };
        case "GetBackupPlan":
          return { BackupPlan: { BackupPlanName: planName, Rules: [] }, BackupPlanId: "p-1", VersionId: "v1" };
        case "ListBackupSelections":
          return { BackupSelectionsList: [] };
        default:
          throw new Error(`unexpected ${op}`);
      }
    },
  };
  return { backup: backup as unknown as BackupClient, asked, release };
}

function laneFor(backup: BackupClient, desired: DesiredResource[]): LaneRead {
  return new LaneRead("core", ACCOUNT, REGION, indexDesired(desired), backup, {} as KMSClient, new RequestLimiter());
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("readPlans", () => {
  it("asks for a named plan's document while its tags are on their way", async () => {
    const desired = [{
      address: "backup_plan.daily", type: "backup_plan", accountId: ACCOUNT, region: REGION,
      identity: identityOf("backup_plan", { accountId: ACCOUNT, region: REGION, name: "daily" }),
      attributes: { name: "daily" }, dependsOn: [],
    } as unknown as DesiredResource];
    const fake = slowTags("daily", { "crossvault:stack": "core" });
    const read = readPlans(laneFor(fake.backup, desired));
    await settle();
    expect(fake.asked).toEqual(["ListBackupPlans", "GetBackupPlan", "ListTags"]);
    fake.release();
    await read;
    expect(fake.asked).toContain("ListBackupSelections");
  });

  it("reads a plan the config no longer names only once its tags say whose it is", async () => {
    // Created by the stack (its token), its block since deleted, its tags removed by hand: not the stack's now.
    const fake = slowTags("old", { team: "data" }, creatorRequestId("core", "backup_plan.old"));
    const read = readPlans(laneFor(fake.backup, []));
    await settle();
    expect(fake.asked).toEqual(["ListBackupPlans", "ListTags"]);
    fake.release();
    await read;
    expect(fake.asked).toEqual(["ListBackupPlans", "ListTags"]);
  });
});
