// The live read behind `plan`: every account-region at once (bounded per account-region and globally), each
// read with a handful of batched list calls and detail calls only for what the config names or this stack
// marks. A failure in one account-region (a role that cannot be assumed, access denied) becomes an
// `unreadable` entry naming the account and how it was reached; everything else is still read.
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { AWS_MANAGED_BACKUP_KEY } from "../../model/attributes.js";
import type { LiveResource } from "../../model/resource.js";
import { describeError, isCredentialFailure } from "./aws-errors.js";
import type { ClientPool } from "./clients.js";
import { DEFAULT_LIMITS, RequestLimiter } from "./limiter.js";
import { AWS_BACKUP_ALIAS, keyArnOf, readKeys } from "./read-keys.js";
import type { KeysRead } from "./read-keys.js";
import { readGuardrailsInto, type ScpFacts } from "./read-guardrails.js";
import { readOrgSettings } from "./read-org.js";
import { readPlans } from "./read-plans.js";
import { readVaults } from "./read-vaults.js";
import { fingerprintOf, indexDesired, LaneRead, lanesToRead, organizationLane } from "./read-context.js";
import type { KnownFacts, LiveRead, ReadOptions, ReadScope, Unreadable } from "./read-context.js";

export type { LiveRead, ReadOptions, ReadScope, Unreadable } from "./read-context.js";

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;

/**
 * The ARN of the AWS managed key for Backup, when a vault of this account-region is encrypted with a key KMS
 * did not list by alias: DescribeKey on the alias (KMS creates that key on first use, so it may not be listed).
 */
async function awsBackupKeyArn(r: LaneRead, keys: KeysRead): Promise<string | undefined> {
  if (keys.awsBackupKeyArn) return keys.awsBackupKeyArn;
  const unknown = r.resources.some((v) => {
    if (v.type !== "vault") return false;
    const m = KEY_ARN.exec(String(v.attributes.encryption_key_arn));
    return m !== null && m[1] === r.region && m[2] === r.accountId && !keys.keyIds.has(m[3]!);
  });
  if (!unknown) return undefined;
  const out = await r.call(() => r.kms.send(new DescribeKeyCommand({ KeyId: AWS_BACKUP_ALIAS })));
  return out.KeyMetadata?.KeyId ? keyArnOf(r.region, r.accountId, out.KeyMetadata.KeyId) : undefined;
}

async function readLane(r: LaneRead): Promise<void> {
  const [, keys] = await Promise.all([readVaults(r), readKeys(r), readPlans(r)]);
  const managed = await awsBackupKeyArn(r, keys);
  // Both sides name the AWS managed key by its alias: its ARN differs per account and region.
  if (managed) for (const v of r.resources) if (v.type === "vault" && v.attributes.encryption_key_arn === managed) v.attributes.encryption_key_arn = AWS_MANAGED_BACKUP_KEY;
}

function byAddress(a: LiveResource, b: LiveResource): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0;
}

/** One entry per account when all its regions failed to get credentials (the role cannot be assumed). */
function collapse(failures: Array<Unreadable & { credentials: boolean }>, regionsOf: Map<string, number>): Unreadable[] {
  const out: Unreadable[] = [];
  const byAccount = new Map<string, Array<Unreadable & { credentials: boolean }>>();
  for (const f of failures) byAccount.set(f.accountId, [...(byAccount.get(f.accountId) ?? []), f]);
  for (const [accountId, list] of byAccount) {
    const whole = list.length === regionsOf.get(accountId) && list.every((f) => f.credentials) && new Set(list.map((f) => f.message)).size === 1;
    if (whole) out.push({ accountId, message: list[0]!.message });
    else for (const f of list) out.push({ accountId: f.accountId, ...(f.region !== undefined ? { region: f.region } : {}), message: f.message });
  }
  return out.sort((a, b) => (`${a.accountId}/${a.region ?? ""}` < `${b.accountId}/${b.region ?? ""}` ? -1 : 1));
}

