// Foreign statements in vault access policies and key policies, added through the SDK by someone else,
// survive every write of the stack's statements (including concurrent shares of one key) and their removal.
import { BackupClient, GetBackupVaultAccessPolicyCommand, PutBackupVaultAccessPolicyCommand } from "@aws-sdk/client-backup";
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceChange } from "../src/core/plan-types.js";
import { isOurSid, sidPrefix } from "../src/model/ownership.js";
import { copyIntoFromAccounts, keyShareStatements } from "../src/model/policy-statements.js";
import { sortStatements } from "../src/model/policy-normal.js";
import type { DesiredResource, LiveResource } from "../src/model/resource.js";
import { applyChange, readLive } from "../src/providers/aws/index.js";
import { applyInOrder, createChange, desiredState, HOME, MGMT, PROD, REGION, STAGING, startEngineSandbox, VAULT } from "./engine-aws-support.js";
import type { Applied, EngineSandbox } from "./engine-aws-support.js";

const STACK = "core";
const P = sidPrefix(STACK);

const foreignVaultStatements = [
  { Sid: "AllowAuditCopy", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${STAGING}:root` }, Action: "backup:CopyIntoBackupVault", Resource: "*" },
  { Effect: "Deny", Principal: "*", Action: ["backup:DeleteBackupVault", "backup:DeleteRecoveryPoint"], Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": [VAULT] } } },
];
const foreignKeyStatement = { Sid: "AuditDescribe", Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${STAGING}:root`] }, Action: "kms:DescribeKey", Resource: "*" };

function rootClients(url: string, account: string) {
  const config = { region: REGION, endpoint: url, credentials: { accessKeyId: `AKIASANDBOX${account.slice(0, 9)}`, secretAccessKey: "x" } };
  return { backup: new BackupClient(config), kms: new KMSClient(config) };
}

async function vaultPolicy(backup: BackupClient, name: string): Promise<{ Statement: Array<Record<string, unknown>> } | undefined> {
  try {
    return JSON.parse((await backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name }))).Policy!);
  } catch (e) {
    if ((e as Error).name === "ResourceNotFoundException") return undefined;
    throw e;
  }
}

async function keyPolicy(kms: KMSClient, keyId: string): Promise<{ Statement: Array<Record<string, unknown>> }> {
  return JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy!);
}

const foreign = (doc: { Statement: Array<Record<string, unknown>> } | undefined) => (doc?.Statement ?? []).filter((s) => !isOurSid(STACK, s.Sid));
const ours = (doc: { Statement: Array<Record<string, unknown>> } | undefined) => (doc?.Statement ?? []).filter((s) => isOurSid(STACK, s.Sid));

function change(live: LiveResource | undefined, d: DesiredResource | undefined, action: ResourceChange["action"]): ResourceChange {
  const base = d ?? live!;
  return {
    address: base.address, type: base.type, accountId: base.accountId, region: base.region, action,
    before: live?.attributes ?? null, after: d?.attributes ?? null, changes: [], dependsOn: d?.dependsOn ?? [],
    ...(live ? { id: live.id } : {}),
  };
}

