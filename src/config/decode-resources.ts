// Decoding the stack settings, accounts, the organization, KMS keys, vaults and guardrails into declarations,
// with the value rules that belong to each attribute.
import { isUnknown } from "./expr/types.js";
import { suggest } from "./expr/suggest.js";
import type { Instance } from "./evaluation.js";
import { checkRegion, onlyAttributes, regionOf, tagsOf, type DecodeContext } from "./decode-common.js";
import type {
  AccountDecl, AccountTarget, AllowCopyFrom, AllowedVault, GuardrailDecl, GuardrailKind, GuardrailTarget, KmsKeyDecl, KmsKeyTarget,
  Known, OrganizationDecl, Settings, VaultDecl, VaultLock,
} from "./model.js";
import { refOf, describeValue, type BlockReader } from "./reader.js";
import { aliasProblem, IAM_ROLE_ARN, KMS_KEY_ARN, ORG_PATH, OWN_TAGS, OU_ID, ROOT_ID, STACK_NAME, VAULT_ARN_PATTERN, VAULT_NAME, ACCOUNT_ID } from "./rules.js";
import { guardrailKinds } from "./schema.js";

function keyOf(inst: Instance): { key?: string } {
  return typeof inst.key === "string" ? { key: inst.key } : {};
}

export function decodeSettings(r: BlockReader): Settings | undefined {
  const stack = r.string("stack");
  if (stack !== undefined && !STACK_NAME.test(stack)) {
    r.problem("stack", "invalid-stack-name", `stack name "${stack}" must be 1-32 lowercase letters, digits or dashes`, "It names ownership tags and policy Sid prefixes; for example stack = \"backup-core\".");
  }
  const mgmt = r.account("management_account");
  if (mgmt && mgmt.kind !== "account") {
    r.problem("management_account", "management-account", "management_account must refer to a declared account", `Declare account "management" { id = "${mgmt.id}" } and set management_account = account.management.`, "[P3]");
  }
  const assumeRoleName = r.string("assume_role_name") ?? "OrganizationAccountAccessRole";
  if (!/^[\w+=,.@-]{1,64}$/.test(assumeRoleName)) {
    r.problem("assume_role_name", "invalid-role-name", `"${assumeRoleName}" is not an IAM role name`, "Give the role's name (up to 64 letters, digits and +=,.@_-), not its ARN; use role_arn on an account for a full ARN.");
  }
  const dr = r.string("default_region");
  const defaultRegion = dr === undefined ? undefined : checkRegion(r, "default_region", dr);
  if (stack === undefined || !mgmt || mgmt.kind !== "account") return undefined;
  return { address: "crossvault", pos: r.block.pos, stack, managementAccount: mgmt, assumeRoleName, ...(defaultRegion ? { defaultRegion } : {}) };
}

export function decodeAccount(r: BlockReader, inst: Instance): AccountDecl | undefined {
  const id = r.string("id");
  if (id !== undefined && !ACCOUNT_ID.test(id)) {
    r.problem("id", "invalid-account-id", `account id "${id}" is not 12 digits`, 'Write the id as a quoted 12-digit string, e.g. id = "012345678901" (a number loses leading zeros).', "[S1]");
  }
  const roleArn = r.string("role_arn");
  if (roleArn !== undefined) {
    const m = IAM_ROLE_ARN.exec(roleArn);
    if (!m) r.problem("role_arn", "invalid-role-arn", `"${roleArn}" is not an IAM role ARN`, "Use arn:aws:iam::ACCOUNT_ID:role/NAME.");
    else if (id !== undefined && m[1] !== id) r.problem("role_arn", "invalid-role-arn", `role_arn is in account ${m[1]}, but this account's id is ${id}`, "The role must be in the account it gives access to.");
  }
  const profile = r.string("profile");
  if (roleArn !== undefined && profile !== undefined) r.problem("profile", "conflicting-attributes", "set either role_arn or profile, not both", "profile uses a named AWS profile's credentials directly; role_arn assumes a role.");
  if (id === undefined || !ACCOUNT_ID.test(id)) return undefined;
  return { address: inst.address, pos: r.block.pos, name: inst.label, id, ...(roleArn ? { roleArn } : {}), ...(profile ? { profile } : {}) };
}

