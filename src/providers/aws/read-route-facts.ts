// What the copy-route check reads beside the live read, at the ends of the routes only: each vault whoever
// owns it (its key, tags, whole access policy, Vault Lock), each key (manager, state, whole policy), and the
// organization's trusted access and cross-account setting. The live read keeps only the stack's statements of
// shared documents; a route is decided by all of them. A part that cannot be read is recorded as such (the
// rules needing it answer `unknown`), never as absent.
import { DescribeBackupVaultCommand } from "@aws-sdk/client-backup";
import { DescribeKeyCommand, GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import type { KeyFact, OrgSettings, Readable, RouteFacts, VaultFact } from "../../check/routes/index.js";
import { readable, unreadable, vaultKey } from "../../check/routes/index.js";
import type { LiveResource } from "../../model/resource.js";
import { describeError, isAccessDenied, isNotFound } from "./aws-errors.js";
import type { ClientPool } from "./clients.js";
import { DEFAULT_LIMITS, RequestLimiter, type LimiterOptions } from "./limiter.js";
import { readOrgSettings } from "./read-org.js";
import type { KnownFacts } from "./read-context.js";
import { getVaultPolicy, listBackupTags } from "./read-vaults.js";

export interface RouteFactNeeds {
  vaults: Array<{ accountId: string; region: string; name: string }>;
  managementAccountId: string;
  /** Region of the cross-account setting. */
  settingsRegion: string;
  /** org_trust and cross_account_setting when the live read already has them (the config manages them). */
  liveSettings?: readonly LiveResource[];
  /** Vaults and keys the live read already read whole: not read again. */
  known?: KnownFacts;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;

async function readVault(pool: ClientPool, limiter: RequestLimiter, accountId: string, region: string, name: string): Promise<Readable<VaultFact | null>> {
  const lane = `${accountId}/${region}`;
  const backup = pool.backup(accountId, region);
  const call = <T>(fn: () => Promise<T>): Promise<T> => limiter.run(lane, fn);
  try {
    let described;
    try {
      described = await call(() => backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name })));
    } catch (e) {
      if (isNotFound(e)) return readable(null);
      throw e;
    }
    const arn = described.BackupVaultArn ?? `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`;
    const [tags, policy] = await Promise.all([listBackupTags(backup, arn, call), getVaultPolicy(backup, name, call)]);
    const fact: VaultFact = { arn, encryptionKeyArn: described.EncryptionKeyArn ?? "", tags };
    if (policy !== undefined) fact.policy = policy;
    if (described.MinRetentionDays !== undefined) fact.minRetentionDays = described.MinRetentionDays;
    if (described.MaxRetentionDays !== undefined) fact.maxRetentionDays = described.MaxRetentionDays;
    return readable(fact);
  } catch (e) {
    // AWS has also answered AccessDeniedException for a vault that does not exist (BEHAVIOUR.md §2.2).
    const why = isAccessDenied(e) ? `${describeError(e)} (AWS also answers so for a vault that does not exist)` : describeError(e);
    return unreadable(`cannot read vault ${name} of account ${accountId} in ${region} through ${pool.describeAccess(accountId)}: ${why}`);
  }
}

async function readKey(pool: ClientPool, limiter: RequestLimiter, arn: string): Promise<Readable<KeyFact | null>> {
  const m = KEY_ARN.exec(arn);
  if (!m) return readable(null);
  const [, region, accountId] = m as unknown as [string, string, string];
  const kms = pool.kms(accountId, region);
  const call = <T>(fn: () => Promise<T>): Promise<T> => limiter.run(`${accountId}/${region}`, fn);
  try {
    let meta;
    try {
      meta = (await call(() => kms.send(new DescribeKeyCommand({ KeyId: arn })))).KeyMetadata;
    } catch (e) {
      if (isNotFound(e)) return readable(null);
      throw e;
    }
    const manager = meta?.KeyManager === "AWS" ? "AWS" : "CUSTOMER";
    const fact: KeyFact = { arn: meta?.Arn ?? arn, manager, state: meta?.KeyState ?? "Enabled" };
    if (manager === "CUSTOMER") {
      const out = await call(() => kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" })));
      if (out.Policy !== undefined) fact.policy = out.Policy;
    }
    return readable(fact);
  } catch (e) {
    const why = isAccessDenied(e) ? "access denied" : describeError(e);
    return unreadable(`cannot read KMS key ${arn} through ${pool.describeAccess(accountId)}: ${why}`);
  }
}

async function readSettings(pool: ClientPool, needs: RouteFactNeeds): Promise<Readable<OrgSettings>> {
  const fromLive = (resources: readonly LiveResource[]): OrgSettings | undefined => {
    const trust = resources.find((r) => r.type === "org_trust" && r.address === "org_trust");
    const setting = resources.find((r) => r.type === "cross_account_setting");
    return trust && setting ? { trustedAccess: trust.attributes.enabled === true, crossAccountBackup: setting.attributes.enabled === true } : undefined;
  };
  const known = fromLive(needs.liveSettings ?? []);
  if (known) return readable(known);
  try {
    const read = await readOrgSettings(pool, needs.managementAccountId, needs.settingsRegion);
    return readable(fromLive(read.resources)!);
  } catch (e) {
    return unreadable(`cannot read trusted access and the cross-account backup setting of management account ${needs.managementAccountId}: ${describeError(e)}`);
  }
}

/**
 * Reads the route ends in two passes: the vaults (and the settings), then every key the vaults name plus
 * `moreKeys` (share_keys, keys of planned vaults).
 */
export async function readRouteFacts(pool: ClientPool, needs: RouteFactNeeds, moreKeys: (vaults: RouteFacts["vaults"]) => string[], limits: LimiterOptions = DEFAULT_LIMITS): Promise<RouteFacts> {
  const limiter = new RequestLimiter(limits);
  const unique = new Map(needs.vaults.map((v) => [vaultKey(v.accountId, v.region, v.name), v]));
  const [settings, vaultEntries] = await Promise.all([
    readSettings(pool, needs),
    Promise.all([...unique].map(async ([key, v]) => {
      const known = needs.known?.vaults[key];
      return [key, known ? readable(known) : await readVault(pool, limiter, v.accountId, v.region, v.name)] as const;
    })),
  ]);
  const vaults: RouteFacts["vaults"] = Object.fromEntries(vaultEntries);
  const arns = new Set<string>(moreKeys(vaults));
  for (const v of Object.values(vaults)) if (v.ok && v.value && KEY_ARN.test(v.value.encryptionKeyArn)) arns.add(v.value.encryptionKeyArn);
  const keyEntries = await Promise.all([...arns].filter((a) => KEY_ARN.test(a)).sort().map(async (arn) => {
    const known = needs.known?.keys[arn];
    return [arn, known ? readable(known) : await readKey(pool, limiter, arn)] as const;
  }));
  return { settings, vaults, keys: Object.fromEntries(keyEntries) };
}
