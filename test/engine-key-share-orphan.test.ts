// End to end, the real CLI against the sandbox: statements the stack adds to the policy of a key it does not own
// (`kms_key "x" { arn = ... }`, or a bare ARN in share_keys) are found and removed once the config no longer
// names the key at all, through the share alias the stack puts beside the key; the key's other statements
// survive, the alias goes with the stack's last statement, and the next plan is clean. The states a kill -9 can
// leave between the alias and the statement are planned exactly and converge: made by hand, and by applies the
// sandbox kills at the very call that would have ended that state.
import { CreateAliasCommand, CreateKeyCommand, GetKeyPolicyCommand, ListAliasesCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationHandler } from "../src/sandbox/service.js";
import { services as builtInServices } from "../src/sandbox/services/index.js";
import { MGMT, planLines, REGION, STAGING, startEngineWorld, VAULT, writeConfig } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";

const STACK = "orphan";
const SID = "Crossvault6xorphan";

interface Statement { Sid?: string; Effect: string; Principal?: unknown; Action: unknown; Resource?: unknown }

const platformAudit: Statement = { Sid: "PlatformAudit", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: ["kms:DescribeKey"], Resource: "*" };

/** How the copy route names the staging key: a kms_key block, a bare ARN, or not at all. */
type KeyRef = "block" | "arn" | "none";

function config(keyArn: string, ref: KeyRef): Record<string, string> {
  const shareKeys = ref === "block" ? "\n      share_keys = [kms_key.staging]" : ref === "arn" ? `\n      share_keys = ["${keyArn}"]` : "";
  const block = ref === "block" ? `\n# An existing key, made outside crossvault.\nkms_key "staging" {\n  arn = "${keyArn}"\n}\n` : "";
  return {
    "main.hcl": `
crossvault {
  stack              = "${STACK}"
  management_account = account.management
  default_region     = "${REGION}"
}
account "management" { id = "${MGMT}" }
account "vault"      { id = "${VAULT}" }
account "staging"    { id = "${STAGING}" }
organization { cross_account_backup = true }
kms_key "central" {
  account = account.vault
  alias   = "alias/orphan-central"
}
vault "central" {
  account = account.vault
  name    = "orphan-central"
  kms_key = kms_key.central
}
# The copies carry EBS, so the source vault needs a customer managed key [C3]; the volumes' own key (made
# outside crossvault) is shared through share_keys [S5].
kms_key "staging_vault" {
  account = account.staging
  alias   = "alias/orphan-staging-vault"
}
vault "staging_local" {
  account = account.staging
  name    = "orphan-staging"
  kms_key = kms_key.staging_vault
}
${block}
backup_plan "staging" {
  account = account.staging
  rule "nightly" {
    vault = vault.staging_local
    copy {
      to = vault.central${shareKeys}
    }
  }
  selection "volumes" {
    iam_role_arn = "arn:aws:iam::${STAGING}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:ec2:${REGION}:${STAGING}:volume/vol-0123456789abcdef0"]
  }
}
`,
  };
}

/** A key of the staging account made outside crossvault, with a statement of another team in its policy. */
async function foreignKey(w: EngineWorld): Promise<{ arn: string; id: string }> {
  const kms = w.kms(STAGING);
  const key = await kms.send(new CreateKeyCommand({ Description: "staging data key, managed by the platform team" }));
  const arn = key.KeyMetadata!.Arn!;
  const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }))).Policy!) as { Statement: Statement[] };
  policy.Statement.push(platformAudit);
  await kms.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: "default", Policy: JSON.stringify(policy) }));
  return { arn, id: key.KeyMetadata!.KeyId! };
}

async function keyStatements(w: EngineWorld, keyArn: string): Promise<Statement[]> {
  const out = await w.kms(STAGING).send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }));
  return (JSON.parse(out.Policy ?? "{}") as { Statement: Statement[] }).Statement;
}

async function keyAliases(w: EngineWorld, keyId: string): Promise<string[]> {
  return ((await w.kms(STAGING).send(new ListAliasesCommand({ KeyId: keyId }))).Aliases ?? []).map((a) => a.AliasName ?? "").sort();
}

