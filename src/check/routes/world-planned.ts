// The route world as it will be after apply: the live world with the plan's changes carried out. Created and
// updated resources replace live ones, deleted ones vanish; in shared documents (vault access policies, key
// policies) only the stack's statements are replaced, as the writers do, so foreign statements keep deciding.
import type { GuardrailAttributes, PolicyStatement } from "../../model/attributes.js";
import { ADDRESS_TAG, STACK_TAG } from "../../model/ownership.js";
import { isPending, type Attributes } from "../../model/resource.js";
import type { OrgFacts } from "../../model/org.js";
import { enumerateRoutes, type ShareKeysOf } from "./enumerate.js";
import { planRecords, type ResourceView } from "./world-live.js";
import { pendingKeyRef, readable, vaultKey, type Readable, type RouteWorld, type ScpState, type ServiceControlPolicy, type WorldKey, type WorldVault } from "./types.js";

/** What the planned world needs of a plan change (a ResourceChange has these). */
export interface ChangeView {
  address: string;
  type: string;
  accountId: string;
  region: string;
  action: string;
  before: Attributes | null;
  after: Attributes | null;
}

export interface PlannedWorldInput {
  stack: string;
  live: RouteWorld;
  /** The live read's resources, for the plans and selections the changes apply to. */
  liveResources: readonly ResourceView[];
  changes: readonly ChangeView[];
  shareKeysOf: ShareKeysOf;
}

const WRITES = new Set(["create", "update", "replace", "adopt"]);

/** A key reference as the worlds key it: an ARN, or the key a pending value waits for. */
const FULL_AWS_ACCESS_DOCUMENT = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

function withFullAccessEverywhere(policies: readonly ServiceControlPolicy[], org: OrgFacts | undefined): ServiceControlPolicy[] {
  if (!org) return [...policies];
  const everywhere = [org.rootId, ...Object.keys(org.ouPaths), ...Object.keys(org.accountPaths)].filter((t) => t !== "").sort();
  const full = policies.find((p) => p.name === "FullAWSAccess");
  const rest = policies.filter((p) => p !== full);
  return [...rest, { ...(full ?? { id: "p-FullAWSAccess", name: "FullAWSAccess", document: FULL_AWS_ACCESS_DOCUMENT }), targets: everywhere }];
}

export function keyRefOf(v: unknown): string | undefined {
  if (typeof v === "string" && v !== "") return v;
  if (isPending(v)) return pendingKeyRef(v.$pending.address);
  return undefined;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function statementsOf(v: unknown): PolicyStatement[] {
  return Array.isArray(v) ? (v as PolicyStatement[]) : [];
}

/** The account a statement's principal names, when it names exactly one (`arn:aws:iam::ACCOUNT:root`). */
function principalAccount(raw: unknown): string | undefined {
  const aws = (raw as { Principal?: { AWS?: unknown } } | undefined)?.Principal?.AWS;
  const list = (Array.isArray(aws) ? aws : [aws]).filter((p): p is string => typeof p === "string");
  const ids = new Set(list.map((p) => /^\d{12}$/.test(p) ? p : /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(p)?.[1]).filter((x): x is string => x !== undefined));
  return ids.size === 1 ? [...ids][0] : undefined;
}

function sidOf(raw: unknown): string | undefined {
  const sid = (raw as { Sid?: unknown } | undefined)?.Sid;
  return typeof sid === "string" ? sid : undefined;
}

function defaultKeyPolicy(accountId: string): unknown[] {
  return [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }];
}

class Planner {
  readonly vaults: Map<string, Readable<WorldVault | null>>;
  readonly keys: Map<string, Readable<WorldKey | null>>;
  settings: RouteWorld["settings"];
  scps: Readable<ScpState>;

  constructor(private readonly live: RouteWorld, private readonly stack: string) {
    this.vaults = new Map([...live.vaults].map(([k, v]) => [k, v.ok && v.value ? readable({ ...v.value, tags: { ...v.value.tags } }) : v]));
    this.keys = new Map([...live.keys].map(([k, v]) => [k, v.ok && v.value ? readable({ ...v.value, shares: { ...v.value.shares } }) : v]));
    this.settings = live.settings;
    this.scps = live.scps.ok ? readable({ enabled: live.scps.value.enabled, policies: live.scps.value.policies.map((p) => ({ ...p })) }) : live.scps;
  }

