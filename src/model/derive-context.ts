// What every derive step shares: the config, the organization, the stack's Sid prefix, the diagnostics being
// collected, and the resolution of references (accounts, keys, vaults) to the ids and addresses derive needs.
// Resolution never throws: a reference that does not resolve becomes a diagnostic and an undefined.
import type { Diagnostic } from "../config/diagnostics.js";
import type { AccountTarget, Config, CreatedKmsKey, Decl, ExistingKmsKey, KmsKeyTarget, VaultDecl, VaultRef } from "../config/model.js";
import { findAccount, findKmsKey, findVault, refAddress } from "../config/model.js";
import { isUnknown } from "../config/expr/types.js";
import { identityOf } from "./identity.js";
import type { OrgFacts } from "./org.js";
import { sidPrefix } from "./ownership.js";
import type { DesiredResource, Pending } from "./resource.js";

export interface DeriveContext {
  config: Config;
  org: OrgFacts | undefined;
  /** The stack's Sid prefix (ownership.ts). */
  prefix: string;
  diagnostics: Diagnostic[];
}

export function newContext(config: Config, org: OrgFacts | undefined): DeriveContext {
  return { config, org, prefix: sidPrefix(config.settings.stack), diagnostics: [] };
}

/** A customer-managed key as derive needs it: where it is, how to name its shares, how diff identifies it. */
export interface ResolvedKey {
  mode: "created" | "existing";
  /** `kms_key.central` for a declared key (created or existing); absent for a bare ARN. */
  address?: string;
  accountId: string;
  region: string;
  arn: string | Pending;
  /** The key part of a key_share identity: `ACCOUNT/REGION/ALIAS` for a created key, the ARN otherwise. */
  identityKey: string;
  /** The key part of a key_share address: `central`, `local["prod"]`, or `["arn:..."]` for a bare ARN. */
  shareName: string;
  decl?: CreatedKmsKey | ExistingKmsKey;
}

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;

export function pending(address: string, attribute: string): Pending {
  return { $pending: { address, attribute } };
}

export function report(ctx: DeriveContext, d: Diagnostic): void {
  ctx.diagnostics.push(d);
}

function where(decl: Decl): Pick<Diagnostic, "pos" | "address"> {
  return { pos: decl.pos, address: decl.address };
}

export function accountIdOf(ctx: DeriveContext, target: AccountTarget, at: Decl): string | undefined {
  if (target.kind === "account_id") return target.id;
  const account = findAccount(ctx.config, target);
  if (!account) {
    report(ctx, { severity: "error", code: "unresolved-reference", ...where(at), summary: `${refAddress(target)} is not declared`, detail: `Declare account "${target.name}" { id = "..." }, or refer to a declared account.` });
  }
  return account?.id;
}

/** `kms_key.workload["prod"]` -> `workload["prod"]`: the key part of a key_share address. */
function nameOf(address: string, prefix: string): string {
  return address.startsWith(prefix) ? address.slice(prefix.length) : address;
}

function fromDecl(ctx: DeriveContext, decl: CreatedKmsKey | ExistingKmsKey): ResolvedKey | undefined {
  const shareName = nameOf(decl.address, "kms_key.");
  if (decl.mode === "existing") {
    return { mode: "existing", address: decl.address, accountId: decl.account.id, region: decl.region, arn: decl.arn, identityKey: decl.arn, shareName, decl };
  }
  const accountId = accountIdOf(ctx, decl.account, decl);
  if (accountId === undefined) return undefined;
  return {
    mode: "created", address: decl.address, accountId, region: decl.region, arn: pending(decl.address, "arn"),
    identityKey: `${accountId}/${decl.region}/${decl.alias}`, shareName, decl,
  };
}

/**
 * A key target to the key it names. A bare ARN that a declared existing key also names resolves to that
 * declaration, so one key never gets two share addresses.
 */