export function decodeOrganization(r: BlockReader): OrganizationDecl {
  return { address: "organization", pos: r.block.pos, crossAccountBackup: r.bool("cross_account_backup", false) };
}

export function kmsKeyTargetOf(r: BlockReader, name: string, v: unknown): Known<KmsKeyTarget> | undefined {
  const value = v as Parameters<typeof refOf>[0];
  if (isUnknown(value)) return value;
  const ref = refOf(value);
  if (ref) {
    if (ref.kind === "kms_key") return { kind: "kms_key", name: ref.name, ...(ref.key !== undefined ? { key: ref.key } : {}) };
  } else if (typeof value === "string") {
    if (KMS_KEY_ARN.test(value)) return { kind: "kms_key_arn", arn: value };
    r.problem(name, "invalid-kms-key-arn", `"${value}" is not a KMS key ARN`, "Refer to a kms_key block, or give a key ARN arn:aws:kms:REGION:ACCOUNT:key/KEY_ID (not an alias).");
    return undefined;
  }
  r.problem(name, "wrong-type", `${name} must be a kms_key reference or a key ARN, got ${describeValue(value)}`, "For example kms_key.central.");
  return undefined;
}

export function decodeKmsKey(ctx: DecodeContext, r: BlockReader, inst: Instance): KmsKeyDecl | undefined {
  const base = { address: inst.address, pos: r.block.pos, name: inst.label, ...keyOf(inst) };
  if (r.has("arn")) {
    onlyAttributes(r, ["arn", "for_each"], "for an existing key (arn)");
    const arn = r.string("arn");
    if (arn === undefined) return undefined;
    const m = KMS_KEY_ARN.exec(arn);
    if (!m) {
      r.problem("arn", "invalid-kms-key-arn", `"${arn}" is not a KMS key ARN`, "Use arn:aws:kms:REGION:ACCOUNT:key/KEY_ID.");
      return undefined;
    }
    return { ...base, mode: "existing", arn, account: { kind: "account_id", id: m[2]! }, region: m[1]! };
  }
  for (const required of ["account", "alias"]) {
    if (!r.has(required)) r.problem(undefined, "missing-attribute", `kms_key needs ${required} (or arn, for an existing key)`, `Add ${required} = ... for a key crossvault creates, or arn = "arn:aws:kms:..." for an existing key.`);
  }
  const account = r.account("account");
  const region = regionOf(ctx, r);
  const alias = r.string("alias");
  if (alias !== undefined) {
    const p = aliasProblem(alias);
    if (p) r.problem("alias", "invalid-alias", p, 'Use a name such as "alias/crossvault-central"; alias/aws/ names belong to AWS managed keys.');
  }
  const window = r.number("deletion_window_days") ?? 30;
  if (window < 7 || window > 30) r.problem("deletion_window_days", "invalid-deletion-window", `deletion_window_days is ${window}; it must be between 7 and 30`, "KMS waits 7 to 30 days before deleting a key.");
  const description = r.string("description");
  const enableKeyRotation = r.bool("enable_key_rotation", true);
  const tags = tagsOf(r, "tags", OWN_TAGS.kms_key);
  if (!account || region === undefined || alias === undefined || aliasProblem(alias)) return undefined;
  return {
    ...base, mode: "created", account, region, alias, deletionWindowDays: window, enableKeyRotation, tags,
    arn: { $unknown: "after-apply", reason: `${inst.address}.arn is known after apply` },
    ...(description !== undefined ? { description } : {}),
  };
}

function accountList(r: BlockReader, name: string): Known<AccountTarget[]> {
  const items = r.list(name, true);
  if (!items) return [];
  if (isUnknown(items)) return items;
  return items.flatMap((v) => r.accountOf(name, v) ?? []);
}

function decodeAllowCopyFrom(r: BlockReader): AllowCopyFrom {
  const roles = r.stringList("roles");
  for (const role of roles) if (!IAM_ROLE_ARN.test(role)) r.problem("roles", "invalid-role-arn", `"${role}" is not an IAM role ARN`, "Use arn:aws:iam::ACCOUNT_ID:role/NAME.", "[S4]");
  const orgPaths = r.stringList("org_paths");
  for (const p of orgPaths) {
    if (!ORG_PATH.test(p)) r.problem("org_paths", "invalid-org-path", `"${p}" is not an organization path`, "Use o-ORGID/r-ROOTID/ou-.../ (wildcards allowed), as aws:PrincipalOrgPaths expects.", "[S4]");
  }
  return r.own({ address: r.address, pos: r.block.pos, accounts: accountList(r, "accounts"), roles, organization: r.bool("organization", false), orgPaths });
}

