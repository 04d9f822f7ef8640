// End to end, the real CLI against the sandbox: guardrail blocks become service control policies. Plan shows
// the four kinds; apply creates the policies and attaches them; a second plan is clean; a target change moves
// the attachments; an SCP of someone else beside ours on the same OU survives every apply and the destroy, and
// one that takes a guardrail's name is reported, never overwritten; destroy detaches and deletes only ours.
// Then the sandbox's own copy-job enforcement: the config's guardrails let its route through, and a guardrail
// the destination vault does not satisfy makes the copy fail, naming the policy and statement (as the route
// check predicted). Last, in an organization whose SCPs are still off, apply enables them first, and destroy
// leaves them on.
import { ListCopyJobsCommand } from "@aws-sdk/client-backup";
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FIXTURE } from "../src/sandbox/fixture.js";
import { MGMT, planLines, PROD, REGION, startEngineWorld, VAULT, writeConfig } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";

const STACK = "e2e";
const CENTRAL_ARN = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:e2e-central`;
const PROD_OU = "ou-a1b2-prod0001";
const WORKLOADS_OU = "ou-a1b2-work0001";
const STAGING_ACCOUNT = "444444444444";
const SCP = "SERVICE_CONTROL_POLICY";

interface Options {
  tagKey?: string;
  copyTargets?: string;
  stayTargets?: string;
  extra?: string;
}

function config(o: Options = {}): Record<string, string> {
  return {
    "main.hcl": `
crossvault {
  stack              = "${STACK}"
  management_account = account.management
  default_region     = "${REGION}"
}
account "management" { id = "${MGMT}" }
account "prod"       { id = "${PROD}" }
account "vault"      { id = "${VAULT}" }
account "staging"    { id = "${STAGING_ACCOUNT}" }
organization { cross_account_backup = true }
`,
    "storage.hcl": `
kms_key "central" {
  account = account.vault
  alias   = "alias/e2e-central"
}
vault "central" {
  account = account.vault
  name    = "e2e-central"
  kms_key = kms_key.central
  tags    = { DestinationBackupVault = "true" }
}
vault "prod_local" {
  account = account.prod
  name    = "e2e-prod"
}
backup_plan "prod" {
  account = account.prod
  rule "nightly" {
    vault = vault.prod_local
    copy { to = vault.central }
  }
  selection "tables" {
    iam_role_arn = "arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:dynamodb:${REGION}:${PROD}:table/orders"]
  }
}
`,
    "guardrails.hcl": `
