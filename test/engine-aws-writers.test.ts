// What the writers guarantee beyond creating: idempotent creates (a retry, a key left half-created by a crash),
// refusing what is not ours, updates and replacements that read back as applied, scheduled key deletion,
// vaults with recovery points never deleted, adoption, and organization settings left on unless asked.
import { BackupClient, CreateBackupVaultCommand, DeleteBackupVaultCommand, ListBackupVaultsCommand, StartBackupJobCommand } from "@aws-sdk/client-backup";
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "../src/core/events.js";
import type { ResourceChange } from "../src/core/plan-types.js";
import { ADDRESS_TAG, APPLIED_HASH_TAG, attributesHash, STACK_TAG } from "../src/model/ownership.js";
import type { DesiredResource, LiveResource } from "../src/model/resource.js";
import { applyChange, ApplyError, markerAlias, readLive } from "../src/providers/aws/index.js";
import type { ApplyContext, LiveRead } from "../src/providers/aws/index.js";
import { applyInOrder, createChange, desiredState, expectedLive, HOME, MGMT, PROD, REGION, STAGING, startEngineSandbox, VAULT } from "./engine-aws-support.js";
import type { Applied, EngineSandbox } from "./engine-aws-support.js";

const STACK = "core";

function rootClients(url: string, account: string) {
  const config = { region: REGION, endpoint: url, credentials: { accessKeyId: `AKIASANDBOX${account.slice(0, 9)}`, secretAccessKey: "x" } };
  return { backup: new BackupClient(config), kms: new KMSClient(config) };
}

function changeOf(action: ResourceChange["action"], live: LiveResource | undefined, d: DesiredResource | undefined, extra: Partial<ResourceChange> = {}): ResourceChange {
  const base = d ?? live!;
  return {
    address: base.address, type: base.type, accountId: base.accountId, region: base.region, action,
    before: live?.attributes ?? null, after: d?.attributes ?? null, changes: [], dependsOn: d?.dependsOn ?? [], identity: base.identity,
    ...(live ? { id: live.id } : {}), ...extra,
  };
}

