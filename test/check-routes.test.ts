// End to end, the real CLI against the sandbox: for each rule of the copy-route check, something that breaks a
// working route (a change made behind crossvault's back through the SDK, or a configuration); `check --live`
// names the rule (and the deciding policy and statement), and the sandbox's copy job over the same route fails
// for the same reason (its StatusMessage). Then the repair (`apply`, or undoing a foreign change): `check --live`
// passes and the copy job completes. The sandbox decides copy jobs from its own state with its own request
// context; the check predicts them from what it reads: every case below is a place where the two must agree.
import {
  BackupClient, CreateBackupVaultCommand, DeleteBackupVaultAccessPolicyCommand, GetBackupPlanCommand, GetBackupVaultAccessPolicyCommand,
  ListBackupPlansCommand, ListCopyJobsCommand, PutBackupVaultAccessPolicyCommand, PutBackupVaultLockConfigurationCommand,
  UntagResourceCommand, UpdateBackupPlanCommand, UpdateGlobalSettingsCommand, type BackupPlanInput,
} from "@aws-sdk/client-backup";
import { DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  AttachPolicyCommand, CreatePolicyCommand, DeletePolicyCommand, DetachPolicyCommand, DisableAWSServiceAccessCommand, OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MGMT, PROD, REGION, startEngineWorld, VAULT, writeConfig, type EngineWorld } from "./engine-cli-support.js";

const STACK = "rc";
const SID = "Crossvault2xrc";
const OUTSIDE = "999999999999";
const OU_PROD = "ou-a1b2-prod0001";
const OU_WORK = "ou-a1b2-work0001";
const ORG_PATH_WORK = `o-a1b2c3d4e5/r-a1b2/${OU_WORK}/`;
const CENTRAL = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:rc-central`;
const ROUTE = `${PROD}/${REGION}/rc-local -> ${VAULT}/${REGION}/rc-central`;
const EBS_ROUTE = (vault: string) => `${PROD}/${REGION}/${vault} -> ${VAULT}/${REGION}/rc-central`;

/** The working configuration; `ebs` adds an EBS plan whose source vault is `ebs` (and keeps rc-ebs-aws declared). */
function config(ebs?: "rc-ebs-aws" | "rc-ebs-cmk"): Record<string, string> {
  const files: Record<string, string> = {
    "main.hcl": `
crossvault {
  stack              = "${STACK}"
  management_account = account.management
  default_region     = "${REGION}"
}
account "management" { id = "${MGMT}" }
account "prod"       { id = "${PROD}" }
account "vault"      { id = "${VAULT}" }
organization { cross_account_backup = true }
kms_key "central" {
  account = account.vault
  alias   = "alias/rc-central"
}
kms_key "prod" {
  account = account.prod
  alias   = "alias/rc-prod"
}
vault "central" {
  account = account.vault
  name    = "rc-central"
  kms_key = kms_key.central
  tags    = { DestinationBackupVault = "true" }
}
vault "local" {
  account = account.prod
  name    = "rc-local"
  kms_key = kms_key.prod
}
backup_plan "prod" {
  account = account.prod
  rule "nightly" {
    vault = vault.local
    lifecycle { delete_after_days = 35 }
    copy { to = vault.central }
  }
  selection "tables" {
    iam_role_arn = "arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:dynamodb:${REGION}:${PROD}:table/orders"]
  }
}
`,
  };
  if (ebs) {
    files["ebs.hcl"] = `
