// What a live read needs to know: the scope (accounts and regions, the desired resources, so that only what the
// config names is read in detail), the index of those names per account-region, and the context one
// account-region's readers share (clients, the call limiter, the results being collected).
import type { BackupClient, BackupPlansListMember, BackupVaultListMember } from "@aws-sdk/client-backup";
import type { AliasListEntry, KMSClient } from "@aws-sdk/client-kms";
import type { PolicySummary } from "@aws-sdk/client-organizations";
import type { EngineEvent } from "../../core/events.js";
import { shareKeyOf } from "../../model/identity.js";
import { attributesHash } from "../../model/ownership.js";
import type { DesiredResource, LiveResource } from "../../model/resource.js";
import type { KeyFact, VaultFact } from "../../check/routes/index.js";
import type { LimiterOptions, RequestLimiter } from "./limiter.js";

export interface ReadScope {
  stack: string;
  /** Every account and its regions to scan for the stack's objects (the desired ones are added). */
  accounts: Array<{ accountId: string; regions: string[] }>;
  desired: readonly DesiredResource[];
  managementAccountId: string;
  /** Read trusted access and the cross-account setting (the config declares them). */
  manageOrg: boolean;
  /** Region of the cross-account setting when no desired resource names one (default: the pool's home region). */
  homeRegion?: string;
  /**
   * Existing keys the config names by ARN: read for the stack's share statements even when no share of them is
   * desired any more, so that a removed route's statements are found and deleted.
   */
  keyArns?: string[];
  /** The organization's root as the organization walk found it (its policy types): not listed a second time. */
  root?: { id: string; scpEnabled: boolean };
}

export interface ReadOptions {
  notify?: (event: EngineEvent) => void;
  limits?: LimiterOptions;
  /** The limiter to share with reads made before this one (the organization walk, the read-ahead). */
  limiter?: RequestLimiter;
  /** Lists and SCPs already being read (read-ahead.ts): each is taken once instead of read again. */
  readAhead?: ReadAheadSource;
}

/** The lists of one account-region, fetched before the desired state was known. */
export interface LaneLists {
  vaults: Promise<BackupVaultListMember[]>;
  plans: Promise<BackupPlansListMember[]>;
  aliases: Promise<AliasListEntry[]>;
}

export interface ReadAheadSource {
  takeLane(accountId: string, region: string): LaneLists | undefined;
  takeScps(): Promise<ScpPolicy[]> | undefined;
}

/** One SCP as read from Organizations (read-guardrails.ts turns it into facts and resources). */
export interface ScpPolicy {
  summary: PolicySummary;
  content: string;
  targets: string[];
  tags: Record<string, string>;
}

export interface Unreadable {
  accountId: string;
  region?: string;
  message: string;
}

export interface LiveRead {
  resources: LiveResource[];
  unreadable: Unreadable[];
  /**
   * Identity (`vault:ACCOUNT/REGION/NAME`, as on the resources and plan changes) -> fingerprint of the live
   * object read; identities of desired resources found absent (where the read succeeded) map to the hash of
   * absence, so a saved plan also goes stale when something it plans to create appears.
   */
  fingerprints: Record<string, string>;
  /** Whole vaults and keys as read, for the copy-route check. */
  facts?: KnownFacts;
}

/**
 * What the read learnt of vaults and keys whole (every statement of a policy, every tag), which the copy-route
 * check needs and would otherwise read a second time: vaults by vaultKey(), keys by ARN.
 */
export interface KnownFacts {
  vaults: Record<string, VaultFact>;
  keys: Record<string, KeyFact>;
}

/** What the config names in one account-region. */
export interface NamedObjects {
  vaultNames: Set<string>;
  planNames: Set<string>;
  aliases: Set<string>;
  /** Keys named by ARN (existing keys whose shares are managed). */
  keyArns: Set<string>;
  /** The key part of every desired share's identity (its key ARN, or ACCOUNT/REGION/ALIAS for a created key). */
  sharedKeys: Set<string>;
  /** Desired plans the user asked to adopt (their selections are read too). */
  adoptPlanNames: Set<string>;
}

export interface DesiredIndex {
  byIdentity: Map<string, DesiredResource>;
  byAddress: Map<string, DesiredResource>;
  named(accountId: string, region: string): NamedObjects;
}