  private ours(raw: unknown): boolean {
    return sidOf(raw)?.startsWith(this.live.sidPrefix) === true;
  }

  private vault(key: string): WorldVault | undefined {
    const v = this.vaults.get(key);
    return v?.ok && v.value ? v.value : undefined;
  }

  private key(ref: string): WorldKey | undefined {
    const k = this.keys.get(ref);
    return k?.ok && k.value ? k.value : undefined;
  }

  setting(c: ChangeView): void {
    if (!WRITES.has(c.action) || !c.after) return;
    const enabled = c.after.enabled === true;
    if (c.type === "org_trust" && c.after.policy_type !== undefined) {
      if (!this.scps.ok) return;
      const was = this.scps.value;
      // Enabling the policy type makes AWS attach FullAWSAccess to the root, every OU and every account; without
      // it, the planned world would have no SCP allowing anything at all.
      const policies = !was.enabled && enabled ? withFullAccessEverywhere(was.policies, this.live.org) : was.policies;
      this.scps = readable({ enabled: was.enabled || enabled, policies });
      return;
    }
    if (!this.settings.ok) return;
    const next = { ...this.settings.value };
    if (c.type === "org_trust") next.trustedAccess = enabled;
    else next.crossAccountBackup = enabled;
    this.settings = readable(next);
  }

  kmsKey(c: ChangeView): void {
    const arn = text(c.before?.arn);
    if ((c.action === "delete" || c.action === "replace") && arn) {
      const k = this.key(arn);
      if (k) k.state = "PendingDeletion";
    }
    if (c.action === "create" || c.action === "replace") {
      const ref = pendingKeyRef(c.address);
      this.keys.set(ref, readable({
        arn: `arn:aws:kms:${c.region}:${c.accountId}:key/(known after apply: ${c.address})`, accountId: c.accountId, manager: "CUSTOMER", state: "Enabled",
        policy: defaultKeyPolicy(c.accountId), address: c.address, shares: {},
      }));
    }
  }

  vaultChange(c: ChangeView): void {
    const name = text((c.after ?? c.before)?.name);
    if (!name) return;
    const key = vaultKey(c.accountId, c.region, name);
    if (c.action === "delete") {
      this.vaults.set(key, readable(null));
      return;
    }
    if (!WRITES.has(c.action) || !c.after) return;
    const previous = c.action === "replace" ? undefined : this.vault(key);
    const next: WorldVault = {
      ...(previous ?? {}),
      accountId: c.accountId, region: c.region, name,
      arn: text(c.after.arn) ?? previous?.arn ?? `arn:aws:backup:${c.region}:${c.accountId}:backup-vault:${name}`,
      keyRef: keyRefOf(c.after.encryption_key_arn) ?? previous?.keyRef ?? "",
      tags: { ...((c.after.tags as Record<string, string> | undefined) ?? {}), [STACK_TAG]: this.stack, [ADDRESS_TAG]: c.address },
      address: c.address,
    };
    if (c.action === "replace" || !previous) {
      delete next.policy;
      delete next.minRetentionDays;
      delete next.maxRetentionDays;
    }
    this.vaults.set(key, readable(next));
  }

  vaultLock(c: ChangeView): void {
    const name = text((c.after ?? c.before)?.vault_name);
    const v = name ? this.vault(vaultKey(c.accountId, c.region, name)) : undefined;
    if (!v) return;
    if (c.action === "delete") {
      delete v.minRetentionDays;
      delete v.maxRetentionDays;
    } else if (WRITES.has(c.action) && c.after) {
      const min = c.after.min_retention_days;
      const max = c.after.max_retention_days;
      if (typeof min === "number") v.minRetentionDays = min; else delete v.minRetentionDays;
      if (typeof max === "number") v.maxRetentionDays = max; else delete v.maxRetentionDays;
    }
  }