const ours = (statements: Statement[]): string[] => statements.map((s) => s.Sid ?? "").filter((sid) => sid.startsWith(SID));

const summaryOfPlan = (stdout: string): string => /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\./.exec(stdout)?.slice(1).join("/") ?? "0/0/0";
const summaryOfApply = (stdout: string): string => /Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\./.exec(stdout)?.slice(1).join("/") ?? "0/0/0";

describe("shares of a key the stack does not own, once the config no longer names the key", () => {
  let w: EngineWorld;
  let key: { arn: string; id: string };
  const dirs = {} as Record<KeyRef, string>;

  /** Plans, applies what the plan says (the apply does exactly that), and plans again: nothing left. */
  async function converge(dir: string): Promise<string[]> {
    const plan = await w.cli(["plan", dir]);
    expect(plan.code, plan.stderr).toBe(0);
    const apply = await w.cli(["apply", dir, "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(summaryOfApply(apply.stdout), plan.stdout).toBe(summaryOfPlan(plan.stdout));
    const after = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(after.code, after.stdout).toBe(0);
    return planLines(plan.stdout);
  }

  beforeAll(async () => {
    w = await startEngineWorld();
    key = await foreignKey(w);
    for (const ref of ["block", "arn", "none"] as const) dirs[ref] = writeConfig(w, ref, config(key.arn, ref));
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });

  it("apply shares the key and puts the stack's share alias, named after the kms_key block, beside it", async () => {
    const plan = await w.cli(["plan", dirs.block]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(planLines(plan.stdout)).toContain(`+ key_share.staging->${VAULT}`);
    const apply = await w.cli(["apply", dirs.block, "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    const statements = await keyStatements(w, key.arn);
    expect(ours(statements)).not.toEqual([]);
    expect(statements.find((s) => s.Sid === "PlatformAudit")).toEqual(platformAudit);
    expect(await keyAliases(w, key.id)).toEqual([`alias/crossvault/${STACK}/share/${key.id}/staging`]);
    expect((await w.cli(["plan", dirs.block, "--detailed-exitcode"])).code).toBe(0);
  }, 300_000);

  it("removing the kms_key block plans the deletion of the stack's statements under the block's name, and apply removes only those and the alias", async () => {
    const plan = await w.cli(["plan", dirs.none, "--detailed-exitcode"]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(planLines(plan.stdout)).toEqual([`- key_share.staging->${VAULT}`]);
    expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 1 to destroy.");

    const apply = await w.cli(["apply", dirs.none, "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain("Apply complete! Resources: 0 added, 0 changed, 1 destroyed.");
    const statements = await keyStatements(w, key.arn);
    expect(ours(statements)).toEqual([]);
    expect(statements.find((s) => s.Sid === "PlatformAudit")).toEqual(platformAudit);
    expect(await keyAliases(w, key.id)).toEqual([]);
    expect((await w.cli(["plan", dirs.none, "--detailed-exitcode"])).code).toBe(0);
  }, 300_000);

  it("a share made from a bare ARN is found again under the key's id", async () => {
    expect(await converge(dirs.arn)).toEqual([`+ key_share[${JSON.stringify(key.arn)}]->${VAULT}`]);
    expect(await keyAliases(w, key.id)).toEqual([`alias/crossvault/${STACK}/share/${key.id}`]);
    expect(await converge(dirs.none)).toEqual([`- key_share[${JSON.stringify(key.id)}]->${VAULT}`]);
    expect(ours(await keyStatements(w, key.arn))).toEqual([]);
    expect(await keyAliases(w, key.id)).toEqual([]);
  }, 300_000);

  it("a share alias without statements (an apply killed between the two) is planned away, or kept for the statement still to come", async () => {
    const alias = `alias/crossvault/${STACK}/share/${key.id}/staging`;
    await w.kms(STAGING).send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.id }));
    // The config wants the share: the alias stays, the statement is still to write.
    const plan = await w.cli(["plan", dirs.block]);
    expect(planLines(plan.stdout)).toEqual([`+ key_share.staging->${VAULT}`]);
    // The config wants it no more: the alias alone is the stack's, and goes.
    expect(await converge(dirs.none)).toEqual(["- key_share.staging"]);
    expect(await keyAliases(w, key.id)).toEqual([]);
    expect(await keyStatements(w, key.arn)).toContainEqual(platformAudit);
  }, 300_000);
});

describe("kill -9 between the share alias and the statement", () => {
  let w: EngineWorld;
  let key: { arn: string; id: string };
  let block: string;
  let none: string;
  /** The apply to kill, and the KMS call at which the sandbox kills it, before carrying the call out. */
  let trap: { operation: string; pid: number } | undefined;

  const killing = (operation: string): OperationHandler => (ctx, input) => {
    if (trap?.operation === operation) {
      const { pid } = trap;
      trap = undefined;
      process.kill(pid, "SIGKILL");
      throw new Error(`the apply was killed before ${operation}`);
    }
    return builtInServices.kms.operations[operation]!(ctx, input);
  };

  /** Runs an apply that dies with SIGKILL the moment it asks for `operation`, which is not carried out. */
  async function applyKilledAt(dir: string, operation: string): Promise<void> {
    const run = w.spawn(["apply", dir, "--auto-approve"]);
    trap = { operation, pid: run.child.pid! };
    const done = await run.done;
    expect(done.signal, `the apply never asked for ${operation}:\n${done.stderr}`).toBe("SIGKILL");
  }

  beforeAll(async () => {
    w = await startEngineWorld({ services: { kms: { operations: { PutKeyPolicy: killing("PutKeyPolicy"), DeleteAlias: killing("DeleteAlias") } } } });
    key = await foreignKey(w);
    block = writeConfig(w, "block", config(key.arn, "block"));
    none = writeConfig(w, "none", config(key.arn, "none"));
    const base = await w.cli(["apply", none, "--auto-approve"]);
    expect(base.code, base.stdout + base.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await w?.stop();
  });

  async function expectAliasAlone(): Promise<void> {
    expect(await keyAliases(w, key.id)).toEqual([`alias/crossvault/${STACK}/share/${key.id}/staging`]);
    expect(ours(await keyStatements(w, key.arn))).toEqual([]);
  }

  async function expectClean(): Promise<void> {
    expect(await keyAliases(w, key.id)).toEqual([]);
    expect(ours(await keyStatements(w, key.arn))).toEqual([]);
    expect(await keyStatements(w, key.arn)).toContainEqual(platformAudit);
  }

  it("killed after the alias, before the first statement: the next plan adds the statement, or removes the alias", async () => {
    // The apply's only change is the share, and its only PutKeyPolicy adds the statement.
    await applyKilledAt(block, "PutKeyPolicy");
    await expectAliasAlone();
    const again = await w.cli(["plan", block]);
    expect(planLines(again.stdout)).toEqual([`+ key_share.staging->${VAULT}`]);
    const plan = await w.cli(["plan", none]);
    expect(planLines(plan.stdout)).toEqual(["- key_share.staging"]);
    const apply = await w.cli(["apply", none, "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain("Apply complete! Resources: 0 added, 0 changed, 1 destroyed.");
    await expectClean();
    expect((await w.cli(["plan", none, "--detailed-exitcode"])).code).toBe(0);
  }, 300_000);

  it("killed after the last statement, before the alias goes: the next plan removes the alias", async () => {
    const full = await w.cli(["apply", block, "--auto-approve"]);
    expect(full.code, full.stderr).toBe(0);
    // The apply's only change is the share's removal, and its only DeleteAlias is the share alias's.
    await applyKilledAt(none, "DeleteAlias");
    await expectAliasAlone();
    const plan = await w.cli(["plan", none]);
    expect(planLines(plan.stdout)).toEqual(["- key_share.staging"]);
    const apply = await w.cli(["apply", none, "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    await expectClean();
    expect((await w.cli(["plan", none, "--detailed-exitcode"])).code).toBe(0);
  }, 300_000);
});
