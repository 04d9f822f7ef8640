// Test support for diff, plan and the views: builders of desired resources shaped like derive's, and
// `liveFrom`, which turns desired resources into the live objects AWS would return after a faithful apply
// (references resolved, write-only attributes gone, policy statements spelled the way AWS spells them).
import { identityOf } from "../model/identity.js";
import { attributesHash } from "../model/ownership.js";
import { isPending, type AttrValue, type Attributes, type DesiredResource, type LiveResource, type Pending, type ResourceType } from "../model/resource.js";
import type { PolicyStatement } from "../model/attributes.js";

export const MGMT = "111111111111";
export const CENTRAL = "222222222222";
export const PROD = "333333333333";
export const REGION = "eu-west-1";
export const STACK = "backup-core";
export const SID = "Crossvault11xbackupXcore";

export function pending(address: string, attribute: string): Pending {
  return { $pending: { address, attribute } };
}

interface Base {
  address: string;
  accountId?: string;
  region?: string;
  dependsOn?: string[];
  extra?: Partial<DesiredResource>;
}

function resource(type: ResourceType, name: string, b: Base, attributes: Attributes, identityParts: { plan?: string; key?: string; destination?: string } = {}): DesiredResource {
  const accountId = b.accountId ?? CENTRAL;
  const region = b.region ?? REGION;
  return {
    address: b.address,
    type,
    accountId,
    region,
    identity: identityOf(type, { accountId, region, name, ...identityParts }),
    attributes,
    dependsOn: b.dependsOn ?? [],
    ...b.extra,
  };
}

export function kmsKey(name: string, opts: Partial<Base> & { tags?: Record<string, string> } = {}): DesiredResource {
  const address = opts.address ?? `kms_key.${name}`;
  const alias = `alias/crossvault-${name}`;
  const d = resource("kms_key", alias, { ...opts, address }, {
    alias,
    description: `crossvault key ${name}`,
    enable_key_rotation: true,
    tags: opts.tags ?? {},
    deletion_window_days: 7,
    arn: pending(address, "arn"),
  });
  return withWriteOnly(d, ["deletion_window_days"]);
}

function withWriteOnly(d: DesiredResource, writeOnly: string[]): DesiredResource {
  return { ...d, writeOnly: [...(d.writeOnly ?? []), ...writeOnly] };
}

export function vault(name: string, opts: Partial<Base> & { key?: string | Pending; tags?: Record<string, string> } = {}): DesiredResource {
  const accountId = opts.accountId ?? CENTRAL;
  const region = opts.region ?? REGION;
  const key = opts.key ?? pending(`kms_key.${name}`, "arn");
  const deps = opts.dependsOn ?? (isPending(key) ? [key.$pending.address] : []);
  return resource("vault", name, { ...opts, address: opts.address ?? `vault.${name}`, dependsOn: deps }, {
    name,
    encryption_key_arn: key,
    tags: opts.tags ?? {},
    arn: `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`,
  });
}

export function copyStatement(sourceAccount: string, vaultName: string): PolicyStatement {
  return {
    Sid: `${SID}Copy${sourceAccount}`,
    Effect: "Allow",
    Principal: { AWS: [`arn:aws:iam::${sourceAccount}:root`] },
    Action: ["backup:CopyIntoBackupVault"],
    Resource: ["*"],
    Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-example"] } },
  };
}

export function vaultPolicy(vaultName: string, statements: PolicyStatement[], opts: Partial<Base> = {}): DesiredResource {
  return resource("vault_policy", vaultName, { ...opts, address: opts.address ?? `vault_policy.${vaultName}`, dependsOn: opts.dependsOn ?? [`vault.${vaultName}`] }, {
    vault_name: vaultName,
    statements: statements as unknown as AttrValue,
  });
}

export function vaultLock(vaultName: string, attrs: { min?: number; max?: number; changeable?: number } = {}, opts: Partial<Base> = {}): DesiredResource {
  const a: Attributes = { vault_name: vaultName };
  if (attrs.min !== undefined) a.min_retention_days = attrs.min;
  if (attrs.max !== undefined) a.max_retention_days = attrs.max;
  if (attrs.changeable !== undefined) a.changeable_for_days = attrs.changeable;
  const d = resource("vault_lock", vaultName, { ...opts, address: opts.address ?? `vault_lock.${vaultName}`, dependsOn: opts.dependsOn ?? [`vault.${vaultName}`] }, a);
  return withWriteOnly(d, ["changeable_for_days"]);
}