describe("foreign policy statements", () => {
  let env: EngineSandbox;
  let desired: DesiredResource[];
  let applied: Applied;
  let vaultAccount: ReturnType<typeof rootClients>;
  let prodAccount: ReturnType<typeof rootClients>;
  let prodKeyId: string;

  const scope = (d: DesiredResource[]) => ({
    stack: STACK, accounts: [{ accountId: PROD, regions: [REGION] }, { accountId: VAULT, regions: [REGION] }], desired: d, managementAccountId: MGMT, manageOrg: false, homeRegion: HOME,
  });

  beforeAll(async () => {
    env = await startEngineSandbox();
    desired = desiredState(STACK).filter((d) => ["kms_key.central", "kms_key.prod", "vault.central", "vault.prod", "vault_policy.central", `key_share.prod->${VAULT}`].includes(d.address));
    applied = await applyInOrder(env.pool, STACK, desired.map(createChange));
    prodKeyId = applied.results.get("kms_key.prod")!.id!;
    vaultAccount = rootClients(env.sandbox.url, VAULT);
    prodAccount = rootClients(env.sandbox.url, PROD);
    // Someone else adds statements of their own next to ours.
    const vaultDoc = (await vaultPolicy(vaultAccount.backup, "central"))!;
    await vaultAccount.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "central", Policy: JSON.stringify({ ...vaultDoc, Statement: [...foreignVaultStatements, ...vaultDoc.Statement] }) }));
    const keyDoc = await keyPolicy(prodAccount.kms, prodKeyId);
    await prodAccount.kms.send(new PutKeyPolicyCommand({ KeyId: prodKeyId, PolicyName: "default", Policy: JSON.stringify({ ...keyDoc, Statement: [...keyDoc.Statement, foreignKeyStatement] }, null, 4) }));
  });
  afterAll(async () => {
    for (const c of [vaultAccount, prodAccount]) {
      c?.backup.destroy();
      c?.kms.destroy();
    }
    await env?.stop();
  });

  it("reads only the stack's statements as the vault_policy, with the foreign ones present", async () => {
    const live = await readLive(env.pool, scope(desired));
    const policy = live.resources.find((l) => l.address === "vault_policy.central")!;
    expect(policy.attributes.statements).toEqual(desired.find((d) => d.address === "vault_policy.central")!.attributes.statements);
    expect(foreign(await vaultPolicy(vaultAccount.backup, "central"))).toEqual(foreignVaultStatements);
  });

  it("keeps foreign statements when our statements change", async () => {
    const live = await readLive(env.pool, scope(desired));
    const before = live.resources.find((l) => l.address === "vault_policy.central");
    const wanted = desired.find((d) => d.address === "vault_policy.central")!;
    const next = { ...wanted, attributes: { ...wanted.attributes, statements: sortStatements([copyIntoFromAccounts(`${P}CopyFrom${PROD}`, [PROD, STAGING])]) as never } };
    await applyChange(env.pool, change(before, next, "update"), { stack: STACK, resolve: applied.resolve, notify: () => undefined });
    const doc = await vaultPolicy(vaultAccount.backup, "central");
    expect(foreign(doc)).toEqual(foreignVaultStatements);
    expect(ours(doc)).toHaveLength(1);
    expect((ours(doc)[0]!.Principal as { AWS: string[] }).AWS).toEqual([`arn:aws:iam::${PROD}:root`, `arn:aws:iam::${STAGING}:root`]);
    const reread = await readLive(env.pool, scope([...desired.filter((d) => d !== wanted), next]));
    expect(reread.resources.find((l) => l.address === "vault_policy.central")!.attributes.statements).toEqual(next.attributes.statements);
  });

  it("serialises concurrent shares of one key and keeps the key's foreign statements", async () => {
    const live = await readLive(env.pool, scope(desired));
    const shareTo333 = live.resources.find((l) => l.address === `key_share.prod->${VAULT}`)!;
    const keyArn = applied.results.get("kms_key.prod")!.attributes!.arn as string;
    const to444: DesiredResource = {
      address: `key_share.prod->${STAGING}`, type: "key_share", accountId: PROD, region: REGION, dependsOn: [],
      identity: `key_share:${PROD}/${REGION}/alias/crossvault-prod->${STAGING}`,
      attributes: { key_arn: keyArn, destination_account: STAGING, statements: sortStatements(keyShareStatements(P, STAGING)) as never },
    };
    const to555: DesiredResource = { ...to444, address: "key_share.prod->555555555555", identity: `key_share:${PROD}/${REGION}/alias/crossvault-prod->555555555555`,
      attributes: { ...to444.attributes, destination_account: "555555555555", statements: sortStatements(keyShareStatements(P, "555555555555")) as never } };
    const ctx = { stack: STACK, resolve: applied.resolve, notify: () => undefined };
    await Promise.all([
      applyChange(env.pool, change(undefined, to444, "create"), ctx),
      applyChange(env.pool, change(shareTo333, undefined, "delete"), ctx),
      applyChange(env.pool, change(undefined, to555, "create"), ctx),
    ]);
    const doc = await keyPolicy(prodAccount.kms, prodKeyId);
    expect(foreign(doc).find((s) => s.Sid === "AuditDescribe")).toEqual(foreignKeyStatement);
    expect(foreign(doc).find((s) => s.Sid === "Enable IAM User Permissions")).toBeDefined();
    expect(ours(doc).map((s) => s.Sid).sort()).toEqual([`${P}Grants${STAGING}`, `${P}Grants555555555555`, `${P}Use${STAGING}`, `${P}Use555555555555`]);
    const reread = await readLive(env.pool, scope([...desired, to444, to555]));
    const shares = reread.resources.filter((l) => l.type === "key_share").map((l) => [l.address, l.attributes.destination_account]);
    expect(shares).toEqual([[`key_share.prod->${STAGING}`, STAGING], ["key_share.prod->555555555555", "555555555555"]]);
  });

  it("removes only our statements, keeping the policy while a foreign statement remains", async () => {
    const live = await readLive(env.pool, scope(desired));
    const policy = live.resources.find((l) => l.address === "vault_policy.central")!;
    await applyChange(env.pool, change(policy, undefined, "delete"), { stack: STACK, resolve: applied.resolve, notify: () => undefined });
    const doc = await vaultPolicy(vaultAccount.backup, "central");
    expect(doc?.Statement).toEqual(foreignVaultStatements);
    expect((await readLive(env.pool, scope(desired))).resources.some((l) => l.type === "vault_policy")).toBe(false);
  });

  it("deletes the vault policy when no statement is left", async () => {
    const ctx = { stack: STACK, resolve: applied.resolve, notify: () => undefined };
    const onProd: DesiredResource = {
      address: "vault_policy.prod", type: "vault_policy", accountId: PROD, region: REGION, dependsOn: [], identity: `vault_policy:${PROD}/${REGION}/prod`,
      attributes: { vault_name: "prod", statements: sortStatements([copyIntoFromAccounts(`${P}CopyFrom${VAULT}`, [VAULT])]) as never },
    };
    await applyChange(env.pool, change(undefined, onProd, "create"), ctx);
    expect(ours(await vaultPolicy(prodAccount.backup, "prod"))).toHaveLength(1);
    const live = (await readLive(env.pool, scope([...desired, onProd]))).resources.find((l) => l.address === "vault_policy.prod")!;
    await applyChange(env.pool, change(live, undefined, "delete"), ctx);
    expect(await vaultPolicy(prodAccount.backup, "prod")).toBeUndefined();
  });
});