function decodeLock(r: BlockReader): VaultLock {
  const min = r.number("min_retention_days");
  const max = r.number("max_retention_days");
  const changeable = r.number("changeable_for_days");
  const bad = (name: string, summary: string) => r.problem(name, "invalid-lock", summary, "Vault Lock: min_retention_days >= 1, max_retention_days <= 36500, min <= max, changeable_for_days >= 3.");
  if (min !== undefined && min < 1) bad("min_retention_days", `min_retention_days is ${min}; it must be at least 1`);
  if (max !== undefined && (max < 1 || max > 36500)) bad("max_retention_days", `max_retention_days is ${max}; it must be between 1 and 36500`);
  if (min !== undefined && max !== undefined && min > max) bad("max_retention_days", `max_retention_days (${max}) is less than min_retention_days (${min})`);
  if (changeable !== undefined && (changeable < 3 || changeable > 36500)) bad("changeable_for_days", `changeable_for_days is ${changeable}; it must be at least 3`);
  return r.own({
    address: r.address, pos: r.block.pos,
    ...(min !== undefined ? { minRetentionDays: min } : {}), ...(max !== undefined ? { maxRetentionDays: max } : {}),
    ...(changeable !== undefined ? { changeableForDays: changeable } : {}),
  });
}

export function decodeVault(ctx: DecodeContext, r: BlockReader, inst: Instance): VaultDecl | undefined {
  const account = r.account("account");
  const region = regionOf(ctx, r);
  const vaultName = r.string("name") ?? (r.has("name") ? undefined : inst.label);
  if (vaultName !== undefined && !VAULT_NAME.test(vaultName)) {
    r.problem(r.has("name") ? "name" : undefined, "invalid-vault-name", `vault name "${vaultName}" must be 2-50 letters, digits, dashes or underscores`, "Set name = \"...\" matching ^[a-zA-Z0-9\\-_]{2,50}$.");
  }
  const kv = r.value("kms_key");
  const kmsKey = kv === undefined ? undefined : kmsKeyTargetOf(r, "kms_key", kv);
  const tags = tagsOf(r, "tags", OWN_TAGS.vault);
  let allowCopyFrom: AllowCopyFrom | undefined;
  let lock: VaultLock | undefined;
  let preventDestroy = false;
  for (const child of r.block.blocks) {
    const cr = r.nested(child, `${inst.address}.${child.type}`);
    if (child.type === "allow_copy_from") allowCopyFrom = decodeAllowCopyFrom(cr);
    else if (child.type === "lock") lock = decodeLock(cr);
    else if (child.type === "lifecycle") preventDestroy = cr.bool("prevent_destroy", false);
  }
  if (!account || region === undefined || vaultName === undefined || !VAULT_NAME.test(vaultName) || (kv !== undefined && !kmsKey)) return undefined;
  const id = account.kind === "account_id" ? account.id : ctx.accountIds.get(account.name);
  if (id === undefined) return undefined;
  return {
    address: inst.address, pos: r.block.pos, name: inst.label, ...keyOf(inst), account, region, vaultName, tags, preventDestroy,
    arn: `arn:aws:backup:${region}:${id}:backup-vault:${vaultName}`,
    ...(kmsKey ? { kmsKey } : {}), ...(allowCopyFrom ? { allowCopyFrom } : {}), ...(lock ? { lock } : {}),
  };
}