export function keyShare(keyName: string, destination: string, opts: Partial<Base> = {}): DesiredResource {
  const keyAddress = `kms_key.${keyName}`;
  const accountId = opts.accountId ?? CENTRAL;
  const region = opts.region ?? REGION;
  const statement: PolicyStatement = {
    Sid: `${SID}Share${destination}`,
    Effect: "Allow",
    Principal: { AWS: [`arn:aws:iam::${destination}:root`] },
    Action: ["kms:Decrypt", "kms:DescribeKey"],
    Resource: ["*"],
  };
  return resource("key_share", keyName, { ...opts, address: opts.address ?? `key_share.${keyName}->${destination}`, dependsOn: opts.dependsOn ?? [keyAddress] }, {
    key_arn: pending(keyAddress, "arn"),
    destination_account: destination,
    statements: [statement] as unknown as AttrValue,
  }, { key: `${accountId}/${region}/alias/crossvault-${keyName}`, destination });
}

export function backupPlan(name: string, targetVault: string, copyTo: string[], opts: Partial<Base> = {}): DesiredResource {
  const address = opts.address ?? `backup_plan.${name}`;
  return resource("backup_plan", name, { ...opts, address, dependsOn: opts.dependsOn ?? [`vault.${targetVault}`] }, {
    name,
    windows_vss: false,
    rules: [{
      name: "daily",
      target_vault: targetVault,
      schedule: "cron(0 5 ? * * *)",
      start_window_minutes: 480,
      completion_window_minutes: 10080,
      enable_continuous_backup: false,
      lifecycle: { delete_after_days: 35 },
      recovery_point_tags: {},
      copy_actions: [...copyTo].sort().map((arn) => ({ destination_vault_arn: arn, lifecycle: { delete_after_days: 90 } })),
    }],
    tags: {},
    id: pending(address, "id"),
  });
}

export function selection(planName: string, name: string, opts: Partial<Base> & { resources?: string[] } = {}): DesiredResource {
  const planAddress = `backup_plan.${planName}`;
  return resource("backup_selection", name, { ...opts, address: opts.address ?? `backup_selection.${planName}.${name}`, dependsOn: opts.dependsOn ?? [planAddress] }, {
    plan_id: pending(planAddress, "id"),
    name,
    iam_role_arn: `arn:aws:iam::${opts.accountId ?? CENTRAL}:role/service-role/AWSBackupDefaultServiceRole`,
    resources: opts.resources ?? ["*"],
    not_resources: [],
    tags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }],
  }, { plan: planName });
}

/** The value AWS gives a reference once the referenced object exists (fixed per address and attribute). */
export function liveValue(address: string, attribute: string): string {
  return `arn:aws:fake:${address}:${attribute}`;
}

function resolvePending(v: AttrValue): AttrValue {
  if (isPending(v)) return liveValue(v.$pending.address, v.$pending.attribute);
  if (Array.isArray(v)) return v.map(resolvePending);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, resolvePending(e as AttrValue)]));
  return v;
}

/** A statement as AWS might return it: single values unwrapped, lists reversed, account principals as ids. */
function awsSpelling(s: Record<string, unknown>): Record<string, unknown> {
  const list = (v: unknown): unknown => (Array.isArray(v) ? (v.length === 1 ? v[0] : [...v].reverse()) : v);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(s).reverse()) {
    const v = s[key];
    if (key === "Principal" && v && typeof v === "object") {
      const p = v as Record<string, unknown>;
      out.Principal = Object.fromEntries(Object.entries(p).map(([k, e]) => [k, list(Array.isArray(e) ? e.map((a) => String(a).replace(/^arn:aws:iam::(\d{12}):root$/, "$1")) : e)]));
    } else if (key === "Condition" && v && typeof v === "object") {
      out.Condition = Object.fromEntries(Object.entries(v).map(([op, block]) => [op, Object.fromEntries(Object.entries(block as object).map(([k, e]) => [k, list(e)]))]));
    } else out[key] = key === "Sid" || key === "Effect" ? v : list(v);
  }
  return out;
}

/** The live objects a faithful apply of `desired` leaves behind, owned by the stack, with matching hashes. */
export function liveFrom(desired: readonly DesiredResource[]): LiveResource[] {
  return desired.map((d) => {
    const attributes: Attributes = {};
    for (const [k, v] of Object.entries(d.attributes)) {
      if (d.writeOnly?.includes(k)) continue;
      const resolved = resolvePending(v);
      attributes[k] = k === "statements" && Array.isArray(resolved)
        ? ([...resolved].reverse().map((s) => awsSpelling(s as Record<string, unknown>)) as AttrValue)
        : resolved;
    }
    return {
      address: d.address,
      type: d.type,
      accountId: d.accountId,
      region: d.region,
      identity: d.identity,
      id: `id-${d.address}`,
      attributes,
      ownership: "ours",
      appliedHash: attributesHash(attributes),
      fingerprint: attributesHash(attributes),
    };
  });
}

export function live(d: DesiredResource, patch: Partial<LiveResource> & { set?: Attributes } = {}): LiveResource {
  const [l] = liveFrom([d]);
  const { set, ...rest } = patch;
  const out = { ...l!, ...rest };
  if (set) out.attributes = { ...out.attributes, ...set };
  if (set && rest.appliedHash === undefined) out.appliedHash = attributesHash(out.attributes);
  return out;
}