export function laneOf(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

/** The lane of every Organizations call: the management account's, global. */
export function organizationLane(managementAccountId: string): string {
  return laneOf(managementAccountId, "global");
}

function emptyNamed(): NamedObjects {
  return { vaultNames: new Set(), planNames: new Set(), aliases: new Set(), keyArns: new Set(), sharedKeys: new Set(), adoptPlanNames: new Set() };
}

const KEY_ARN_PARTS = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/.+$/;

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function indexDesired(desired: readonly DesiredResource[], keyArns: readonly string[] = []): DesiredIndex {
  const byIdentity = new Map<string, DesiredResource>();
  const byAddress = new Map<string, DesiredResource>();
  const lanes = new Map<string, NamedObjects>();
  const namedIn = (accountId: string, region: string): NamedObjects => {
    const lane = laneOf(accountId, region);
    let n = lanes.get(lane);
    if (!n) lanes.set(lane, (n = emptyNamed()));
    return n;
  };
  for (const d of desired) {
    if (!byIdentity.has(d.identity)) byIdentity.set(d.identity, d);
    byAddress.set(d.address, d);
    const a = d.attributes;
    const n = namedIn(d.accountId, d.region);
    switch (d.type) {
      case "vault": {
        const name = text(a.name);
        if (name) n.vaultNames.add(name);
        break;
      }
      case "vault_policy":
      case "vault_lock": {
        const name = text(a.vault_name);
        if (name) n.vaultNames.add(name);
        break;
      }
      case "kms_key": {
        const alias = text(a.alias);
        if (alias) n.aliases.add(alias);
        break;
      }
      case "key_share": {
        const arn = text(a.key_arn);
        if (arn) n.keyArns.add(arn);
        const key = shareKeyOf(d.identity);
        if (key) n.sharedKeys.add(key);
        break;
      }
      case "backup_plan": {
        const name = text(a.name);
        if (name) n.planNames.add(name);
        if (name && d.adopt) n.adoptPlanNames.add(name);
        break;
      }
      default:
        break;
    }
  }
  for (const arn of keyArns) {
    const m = KEY_ARN_PARTS.exec(arn);
    if (m) namedIn(m[2]!, m[1]!).keyArns.add(arn);
  }
  return { byIdentity, byAddress, named: (accountId, region) => lanes.get(laneOf(accountId, region)) ?? emptyNamed() };
}

/** Every account-region to read: the scope's plus those of the desired resources (never "global"). */
export function lanesToRead(scope: ReadScope): Array<{ accountId: string; region: string }> {
  const seen = new Map<string, { accountId: string; region: string }>();
  const add = (accountId: string, region: string): void => {
    if (region === "global" || region === "") return;
    seen.set(laneOf(accountId, region), { accountId, region });
  };
  for (const a of scope.accounts) for (const r of a.regions) add(a.accountId, r);
  for (const d of scope.desired) if (d.type !== "org_trust" && d.type !== "cross_account_setting") add(d.accountId, d.region);
  for (const arn of scope.keyArns ?? []) {
    const m = KEY_ARN_PARTS.exec(arn);
    if (m) add(m[2]!, m[1]!);
  }
  return [...seen.values()].sort((x, y) => (laneOf(x.accountId, x.region) < laneOf(y.accountId, y.region) ? -1 : 1));
}

/** The shared state of one account-region's readers. */
export class LaneRead {
  readonly lane: string;
  readonly resources: LiveResource[] = [];
  readonly named: NamedObjects;
  readonly facts: KnownFacts = { vaults: {}, keys: {} };

  constructor(
    readonly stack: string,
    readonly accountId: string,
    readonly region: string,
    readonly index: DesiredIndex,
    readonly backup: BackupClient,
    readonly kms: KMSClient,
    private readonly limiter: RequestLimiter,
    /** This account-region's lists when the read-ahead fetched them. */
    readonly lists?: LaneLists,
  ) {
    this.lane = laneOf(accountId, region);
    this.named = index.named(accountId, region);
  }

  /** Runs one AWS call under the lane's and the global bound. */
  call<T>(fn: () => Promise<T>): Promise<T> {
    return this.limiter.run(this.lane, fn);
  }

  /** The fingerprint of what was read of one object: a stable hash of the parts of the response that matter. */
  fingerprint(value: unknown): string {
    return fingerprintOf(value);
  }

  /** The address a desired resource with this identity has, if any. */
  desiredAddress(identity: string): string | undefined {
    return this.index.byIdentity.get(identity)?.address;
  }

  /** The desired resource with this identity, if any. */
  desired(identity: string): DesiredResource | undefined {
    return this.index.byIdentity.get(identity);
  }
}

/** Runs one AWS call (readers pass their limiter's bound; writers call directly). */
export type Caller = <T>(fn: () => Promise<T>) => Promise<T>;

export const direct: Caller = (fn) => fn();

/** Stable hash of a read value; `undefined` (an object the config names that does not exist) hashes as absent. */
export function fingerprintOf(value: unknown): string {
  return attributesHash(value === undefined ? { absent: true } : value);
}

/**
 * A read started before anyone awaits it (a head start): its failure is reported by whoever awaits it later, or
 * by no one when it turns out not to be needed, never as an unhandled rejection.
 */
export function quietly<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Follows a paginated list to its end. */
export async function allPages<P, T>(fetch: (token: string | undefined) => Promise<P>, items: (page: P) => readonly T[] | undefined, next: (page: P) => string | undefined): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(items(page) ?? []));
    token = next(page) || undefined;
  } while (token);
  return out;
}