guardrail "destination_tag" {
  kind    = "require_destination_tag"
  targets = ["${WORKLOADS_OU}"]
  ${o.tagKey ? `tag_key = "${o.tagKey}"` : ""}
}
guardrail "copy_targets" {
  kind           = "restrict_copy_targets"
  targets        = ${o.copyTargets ?? `["${PROD_OU}"]`}
  allowed_vaults = [vault.central]
}
guardrail "copy_target_ous" {
  kind              = "restrict_copy_target_ous"
  targets           = ["${WORKLOADS_OU}"]
  allowed_org_paths = ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-secu0001/*"]
}
guardrail "stay_in_org" {
  kind        = "deny_leave_organization"
  targets     = ${o.stayTargets ?? "[account.vault, account.management]"}
  description = "The vault account keeps the copies"
}
${o.extra ?? ""}
`,
  };
}

const GUARDRAILS = ["copy_target_ous", "copy_targets", "destination_tag", "stay_in_org"];

function managementOrganizations(w: EngineWorld): OrganizationsClient {
  return new OrganizationsClient({ region: "us-east-1", endpoint: w.sandbox.url, credentials: { accessKeyId: "AKIASANDBOX111111111", secretAccessKey: "x" } });
}
const scpName = (name: string): string => `crossvault-${STACK}-${name}`;

describe("guardrails as service control policies, against the sandbox", () => {
  let w: EngineWorld;
  let org: OrganizationsClient;
  let dir: string;

  /** Names of the SCPs attached to a target. */
  async function attached(target: string): Promise<string[]> {
    const out = await org.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: SCP }));
    return (out.Policies ?? []).map((p) => p.Name ?? "").sort();
  }
  async function scpNames(): Promise<string[]> {
    return ((await org.send(new ListPoliciesCommand({ Filter: SCP }))).Policies ?? []).map((p) => p.Name ?? "").sort();
  }
  async function policyId(name: string): Promise<string> {
    const found = ((await org.send(new ListPoliciesCommand({ Filter: SCP }))).Policies ?? []).find((p) => p.Name === name);
    if (!found?.Id) throw new Error(`no SCP named ${name}`);
    return found.Id;
  }
  /** Runs every plan now and waits for a copy job into the central vault that was not there before to end. */
  async function nextCopy(): Promise<{ state: string; message: string }> {
    const backup = w.backup(PROD);
    const list = async () => (await backup.send(new ListCopyJobsCommand({ ByDestinationVaultArn: CENTRAL_ARN }))).CopyJobs ?? [];
    const before = new Set((await list()).map((j) => j.CopyJobId));
    await w.control("run-due-plans");
    for (let i = 0; i < 150; i++) {
      const ended = (await list()).find((j) => !before.has(j.CopyJobId) && (j.State === "COMPLETED" || j.State === "FAILED"));
      if (ended) return { state: ended.State!, message: ended.StatusMessage ?? "" };
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("no new copy job into the central vault ended");
  }

  beforeAll(async () => {
    // The built-in organization: SCPs enabled, FullAWSAccess on the root, every OU and every account.
    w = await startEngineWorld();
    org = managementOrganizations(w);
    dir = writeConfig(w, "stack", config());
  }, 60_000);
  afterAll(async () => {
    org?.destroy();
    await w?.stop();
  });

  it("plan shows the four guardrails, and warns about the management account", async () => {
    const r = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = planLines(r.stdout);
    expect(lines).toEqual(expect.arrayContaining(GUARDRAILS.map((g) => `+ guardrail.${g}`)));
    // SCPs are already on: nothing to do about the policy type.
    expect(lines.filter((l) => l.includes("scp_policy_type"))).toEqual([]);
    expect(r.stderr).toContain("guardrail.stay_in_org is attached to the management account 111111111111, where service control policies have no effect");

    const json = await w.cli(["plan", dir, "--json"]);
    const plan = JSON.parse(json.stdout) as { changes: Array<{ address: string; action: string; after: Record<string, unknown>; dependsOn: string[] }> };
    const copyTargets = plan.changes.find((c) => c.address === "guardrail.copy_targets")!;
    expect(copyTargets.after).toMatchObject({
      name: scpName("copy_targets"),
      kind: "restrict_copy_targets",
      targets: [PROD_OU],
      policy: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: ["backup:CopyFromBackupVault"], Condition: { "ForAnyValue:ArnNotLike": { "backup:CopyTargets": [CENTRAL_ARN] } } }] },
    });
    // Applied last: after the policy type and the route's plan and selection.
    expect(copyTargets.dependsOn).toEqual(["backup_plan.prod", "backup_selection.prod.tables", "org_trust.scp_policy_type"]);
  }, 60_000);

  it("apply creates the policies tagged with the stack and attaches each to its targets", async () => {
    const r = await w.cli(["apply", dir, "--auto-approve"]);
    expect(r.stderr).not.toMatch(/failed|Internal/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await attached(PROD_OU)).toEqual(["FullAWSAccess", scpName("copy_targets")]);
    expect(await attached(WORKLOADS_OU)).toEqual(["FullAWSAccess", scpName("copy_target_ous"), scpName("destination_tag")]);
    expect(await attached(VAULT)).toEqual(["FullAWSAccess", scpName("stay_in_org")]);
    expect(await attached(MGMT)).toEqual(["FullAWSAccess", scpName("stay_in_org")]);
    const id = await policyId(scpName("destination_tag"));
    const tags = (await org.send(new ListTagsForResourceCommand({ ResourceId: id }))).Tags ?? [];
    expect(tags).toEqual(expect.arrayContaining([{ Key: "crossvault:stack", Value: STACK }, { Key: "crossvault:address", Value: "guardrail.destination_tag" }]));
    const content = JSON.parse((await org.send(new DescribePolicyCommand({ PolicyId: id }))).Policy!.Content!) as unknown;
    expect(content).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "DenyCopyIntoUntaggedVaults", Effect: "Deny", Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": ["true"] } } }],
    });
  }, 60_000);

  it("a second plan has nothing to do", async () => {
    const r = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(planLines(r.stdout)).toEqual([]);
  }, 60_000);

  it("moves attachments when targets change, leaving another owner's SCP on the same OU alone", async () => {
    const foreign = await org.send(new CreatePolicyCommand({
      Name: "platform-no-regions", Description: "the platform team's", Type: SCP, Tags: [{ Key: "owner", Value: "platform" }],
      Content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "ec2:RunInstances", Resource: "*" }] }),
    }));
    await org.send(new AttachPolicyCommand({ PolicyId: foreign.Policy!.PolicySummary!.Id!, TargetId: PROD_OU }));
    expect((await w.cli(["plan", dir, "--detailed-exitcode"])).code).toBe(0);

    const moved = writeConfig(w, "moved", config({ copyTargets: `["${WORKLOADS_OU}"]`, stayTargets: "[account.vault, account.staging]" }));
    const r = await w.cli(["apply", moved, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(planLines(r.stdout)).toEqual(["~ guardrail.copy_targets", "~ guardrail.stay_in_org"]);
    expect(await attached(PROD_OU)).toEqual(["FullAWSAccess", "platform-no-regions"]);
    expect(await attached(WORKLOADS_OU)).toEqual(["FullAWSAccess", scpName("copy_target_ous"), scpName("copy_targets"), scpName("destination_tag")]);
    expect(await attached(MGMT)).toEqual(["FullAWSAccess"]);
    expect(await attached(STAGING_ACCOUNT)).toEqual(["FullAWSAccess", scpName("stay_in_org")]);
    expect((await w.cli(["plan", moved, "--detailed-exitcode"])).code).toBe(0);
    // And back.
    expect((await w.cli(["apply", dir, "--auto-approve"])).code).toBe(0);
    expect(await attached(PROD_OU)).toEqual(["FullAWSAccess", scpName("copy_targets"), "platform-no-regions"]);
  }, 120_000);

  it("reports an SCP of someone else that has a guardrail's name, and never overwrites it", async () => {
    const content = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }] });
    const taken = await org.send(new CreatePolicyCommand({ Name: scpName("extra"), Description: "not crossvault's", Type: SCP, Content: content }));
    const clash = writeConfig(w, "clash", config({ extra: `guardrail "extra" {\n  kind    = "deny_leave_organization"\n  targets = [account.prod]\n}` }));
    const plan = await w.cli(["plan", clash]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    expect(plan.stdout + plan.stderr).toContain(`guardrail.extra: a service control policy named ${scpName("extra")} exists in ${MGMT}/global and is not managed by stack ${STACK}`);
    const apply = await w.cli(["apply", clash, "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(1);
    const after = await org.send(new DescribePolicyCommand({ PolicyId: taken.Policy!.PolicySummary!.Id! }));
    expect(after.Policy?.Content).toBe(content);
    expect(after.Policy?.PolicySummary?.Description).toBe("not crossvault's");
    expect(await attached(PROD)).toEqual(["FullAWSAccess"]);
  }, 60_000);

  it("destroy detaches and deletes the stack's SCPs only, and leaves SCPs enabled", async () => {
    const r = await w.cli(["destroy", dir, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await scpNames()).toEqual(["FullAWSAccess", scpName("extra"), "platform-no-regions"]);
    expect(await attached(PROD_OU)).toEqual(["FullAWSAccess", "platform-no-regions"]);
    expect(await attached(WORKLOADS_OU)).toEqual(["FullAWSAccess"]);
    expect(await attached(VAULT)).toEqual(["FullAWSAccess"]);
    expect((await org.send(new ListRootsCommand({}))).Roots?.[0]?.PolicyTypes).toEqual([{ Type: SCP, Status: "ENABLED" }]);
    const after = await w.cli(["plan", dir, "--destroy", "--detailed-exitcode"]);
    expect(after.code).toBe(0);
  }, 120_000);

  it("the sandbox lets the route through its own guardrails, and fails the copy when a guardrail breaks the route", async () => {
    // The destination vault lacks the tag this guardrail requires: the copy is denied by the SCP on the source's path.
    const broken = writeConfig(w, "broken", config({ tagKey: "ApprovedCopyTarget" }));
    // The route check sees it coming, on the planned state, and apply refuses...
    const refused = await w.cli(["apply", broken, "--auto-approve"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/\[G1\].*crossvault-e2e-destination_tag/);
    expect(refused.stdout).toContain("DenyCopyIntoUntaggedVaults");
    // ...unless told to go ahead; then the copy job fails for that very statement.
    expect((await w.cli(["apply", broken, "--auto-approve", "--allow-failing-routes"])).code).toBe(0);
    const denied = await nextCopy();
    expect(denied.state).toBe("FAILED");
    expect(denied.message).toContain(`service control policy ${scpName("destination_tag")}`);
    expect(denied.message).toContain('"DenyCopyIntoUntaggedVaults"');
    expect(denied.message).toContain(`attached to ${WORKLOADS_OU}`);

    // With the tag the vault carries, every guardrail of the config lets the route's copy through.
    expect((await w.cli(["apply", dir, "--auto-approve"])).code).toBe(0);
    expect(await nextCopy()).toEqual({ state: "COMPLETED", message: "" });
  }, 120_000);
});

describe("guardrails in an organization whose SCPs are off", () => {
  let w: EngineWorld;
  let org: OrganizationsClient;

  beforeAll(async () => {
    w = await startEngineWorld({ org: { ...DEFAULT_FIXTURE, policy_types: [] } });
    org = managementOrganizations(w);
  }, 60_000);
  afterAll(async () => {
    org?.destroy();
    await w?.stop();
  });

  it("apply enables SCPs at the root before attaching, and destroy leaves them on", async () => {
    const dir = writeConfig(w, "only-guardrail", {
      "main.hcl": `
crossvault {
  stack              = "${STACK}"
  management_account = account.management
  default_region     = "${REGION}"
}
account "management" { id = "${MGMT}" }
account "vault"      { id = "${VAULT}" }
guardrail "stay_in_org" {
  kind    = "deny_leave_organization"
  targets = [account.vault]
}
`,
    });
    const plan = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(planLines(plan.stdout)).toEqual(["+ guardrail.stay_in_org", "~ org_trust.scp_policy_type"]);

    const apply = await w.cli(["apply", dir, "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect((await org.send(new ListRootsCommand({}))).Roots?.[0]?.PolicyTypes).toEqual([{ Type: SCP, Status: "ENABLED" }]);
    const onVault = (await org.send(new ListPoliciesForTargetCommand({ TargetId: VAULT, Filter: SCP }))).Policies ?? [];
    // AWS attached FullAWSAccess everywhere when SCPs were enabled; ours came after.
    expect(onVault.map((p) => p.Name).sort()).toEqual(["FullAWSAccess", scpName("stay_in_org")]);
    expect((await w.cli(["plan", dir, "--detailed-exitcode"])).code).toBe(0);

    const destroy = await w.cli(["destroy", dir, "--auto-approve"]);
    expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain("Destroy complete! Resources: 1 destroyed.");
    expect((await org.send(new ListRootsCommand({}))).Roots?.[0]?.PolicyTypes).toEqual([{ Type: SCP, Status: "ENABLED" }]);
    expect(((await org.send(new ListPoliciesCommand({ Filter: SCP }))).Policies ?? []).map((p) => p.Name)).toEqual(["FullAWSAccess"]);
  }, 120_000);
});