  vaultPolicy(c: ChangeView): void {
    if (c.action !== "delete" && !WRITES.has(c.action)) return;
    const name = text((c.after ?? c.before)?.vault_name);
    const v = name ? this.vault(vaultKey(c.accountId, c.region, name)) : undefined;
    if (!v) return;
    const kept = (v.policy ?? []).filter((s) => !this.ours(s));
    const statements = [...kept, ...(c.action === "delete" ? [] : statementsOf(c.after?.statements))];
    if (statements.length > 0) v.policy = statements;
    else delete v.policy;
    if (c.action !== "delete") v.policyAddress = c.address;
  }

  keyShare(c: ChangeView): void {
    if (c.action !== "delete" && !WRITES.has(c.action)) return;
    const attrs = c.after ?? c.before;
    const ref = keyRefOf(attrs?.key_arn);
    const destination = text(attrs?.destination_account);
    const k = ref ? this.key(ref) : undefined;
    if (!k || !destination) return;
    const owned = (s: unknown): boolean => this.ours(s) && (sidOf(s)!.endsWith(destination) || principalAccount(s) === destination);
    const kept = (k.policy ?? []).filter((s) => !owned(s));
    k.policy = [...kept, ...(c.action === "delete" ? [] : statementsOf(c.after?.statements))];
    if (c.action === "delete") delete k.shares[destination];
    else k.shares[destination] = c.address;
  }

  guardrail(c: ChangeView): void {
    if (!this.scps.ok || (c.action !== "delete" && !WRITES.has(c.action))) return;
    const policies = this.scps.value.policies;
    const named = text((c.before ?? c.after)?.name);
    const index = policies.findIndex((p) => p.name === named);
    if (c.action === "delete") {
      if (index >= 0) policies.splice(index, 1);
      return;
    }
    const a = c.after as unknown as GuardrailAttributes;
    const next: ServiceControlPolicy = {
      id: index >= 0 ? policies[index]!.id : `(known after apply: ${c.address})`,
      name: a.name, document: a.policy, targets: [...(a.targets ?? [])], address: c.address,
    };
    if (index >= 0) policies[index] = next;
    else policies.push(next);
  }
}

/** Plans and selections after the changes: live ones by address, replaced, added or removed. */
function appliedPlans(liveResources: readonly ResourceView[], changes: readonly ChangeView[]): ResourceView[] {
  const byAddress = new Map(liveResources.filter((r) => r.type === "backup_plan" || r.type === "backup_selection").map((r) => [r.address, r]));
  for (const c of changes) {
    if (c.type !== "backup_plan" && c.type !== "backup_selection") continue;
    if (c.action === "delete") byAddress.delete(c.address);
    else if (WRITES.has(c.action) && c.after) {
      const live = byAddress.get(c.address);
      const id = live?.id ?? text(live?.attributes.id);
      byAddress.set(c.address, { address: c.address, type: c.type, accountId: c.accountId, region: c.region, ...(id && c.action !== "replace" ? { id } : {}), attributes: c.after });
    }
  }
  return [...byAddress.values()];
}

// Resources are applied in dependency order: keys before the vaults and shares that name them.
const ORDER = ["org_trust", "cross_account_setting", "kms_key", "vault", "vault_lock", "vault_policy", "key_share", "guardrail"];

export function buildPlannedWorld(input: PlannedWorldInput): RouteWorld {
  const p = new Planner(input.live, input.stack);
  const changes = [...input.changes].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  for (const c of changes) {
    switch (c.type) {
      case "org_trust":
      case "cross_account_setting": p.setting(c); break;
      case "kms_key": p.kmsKey(c); break;
      case "vault": p.vaultChange(c); break;
      case "vault_lock": p.vaultLock(c); break;
      case "vault_policy": p.vaultPolicy(c); break;
      case "key_share": p.keyShare(c); break;
      case "guardrail": p.guardrail(c); break;
      default: break;
    }
  }
  const { plans, selections } = planRecords(appliedPlans(input.liveResources, input.changes));
  return {
    org: input.live.org,
    scps: p.scps,
    settings: p.settings,
    vaults: p.vaults,
    keys: p.keys,
    routes: enumerateRoutes(plans, selections, input.shareKeysOf),
    sidPrefix: input.live.sidPrefix,
  };
}