export function resolveKey(ctx: DeriveContext, target: KmsKeyTarget, at: Decl): ResolvedKey | undefined {
  if (target.kind === "kms_key") {
    const decl = findKmsKey(ctx.config, target);
    if (!decl) {
      report(ctx, { severity: "error", code: "unresolved-reference", ...where(at), summary: `${refAddress(target)} is not declared`, detail: "Declare the kms_key block, or give the key's ARN." });
      return undefined;
    }
    return fromDecl(ctx, decl);
  }
  const declared = ctx.config.kmsKeys.find((k) => k.mode === "existing" && k.arn === target.arn);
  if (declared) return fromDecl(ctx, declared);
  const m = KMS_KEY_ARN.exec(target.arn);
  if (!m) {
    report(ctx, { severity: "error", code: "invalid-kms-key-arn", ...where(at), summary: `"${target.arn}" is not a KMS key ARN`, detail: "Use arn:aws:kms:REGION:ACCOUNT:key/KEY_ID." });
    return undefined;
  }
  return { mode: "existing", accountId: m[2]!, region: m[1]!, arn: target.arn, identityKey: target.arn, shareName: `[${JSON.stringify(target.arn)}]` };
}

/** The customer-managed key of a vault; undefined for the AWS managed key (or an unknown value, reported). */
export function vaultKey(ctx: DeriveContext, vault: VaultDecl): ResolvedKey | undefined {
  if (vault.kmsKey === undefined) return undefined;
  if (isUnknown(vault.kmsKey)) {
    report(ctx, { severity: "error", code: "value-unknown", ...where(vault), summary: `the KMS key of ${vault.address} is not known yet (${vault.kmsKey.reason})`, detail: "It depends on the live organization: run plan with access to the management account." });
    return undefined;
  }
  return resolveKey(ctx, vault.kmsKey, vault);
}

export function findDeclaredVault(ctx: DeriveContext, ref: VaultRef, at: Decl): VaultDecl | undefined {
  const vault = findVault(ctx.config, ref);
  if (!vault) report(ctx, { severity: "error", code: "unresolved-reference", ...where(at), summary: `${refAddress(ref)} is not declared`, detail: "Declare the vault block, or refer to a declared vault." });
  return vault;
}

/** The declared vault an ARN names, if any: a route `to_arn` a vault of this stack is a route to that vault. */
export function vaultByArn(ctx: DeriveContext, arn: string): VaultDecl | undefined {
  return ctx.config.vaults.find((v) => v.arn === arn);
}

/** `vault.local["prod"]` -> `vault_policy.local["prod"]`. */
export function vaultChildAddress(vault: VaultDecl, type: "vault_policy" | "vault_lock"): string {
  return `${type}.${nameOf(vault.address, "vault.")}`;
}

export function keyShareAddress(key: ResolvedKey, destinationAccount: string): string {
  const sep = key.shareName.startsWith("[") ? "" : ".";
  return `key_share${sep}${key.shareName}->${destinationAccount}`;
}

export function keyShareIdentity(key: ResolvedKey, destinationAccount: string): string {
  return identityOf("key_share", { accountId: key.accountId, region: key.region, key: key.identityKey, destination: destinationAccount });
}

/** The resource with no undefined anywhere: optional fields only when set. */
export function resource(r: {
  address: string; type: DesiredResource["type"]; accountId: string; region: string; identity: string;
  attributes: DesiredResource["attributes"]; dependsOn?: string[]; decl?: Decl; preventDestroy?: boolean; writeOnly?: string[];
}): DesiredResource {
  return {
    address: r.address, type: r.type, accountId: r.accountId, region: r.region, identity: r.identity, attributes: r.attributes,
    dependsOn: [...new Set(r.dependsOn ?? [])].sort(),
    ...(r.decl ? { pos: r.decl.pos } : {}),
    ...(r.preventDestroy ? { preventDestroy: true } : {}),
    ...(r.writeOnly && r.writeOnly.length > 0 ? { writeOnly: r.writeOnly } : {}),
  };
}