vault "ebs_aws" {
  account = account.prod
  name    = "rc-ebs-aws"
}
vault "ebs_cmk" {
  account = account.prod
  name    = "rc-ebs-cmk"
  kms_key = kms_key.prod
}
backup_plan "ebs" {
  account = account.prod
  rule "nightly" {
    vault = vault.${ebs === "rc-ebs-aws" ? "ebs_aws" : "ebs_cmk"}
    lifecycle { delete_after_days = 35 }
    copy { to = vault.central }
  }
  selection "volumes" {
    iam_role_arn = "arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:ec2:${REGION}:${PROD}:volume/vol-0123456789abcdef0"]
  }
}
`;
  }
  return files;
}

interface Failure { rule: string; message: string; policy?: string; statement?: string; fix: string; when?: string }
interface CheckedRoute { id: string; status: string; failures: Failure[]; warnings: Failure[] }

describe("check --live and the sandbox's copy jobs agree, rule by rule", () => {
  let w: EngineWorld;
  let dir: string;
  let org: OrganizationsClient;

  beforeAll(async () => {
    w = await startEngineWorld();
    org = new OrganizationsClient({ region: "us-east-1", endpoint: w.sandbox.url, credentials: { accessKeyId: "AKIASANDBOX111111111", secretAccessKey: "sandbox" } });
    dir = writeConfig(w, "stack", config());
  }, 60_000);
  afterAll(async () => {
    org?.destroy();
    await w?.stop();
  });

  async function check(args: string[] = ["--live"], at = dir): Promise<{ code: number | null; routes: CheckedRoute[]; stderr: string }> {
    const r = await w.cli(["check", at, "--json", ...args]);
    expect(r.stderr).not.toMatch(/Internal error/);
    return { code: r.code, routes: (JSON.parse(r.stdout) as { routes: CheckedRoute[] }).routes, stderr: r.stderr };
  }

  async function route(id = ROUTE, args?: string[]): Promise<CheckedRoute & { code: number | null }> {
    const c = await check(args);
    const found = c.routes.find((r) => r.id === id);
    if (!found) throw new Error(`no route ${id} in ${JSON.stringify(c.routes.map((r) => r.id))}`);
    return { ...found, code: c.code };
  }

  /** Runs every plan now and waits for the new copy job out of `sourceVault` to end. */
  async function copyJob(sourceVault = "rc-local"): Promise<{ state: string; message: string }> {
    const backup = w.backup(PROD);
    const list = async () => (await backup.send(new ListCopyJobsCommand({}))).CopyJobs ?? [];
    const before = new Set((await list()).map((j) => j.CopyJobId));
    await w.control("run-due-plans");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const mine = (await list()).filter((j) => !before.has(j.CopyJobId) && j.SourceBackupVaultArn?.endsWith(`:backup-vault:${sourceVault}`));
      const ended = mine.find((j) => j.State === "COMPLETED" || j.State === "FAILED");
      if (ended) return { state: ended.State!, message: ended.StatusMessage ?? "" };
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`no copy job out of ${sourceVault} ended`);
  }

  async function apply(...extra: string[]): Promise<void> {
    const r = await w.cli(["apply", dir, "--auto-approve", ...extra]);
    expect(r.stderr).not.toMatch(/Internal error/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }

  /** The route works: check --live says so, and a copy completes. */
  async function works(id = ROUTE, sourceVault = "rc-local"): Promise<void> {
    const r = await route(id);
    expect(r.failures, JSON.stringify(r.failures)).toEqual([]);
    expect(r.status).toBe("ok");
    expect(r.code).toBe(0);
    expect(await copyJob(sourceVault)).toEqual({ state: "COMPLETED", message: "" });
  }

  /** The route is broken by `rule`: check --live fails with it, and so does the copy job, with `status`. */
  async function brokenBy(rule: string, status: RegExp, id = ROUTE, sourceVault = "rc-local"): Promise<Failure> {
    const r = await route(id);
    expect(r.status).toBe("fail");
    expect(r.code).toBe(1);
    const failure = r.failures.find((f) => f.rule === rule);
    expect(failure, JSON.stringify(r.failures)).toBeDefined();
    const job = await copyJob(sourceVault);
    expect(job.state).toBe("FAILED");
    expect(job.message).toMatch(status);
    return failure!;
  }

  async function planDocument(): Promise<{ id: string; plan: BackupPlanInput }> {
    const backup = w.backup(PROD);
    const plans = (await backup.send(new ListBackupPlansCommand({}))).BackupPlansList ?? [];
    const id = plans.find((p) => p.BackupPlanName === "prod")!.BackupPlanId!;
    const got = await backup.send(new GetBackupPlanCommand({ BackupPlanId: id }));
    return { id, plan: got.BackupPlan as BackupPlanInput };
  }

  /** Changes the live plan's rule behind crossvault's back. */
  async function editPlan(edit: (rule: NonNullable<BackupPlanInput["Rules"]>[number]) => void): Promise<void> {
    const { id, plan } = await planDocument();
    edit(plan.Rules![0]!);
    await w.backup(PROD).send(new UpdateBackupPlanCommand({ BackupPlanId: id, BackupPlan: plan }));
  }

  async function scp(name: string, statement: Record<string, unknown>, target: string): Promise<string> {
    const created = await org.send(new CreatePolicyCommand({ Name: name, Description: "", Type: "SERVICE_CONTROL_POLICY", Content: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) }));
    const id = created.Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: target }));
    return id;
  }

  async function dropScp(id: string, target: string): Promise<void> {
    await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: target }));
    await org.send(new DeletePolicyCommand({ PolicyId: id }));
  }

  it("the applied configuration: every route passes and copies", async () => {
    const planned = await check([]);
    expect(planned.routes.map((r) => [r.id, r.status])).toEqual([[ROUTE, "ok"]]);
    await apply();
    await works();
  }, 120_000);

  it("[S4] our statement removed from the destination vault policy: check names it; apply restores it", async () => {
    const team = { Sid: "TeamRead", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VAULT}:root` }, Action: "backup:DescribeBackupVault", Resource: "*" };
    await w.backup(VAULT).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "rc-central", Policy: JSON.stringify({ Version: "2012-10-17", Statement: [team] }) }));
    const f = await brokenBy("S4", /^Access Denied trying to call AWS Backup service: .*does not allow backup:CopyIntoBackupVault/);
    expect(f).toMatchObject({ policy: "vault_policy.central", statement: `${SID}CopyInto${PROD}`, when: "now" });
    await apply();
    await works();
  }, 120_000);

  it("[S4] no vault policy at all", async () => {
    await w.backup(VAULT).send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: "rc-central" }));
    const f = await brokenBy("S4", /has no access policy/);
    expect(f.message).toContain("has no access policy");
    await apply();
    await works();
  }, 120_000);

  it("[S4] a foreign statement denying the copy: check names its Sid; removing it repairs the route", async () => {
    const mine = JSON.parse((await w.backup(VAULT).send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: "rc-central" }))).Policy!) as { Statement: unknown[] };
    const deny = { Sid: "NoCopiesFromProd", Effect: "Deny", Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: "backup:CopyIntoBackupVault", Resource: "*" };
    await w.backup(VAULT).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "rc-central", Policy: JSON.stringify({ Version: "2012-10-17", Statement: [...mine.Statement, deny] }) }));
    const f = await brokenBy("S4", /explicitly denied by .*statement "NoCopiesFromProd"/);
    expect(f).toMatchObject({ statement: "NoCopiesFromProd" });
    // Not the stack's statement: apply leaves it, so the route still fails after apply.
    expect((await route(ROUTE, [])).status).toBe("fail");
    await w.backup(VAULT).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "rc-central", Policy: JSON.stringify({ Version: "2012-10-17", Statement: mine.Statement }) }));
    await apply();
    await works();
  }, 120_000);

  it("[S5] the key share removed from the source key: check names the share; apply restores it", async () => {
    const kms = w.kms(PROD);
    const arn = (await kms.send(new DescribeKeyCommand({ KeyId: "alias/rc-prod" }))).KeyMetadata!.Arn!;
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }))).Policy!) as { Statement: Array<{ Sid?: string }> };
    policy.Statement = policy.Statement.filter((s) => !(s.Sid ?? "").startsWith(SID));
    await kms.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: "default", Policy: JSON.stringify(policy) }));
    const f = await brokenBy("S5", new RegExp(`key policy of ${arn} does not allow account ${VAULT}`));
    expect(f).toMatchObject({ policy: `key_share.prod->${VAULT}`, statement: `${SID}Use${VAULT}` });
    await apply();
    await works();
  }, 120_000);

  it("[S2] the cross-account setting turned off: apply turns it on again", async () => {
    await w.backup(MGMT).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "false" } }));
    const f = await brokenBy("S2", /Cross-account backup is not enabled/);
    expect(f.policy).toBe("cross_account_setting");
    await apply();
    await works();
  }, 120_000);

  it("[S2] trusted access for AWS Backup disabled: apply enables it again", async () => {
    await org.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: "backup.amazonaws.com" }));
    const f = await brokenBy("S2", /Trusted access for AWS Backup/);
    expect(f.policy).toBe("org_trust");
    await apply();
    await works();
  }, 120_000);

  it("[G1] a tag guardrail on the source's OU and the destination's tag removed: apply tags the vault again", async () => {
    const id = await scp("rc-need-tag", { Sid: "NeedDestinationTag", Effect: "Deny", Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": "true" } } }, OU_PROD);
    await works(); // the tag is there
    await w.backup(VAULT).send(new UntagResourceCommand({ ResourceArn: CENTRAL, TagKeyList: ["DestinationBackupVault"] }));
    const f = await brokenBy("G1", new RegExp(`backup:CopyIntoBackupVault .* explicitly denied by service control policy rc-need-tag \\(${id}\\).*"NeedDestinationTag"`));
    expect(f).toMatchObject({ policy: `scp ${id} (rc-need-tag)`, statement: "NeedDestinationTag" });
    await apply();
    await works();
    await dropScp(id, OU_PROD);
  }, 120_000);

  it("[G2] a guardrail allowing only other vaults (ForAllValues:ArnNotLike on backup:CopyTargets): warned, and detaching it repairs the route", async () => {
    const id = await scp("rc-only-cab", {
      Sid: "OnlyCabVaults", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*",
      Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": [`arn:aws:backup:*:${VAULT}:backup-vault:cab-*`] } },
    }, PROD);
    const f = await brokenBy("G2", new RegExp(`backup:CopyFromBackupVault .* explicitly denied by service control policy rc-only-cab \\(${id}\\).*"OnlyCabVaults"`));
    expect(f).toMatchObject({ policy: `scp ${id} (rc-only-cab)`, statement: "OnlyCabVaults" });
    const r = await route();
    expect(r.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "G2", statement: "OnlyCabVaults", fix: expect.stringContaining("ForAnyValue:ArnNotLike") })]));
    await dropScp(id, PROD);
    await apply();
    await works();
  }, 120_000);

  it("[G3] a guardrail allowing only destinations under the workloads OU (the vault account is elsewhere)", async () => {
    const id = await scp("rc-only-workloads", {
      Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*",
      Condition: { "ForAllValues:StringNotLike": { "backup:CopyTargetOrgPaths": [`${ORG_PATH_WORK}*`] } },
    }, OU_WORK);
    const f = await brokenBy("G3", new RegExp(`explicitly denied by service control policy rc-only-workloads \\(${id}\\) attached to ${OU_WORK} \\(statement #0\\)`));
    expect(f).toMatchObject({ policy: `scp ${id} (rc-only-workloads)`, statement: "#0" });
    await dropScp(id, OU_WORK);
    await apply();
    await works();
  }, 120_000);

  it("[X1] the live plan edited to copy into the vault account's Default vault: apply restores the plan", async () => {
    await editPlan((rule) => void (rule.CopyActions = [{ DestinationBackupVaultArn: `arn:aws:backup:${REGION}:${VAULT}:backup-vault:Default` }]));
    await brokenBy("X1", /The Default backup vault .* cannot be the destination of a cross-account copy/, `${PROD}/${REGION}/rc-local -> ${VAULT}/${REGION}/Default`);
    await apply();
    await works();
  }, 120_000);

  it("[S3] the live plan edited to copy into a vault on the AWS managed key", async () => {
    await w.backup(VAULT).send(new CreateBackupVaultCommand({ BackupVaultName: "plain" }));
    await editPlan((rule) => void (rule.CopyActions = [{ DestinationBackupVaultArn: `arn:aws:backup:${REGION}:${VAULT}:backup-vault:plain` }]));
    const f = await brokenBy("S3", /encrypted with the AWS managed key/, `${PROD}/${REGION}/rc-local -> ${VAULT}/${REGION}/plain`);
    expect(f.message).toContain("AWS managed key");
    await apply();
    await works();
  }, 120_000);

  it("[S1] the live plan edited to copy into an account outside the organization", async () => {
    await editPlan((rule) => void (rule.CopyActions = [{ DestinationBackupVaultArn: `arn:aws:backup:${REGION}:${OUTSIDE}:backup-vault:elsewhere` }]));
    const f = await brokenBy("S1", /Both source and destination account must be a member of the same organization/, `${PROD}/${REGION}/rc-local -> ${OUTSIDE}/${REGION}/elsewhere`);
    expect(f.message).toContain(`destination account ${OUTSIDE} is not a member`);
    await apply();
    await works();
  }, 120_000);

  it("[C4] the live rule edited to move recovery points to cold storage at once", async () => {
    await editPlan((rule) => void (rule.Lifecycle = { MoveToColdStorageAfterDays: 0, DeleteAfterDays: 90 }));
    await brokenBy("C4", /is in cold storage/);
    await apply();
    await works();
  }, 120_000);

  it("[C5] a Vault Lock on the destination longer than the copies are kept: apply removes the lock the config does not declare", async () => {
    await w.backup(VAULT).send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: "rc-central", MinRetentionDays: 100 }));
    const f = await brokenBy("C5", /outside the range allowed by the Vault Lock .*MinRetentionDays 100/);
    expect(f).toMatchObject({ policy: "vault lock of vault.central" });
    await apply();
    await works();
  }, 120_000);

  it("[C3] EBS from a vault on the AWS managed key: plan-time error, apply refuses unless --allow-failing-routes; a CMK vault repairs it", async () => {
    dir = writeConfig(w, "ebs", config("rc-ebs-aws"));
    const planned = await check([]);
    expect(planned.code).toBe(1);
    const ebs = planned.routes.find((r) => r.id === EBS_ROUTE("rc-ebs-aws"))!;
    expect(ebs).toMatchObject({ status: "fail", failures: [expect.objectContaining({ rule: "C3", policy: "vault.ebs_aws" })] });

    const refused = await w.cli(["apply", dir, "--auto-approve"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain(`copy route ${EBS_ROUTE("rc-ebs-aws")} fails after apply`);
    expect(refused.stdout + refused.stderr).toContain("--allow-failing-routes");
    expect((await w.backup(PROD).send(new ListBackupPlansCommand({}))).BackupPlansList?.map((p) => p.BackupPlanName)).not.toContain("ebs");

    await apply("--allow-failing-routes");
    await brokenBy("C3", /AWS managed key .* not supported for resource types that are not fully managed/, EBS_ROUTE("rc-ebs-aws"), "rc-ebs-aws");

    dir = writeConfig(w, "ebs-fixed", config("rc-ebs-cmk"));
    await apply();
    await works(EBS_ROUTE("rc-ebs-cmk"), "rc-ebs-cmk");
    await works();
  }, 180_000);
});