describe("writers", () => {
  let env: EngineSandbox;
  let desired: DesiredResource[];
  let applied: Applied;
  let events: EngineEvent[];
  let ctx: ApplyContext;
  const clients: Array<ReturnType<typeof rootClients>> = [];
  const root = (account: string) => {
    const c = rootClients(env.sandbox.url, account);
    clients.push(c);
    return c;
  };
  const byAddress = (d: DesiredResource[], address: string) => d.find((x) => x.address === address)!;
  const read = (d: DesiredResource[] = desired): Promise<LiveRead> =>
    readLive(env.pool, { stack: STACK, accounts: [MGMT, PROD, VAULT, STAGING].map((accountId) => ({ accountId, regions: [REGION] })), desired: d, managementAccountId: MGMT, manageOrg: true, homeRegion: HOME });
  const liveAt = (r: LiveRead, address: string) => r.resources.find((l) => l.address === address);

  beforeAll(async () => {
    env = await startEngineSandbox();
    desired = desiredState(STACK);
    applied = await applyInOrder(env.pool, STACK, desired.map(createChange));
    events = applied.events;
    ctx = { stack: STACK, resolve: applied.resolve, notify: (e) => events.push(e) };
  });
  afterAll(async () => {
    for (const c of clients) {
      c.backup.destroy();
      c.kms.destroy();
    }
    await env?.stop();
  });

  it("creates a vault once, whatever the retries, and refuses a namesake that is not ours", async () => {
    const again = await applyChange(env.pool, createChange(byAddress(desired, "vault.prod")), ctx);
    expect(again.id).toBe(applied.results.get("vault.prod")!.id);
    const vaults = await root(PROD).backup.send(new ListBackupVaultsCommand({}));
    expect(vaults.BackupVaultList!.filter((v) => v.BackupVaultName === "prod")).toHaveLength(1);

    await root(STAGING).backup.send(new CreateBackupVaultCommand({ BackupVaultName: "theirs" }));
    const theirs: DesiredResource = { ...byAddress(desired, "vault.plain"), address: "vault.theirs", identity: `vault:${STAGING}/${REGION}/theirs`, attributes: { name: "theirs", encryption_key_arn: "alias/aws/backup", tags: {}, arn: "" } };
    const err = await applyChange(env.pool, createChange(theirs), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as Error).message).toBe(`vault.theirs: a vault named theirs already exists in ${STAGING}/${REGION} and is not managed by stack ${STACK}; adopt it or rename the vault`);
  });

  it("adopts a foreign vault: ownership tags, then it reads as ours", async () => {
    const d: DesiredResource = { ...byAddress(desired, "vault.plain"), address: "vault.theirs", identity: `vault:${STAGING}/${REGION}/theirs`,
      attributes: { name: "theirs", encryption_key_arn: "alias/aws/backup", tags: { adopted: "yes" }, arn: `arn:aws:backup:${REGION}:${STAGING}:backup-vault:theirs` } };
    const before = liveAt(await read([...desired, d]), "vault.theirs")!;
    expect(before.ownership).toBe("foreign");
    await applyChange(env.pool, changeOf("adopt", before, d), ctx);
    const after = liveAt(await read([...desired, d]), "vault.theirs")!;
    expect(after.ownership).toBe("ours");
    expect(after.attributes).toEqual(d.attributes);
    expect(after.appliedHash).toBe(attributesHash(after.attributes));
  });

  it("finishes a key left half-created by an interrupted apply instead of creating a second one", async () => {
    const d: DesiredResource = {
      ...byAddress(desired, "kms_key.prod"), address: "kms_key.spare", identity: `kms_key:${STAGING}/${REGION}/alias/crossvault-spare`, accountId: STAGING,
      attributes: { alias: "alias/crossvault-spare", description: "spare", enable_key_rotation: true, tags: { team: "x" }, deletion_window_days: 7, arn: { $pending: { address: "kms_key.spare", attribute: "arn" } } },
    };
    // The crash: CreateKey (with its tags) went through, nothing after it.
    const { kms } = root(STAGING);
    const orphan = await kms.send(new CreateKeyCommand({ Description: "spare", Tags: [{ TagKey: STACK_TAG, TagValue: STACK }, { TagKey: ADDRESS_TAG, TagValue: "kms_key.spare" }, { TagKey: APPLIED_HASH_TAG, TagValue: "x" }] }));
    const keysBefore = (await kms.send(new ListKeysCommand({}))).Keys!.length;
    // plan sees it: ours, at its address, without its alias yet.
    const half = liveAt(await read([...desired, d]), "kms_key.spare")!;
    expect(half.ownership).toBe("ours");
    expect(half.attributes.alias).toBe("");

    const done = await applyChange(env.pool, createChange(d), ctx);
    expect(done.id).toBe(orphan.KeyMetadata!.KeyId);
    expect((await kms.send(new ListKeysCommand({}))).Keys!.length).toBe(keysBefore);
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!.filter((a) => a.TargetKeyId === done.id).map((a) => a.AliasName).sort();
    expect(aliases).toEqual(["alias/crossvault-spare", markerAlias(STACK, done.id!)]);
    const live = liveAt(await read([...desired, d]), "kms_key.spare")!;
    expect(live.attributes).toEqual(expectedLive(d, (p) => (p.$pending.address === "kms_key.spare" ? done.attributes!.arn : undefined)));
    expect(live.appliedHash).toBe(attributesHash(live.attributes));
  });

  it("reports a foreign key the config names as foreign even when its policy keeps crossvault out", async () => {
    const { kms } = root(STAGING);
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${STAGING}:root` }, Action: "kms:*", Resource: "*" },
        { Sid: "NoPolicyReads", Effect: "Deny", Principal: { AWS: `arn:aws:iam::${STAGING}:role/OrganizationAccountAccessRole` }, Action: "kms:GetKeyPolicy", Resource: "*" },
      ],
    };
    const key = await kms.send(new CreateKeyCommand({ Description: "theirs", Policy: JSON.stringify(policy) }));
    await kms.send(new CreateAliasCommand({ AliasName: "alias/their-key", TargetKeyId: key.KeyMetadata!.KeyId! }));
    const d: DesiredResource = { ...byAddress(desired, "kms_key.prod"), address: "kms_key.theirs", accountId: STAGING, identity: `kms_key:${STAGING}/${REGION}/alias/their-key`,
      attributes: { ...byAddress(desired, "kms_key.prod").attributes, alias: "alias/their-key" } };
    const r = await read([...desired, d]);
    expect(r.unreadable).toEqual([]);
    const live = liveAt(r, "kms_key.theirs")!;
    expect(live.ownership).toBe("foreign");
    expect(live.attributes.description).toBe("theirs");
  });

  it("schedules a key's deletion with its window, removes its aliases, and no longer reports it", async () => {
    const d = { ...byAddress(desired, "kms_key.prod"), address: "kms_key.spare", identity: `kms_key:${STAGING}/${REGION}/alias/crossvault-spare`, accountId: STAGING } as DesiredResource;
    const live = liveAt(await read([...desired, d]), "kms_key.spare")!;
    await applyChange(env.pool, changeOf("delete", live, undefined, { deletionWindowDays: 7 }), ctx);
    const meta = (await root(STAGING).kms.send(new DescribeKeyCommand({ KeyId: live.id }))).KeyMetadata!;
    expect(meta.KeyState).toBe("PendingDeletion");
    expect(meta.PendingDeletionWindowInDays).toBe(7);
    const aliases = (await root(STAGING).kms.send(new ListAliasesCommand({}))).Aliases!.filter((a) => a.TargetKeyId === live.id);
    expect(aliases).toEqual([]);
    expect((await read()).resources.some((l) => l.id === live.id)).toBe(false);
    // A retried delete of a key already scheduled is done, not an error.
    await applyChange(env.pool, changeOf("delete", live, undefined, { deletionWindowDays: 7 }), ctx);
  });

  it("updates a plan in place and replaces a selection, reading back what was applied", async () => {
    const live = await read();
    const plan = byAddress(desired, "backup_plan.daily");
    const rules = (plan.attributes.rules as Array<Record<string, unknown>>).map((r) => (r.name === "daily" ? { ...r, lifecycle: { delete_after_days: 60 } } : r));
    const nextPlan: DesiredResource = { ...plan, attributes: { ...plan.attributes, rules: rules as never, tags: { cost: "backup", tier: "gold" } } };
    await applyChange(env.pool, changeOf("update", liveAt(live, "backup_plan.daily"), nextPlan), ctx);
    const selection = byAddress(desired, "backup_selection.daily.tagged");
    const nextSelection: DesiredResource = { ...selection, attributes: { ...selection.attributes, tags: [{ type: "STRINGEQUALS", key: "backup", value: "hourly" }] as never } };
    const oldSelection = liveAt(live, "backup_selection.daily.tagged")!;
    const replaced = await applyChange(env.pool, changeOf("update", oldSelection, nextSelection), ctx);
    expect(replaced.id).not.toBe(oldSelection.id);

    const next = desired.map((d) => (d.address === plan.address ? nextPlan : d.address === selection.address ? nextSelection : d));
    const reread = await read(next);
    const p = liveAt(reread, "backup_plan.daily")!;
    expect(p.id).toBe(liveAt(live, "backup_plan.daily")!.id);
    expect(p.attributes).toEqual(expectedLive(nextPlan, applied.resolve));
    expect(p.appliedHash).toBe(attributesHash(p.attributes));
    const s = reread.resources.filter((l) => l.type === "backup_selection");
    expect(s.map((l) => l.id)).toEqual([replaced.id]);
    expect(s[0]!.attributes).toEqual(expectedLive(nextSelection, applied.resolve));
  });

  it("never deletes a vault that holds recovery points", async () => {
    const { backup } = root(STAGING);
    await backup.send(new StartBackupJobCommand({ BackupVaultName: "plain", ResourceArn: `arn:aws:elasticfilesystem:${REGION}:${STAGING}:file-system/fs-0123456789abcdef0`, IamRoleArn: `arn:aws:iam::${STAGING}:role/backup` }));
    // Sandbox time: long enough for the job to end, short of the role sessions expiring.
    await env.sandbox.advanceClock(60_000);
    const live = liveAt(await read(), "vault.plain")!;
    expect(live.facts?.recoveryPoints).toBe(1);
    const err = await applyChange(env.pool, changeOf("delete", live, undefined), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as Error).message).toMatch(/^vault\.plain: vault plain in 444444444444\/eu-west-1 still holds recovery points and is not deleted/);
    expect(liveAt(await read(), "vault.plain")).toBeDefined();
  });

  it("removes a vault lock and deletes an empty vault of ours", async () => {
    const live = await read();
    await applyChange(env.pool, changeOf("delete", liveAt(live, "vault_lock.central"), undefined), ctx);
    const theirs = liveAt(await read([...desired, { ...byAddress(desired, "vault.plain"), address: "vault.theirs", identity: `vault:${STAGING}/${REGION}/theirs`, attributes: { name: "theirs" } }]), "vault.theirs")!;
    await applyChange(env.pool, changeOf("delete", theirs, undefined), ctx);
    const after = await read();
    expect(liveAt(after, "vault_lock.central")).toBeUndefined();
    expect(after.resources.some((l) => l.identity === theirs.identity)).toBe(false);
  });

  it("does not delete a vault that is no longer the stack's by the time of the delete (made again under its name)", async () => {
    const { backup } = root(STAGING);
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "planned-away", BackupVaultTags: { [STACK_TAG]: STACK } }));
    const d: DesiredResource = { ...byAddress(desired, "vault.plain"), address: "vault.away", identity: `vault:${STAGING}/${REGION}/planned-away`, attributes: { name: "planned-away" } };
    const planned = liveAt(await read([...desired, d]), "vault.away")!;
    expect(planned.ownership).toBe("ours");
    // Between the plan and the delete, the vault is deleted and another team makes one under the same name.
    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: "planned-away" }));
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "planned-away", BackupVaultTags: { team: "other" } }));
    const err = await applyChange(env.pool, changeOf("delete", planned, undefined), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as Error).message).toBe(`vault.away: vault planned-away in ${STAGING}/${REGION} is no longer tagged with stack ${STACK}; it is left as it is (run plan again)`);
    expect((await backup.send(new ListBackupVaultsCommand({}))).BackupVaultList!.map((v) => v.BackupVaultName)).toContain("planned-away");
  });

  it("leaves trusted access and the cross-account setting on when deleted, and turns them off only when asked", async () => {
    const live = await read();
    const trust = liveAt(live, "org_trust")!;
    const setting = liveAt(live, "cross_account_setting")!;
    events.length = 0;
    await applyChange(env.pool, changeOf("delete", trust, undefined), ctx);
    await applyChange(env.pool, changeOf("delete", setting, undefined), ctx);
    expect(events.filter((e) => e.type === "warning")).toHaveLength(2);
    let now = await read();
    expect(liveAt(now, "org_trust")!.attributes.enabled).toBe(true);
    expect(liveAt(now, "cross_account_setting")!.attributes.enabled).toBe(true);

    const off = (d: DesiredResource): DesiredResource => ({ ...d, attributes: { ...d.attributes, enabled: false } });
    await applyChange(env.pool, changeOf("update", setting, off(byAddress(desired, "cross_account_setting"))), ctx);
    await applyChange(env.pool, changeOf("update", trust, off(byAddress(desired, "org_trust"))), ctx);
    now = await read();
    expect(liveAt(now, "org_trust")!.attributes.enabled).toBe(false);
    expect(liveAt(now, "cross_account_setting")!.attributes.enabled).toBe(false);
  });
});