function guardrailTargets(r: BlockReader): Known<GuardrailTarget[]> {
  const items = r.list("targets", true);
  if (!items) return [];
  if (isUnknown(items)) return items;
  const out: GuardrailTarget[] = [];
  for (const v of items) {
    if (typeof v === "string" && v.startsWith("ou-")) {
      if (OU_ID.test(v)) out.push({ kind: "ou", id: v });
      else r.problem("targets", "invalid-guardrail-target", `"${v}" is not an organizational unit id`, "OU ids look like ou-ab12-cdefgh34.");
    } else if (typeof v === "string" && v.startsWith("r-")) {
      if (ROOT_ID.test(v)) out.push({ kind: "root", id: v });
      else r.problem("targets", "invalid-guardrail-target", `"${v}" is not a root id`, "Root ids look like r-ab12.");
    } else {
      const a = r.accountOf("targets", v);
      if (a) out.push(a);
    }
  }
  return out;
}

function allowedVaults(r: BlockReader): AllowedVault[] {
  const items = r.list("allowed_vaults", false);
  if (!items || isUnknown(items)) return [];
  const out: AllowedVault[] = [];
  for (const v of items) {
    const ref = refOf(v);
    if (ref?.kind === "vault") out.push({ kind: "vault", name: ref.name, ...(ref.key !== undefined ? { key: ref.key } : {}) });
    else if (typeof v === "string" && VAULT_ARN_PATTERN.test(v)) out.push({ kind: "vault_arn_pattern", pattern: v });
    else if (typeof v === "string") r.problem("allowed_vaults", "invalid-vault-arn", `"${v}" is not a backup vault ARN pattern`, "Use arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME, with * wildcards where needed.", "[G2]");
    else r.problem("allowed_vaults", "wrong-type", `allowed_vaults must hold vault references or ARN patterns, got ${describeValue(v)}`, "For example [vault.central, \"arn:aws:backup:*:112233445566:backup-vault:cab-*\"].", "[G2]");
  }
  return out;
}

export function decodeGuardrail(r: BlockReader, inst: Instance): GuardrailDecl | undefined {
  const kindText = r.string("kind");
  const spec = kindText === undefined ? undefined : guardrailKinds[kindText];
  if (kindText !== undefined && !spec) {
    const s = suggest(kindText, Object.keys(guardrailKinds));
    r.problem("kind", "invalid-guardrail-kind", `"${kindText}" is not a guardrail kind`, s ? `Did you mean "${s}"?` : `Kinds: ${Object.keys(guardrailKinds).join(", ")}.`);
  }
  if (spec) {
    const kindOnly = ["allowed_vaults", "allowed_org_paths", "tag_key"];
    for (const name of kindOnly) {
      if (r.has(name) && !spec.allowed.includes(name)) r.problem(name, "guardrail-attribute", `${name} does not apply to a ${kindText} guardrail`, `Remove it; ${kindText} uses ${spec.allowed.join(", ") || "only kind, targets and description"}.`, spec.rule);
    }
    for (const name of spec.required) {
      if (!r.has(name)) r.problem("kind", "missing-attribute", `a ${kindText} guardrail needs ${name}`, `Add ${name} = [...].`, spec.rule);
    }
  }
  const targets = guardrailTargets(r);
  if (!isUnknown(targets) && targets.length === 0 && r.has("targets") && !r.isFailed("targets")) {
    r.problem("targets", "invalid-guardrail-target", "targets is empty: the policy would be attached nowhere", "List the accounts or OUs it protects.", spec?.rule);
  }
  const vaults = spec?.allowed.includes("allowed_vaults") ? allowedVaults(r) : [];
  const paths = spec?.allowed.includes("allowed_org_paths") ? r.stringList("allowed_org_paths") : [];
  for (const p of paths) {
    if (!ORG_PATH.test(p)) r.problem("allowed_org_paths", "invalid-org-path", `"${p}" is not an organization path pattern`, "Use o-ORGID/r-ROOTID/ou-.../* as backup:CopyTargetOrgPaths expects.", "[G3]");
  }
  const tagKey = r.string("tag_key") ?? "DestinationBackupVault";
  if (tagKey.length < 1 || tagKey.length > 128) r.problem("tag_key", "invalid-tags", "tag_key must be 1-128 characters", "For example DestinationBackupVault.", "[G1]");
  const description = r.string("description");
  if (!spec) return undefined;
  return {
    address: inst.address, pos: r.block.pos, name: inst.label, ...keyOf(inst), kind: kindText as GuardrailKind, rule: spec.rule,
    targets, allowedVaults: vaults, allowedOrgPaths: paths, tagKey, ...(description !== undefined ? { description } : {}),
  };
}