/** Identity -> fingerprint; absent desired objects where the read succeeded; namesakes hashed together. */
function fingerprintsOf(resources: readonly LiveResource[], scope: ReadScope, readPlaces: ReadonlySet<string>): Record<string, string> {
  const byIdentity = new Map<string, string[]>();
  for (const l of resources) byIdentity.set(l.identity, [...(byIdentity.get(l.identity) ?? []), l.fingerprint]);
  for (const d of scope.desired) {
    if (byIdentity.has(d.identity) || !readPlaces.has(`${d.accountId}/${d.region}`)) continue;
    byIdentity.set(d.identity, [fingerprintOf(undefined)]);
  }
  const out: Record<string, string> = {};
  for (const identity of [...byIdentity.keys()].sort()) {
    const prints = byIdentity.get(identity)!;
    out[identity] = prints.length === 1 ? prints[0]! : fingerprintOf([...prints].sort());
  }
  return out;
}

/** `org`: the SCP facts for OrgFacts (absent when they could not be read). */
export async function readLive(pool: ClientPool, scope: ReadScope, opts: ReadOptions = {}): Promise<LiveRead & { org?: ScpFacts }> {
  const index = indexDesired(scope.desired, scope.keyArns);
  const lanes = lanesToRead(scope);
  const limiter = opts.limiter ?? new RequestLimiter(opts.limits ?? DEFAULT_LIMITS, new Set([organizationLane(scope.managementAccountId)]));
  const regionsOf = new Map<string, number>();
  for (const l of lanes) regionsOf.set(l.accountId, (regionsOf.get(l.accountId) ?? 0) + 1);
  opts.notify?.({ type: "refresh-start", accounts: regionsOf.size, regions: new Set(lanes.map((l) => l.region)).size });

  const resources: LiveResource[] = [];
  const facts: KnownFacts = { vaults: {}, keys: {} };
  /** Account-regions (and "ACCOUNT/global" for the organization) read completely. */
  const readPlaces = new Set<string>();
  const failures: Array<Unreadable & { credentials: boolean }> = [];
  const failed = (accountId: string, region: string, what: string, e: unknown): void => {
    // Credentials are per account (the same for every region); anything else is about this region.
    const credentials = isCredentialFailure(e);
    const message = credentials
      ? `cannot reach account ${accountId} through ${pool.describeAccess(accountId)}: ${describeError(e)}`
      : `cannot read ${what} of account ${accountId}${region === "global" ? "" : ` in ${region}`} through ${pool.describeAccess(accountId)}: ${describeError(e)}`;
    failures.push({ accountId, region, message, credentials });
    opts.notify?.({ type: "read-failed", accountId, region, message });
  };

  const laneTasks = lanes.map(async ({ accountId, region }) => {
    const r = new LaneRead(scope.stack, accountId, region, index, pool.backup(accountId, region), pool.kms(accountId, region), limiter, opts.readAhead?.takeLane(accountId, region));
    try {
      await readLane(r);
    } catch (e) {
      // A partial read of an account-region would plan creates for what was not reached: report none of it.
      failed(accountId, region, "the backup vaults, plans and keys", e);
      return;
    }
    resources.push(...r.resources);
    Object.assign(facts.vaults, r.facts.vaults);
    Object.assign(facts.keys, r.facts.keys);
    readPlaces.add(r.lane);
    opts.notify?.({ type: "read-done", accountId, region, resources: r.resources.length });
  });

  const orgTask = async (): Promise<void> => {
    if (!scope.manageOrg) return;
    const desiredRegion = scope.desired.find((d) => d.type === "cross_account_setting")?.region;
    const region = desiredRegion ?? scope.homeRegion ?? pool.settings.homeRegion;
    try {
      const read = await readOrgSettings(pool, scope.managementAccountId, region);
      resources.push(...read.resources);
      readPlaces.add(`${scope.managementAccountId}/global`).add(`${scope.managementAccountId}/${region}`);
      opts.notify?.({ type: "read-done", accountId: scope.managementAccountId, region: "global", resources: read.resources.length });
    } catch (e) {
      failed(scope.managementAccountId, "global", "trusted access and the cross-account backup setting", e);
    }
  };

  const fetched = opts.readAhead?.takeScps();
  const guardrails = readGuardrailsInto({ pool, scope, limiter, resources, readPlaces, failed, ...(fetched ? { fetched } : {}) });
  await Promise.all([...laneTasks, orgTask(), guardrails]);
  resources.sort(byAddress);
  const org = await guardrails;
  return { resources, unreadable: collapse(failures, regionsOf), fingerprints: fingerprintsOf(resources, scope, readPlaces), facts, ...(org ? { org } : {}) };
}
