// Checks across declarations, once every block is decoded: copy routes against their destination vaults
// ([X1], [S3], Vault Lock retention), rule vaults against their plan's account and Region, names AWS needs
// unique, and the organization setting cross-account copies depend on ([S2]).
import type { Diagnostic } from "./diagnostics.js";
import type { AccountTarget, BackupPlanDecl, Config, CopyRouteDecl, Decl, KmsKeyDecl, VaultDecl } from "./model.js";
import type { BlockReader } from "./reader.js";

type Declared = Omit<Config, "settings"> & { settings?: Config["settings"] };

/** Lookups by name, so checks stay linear in the size of the configuration. */
class Index {
  private readonly accounts: Map<string, string>;
  private readonly vaults: Map<string, VaultDecl>;
  private readonly keys: Map<string, KmsKeyDecl>;
  constructor(c: Declared) {
    this.accounts = new Map(c.accounts.map((a) => [a.name, a.id]));
    this.vaults = new Map(c.vaults.map((v) => [`${v.name}\u0000${v.key ?? ""}`, v]));
    this.keys = new Map(c.kmsKeys.map((k) => [`${k.name}\u0000${k.key ?? ""}`, k]));
  }
  accountId(t: AccountTarget): string | undefined {
    return t.kind === "account_id" ? t.id : this.accounts.get(t.name);
  }
  vault(name: string, key: string | undefined): VaultDecl | undefined {
    return this.vaults.get(`${name}\u0000${key ?? ""}`);
  }
  kmsKey(name: string, key: string | undefined): KmsKeyDecl | undefined {
    return this.keys.get(`${name}\u0000${key ?? ""}`);
  }
}

function place(readers: WeakMap<object, BlockReader>, decl: Decl, attr?: string): Pick<Diagnostic, "pos" | "address"> {
  const r = readers.get(decl);
  return { pos: r ? r.pos(attr) : decl.pos, address: decl.address };
}

/** The copy's delete_after_days when it sets one, else the copy block (it inherits the rule's retention). */
function retentionPlace(readers: WeakMap<object, BlockReader>, route: CopyRouteDecl): Pick<Diagnostic, "pos" | "address"> {
  return route.lifecycle?.deleteAfterDays !== undefined ? place(readers, route.lifecycle, "delete_after_days") : place(readers, route);
}

/**
 * [X1] and [S3] are rules for copies into another account; a copy within one account (to another Region) may
 * use the Default vault and AWS managed keys.
 */
function checkCopy(c: Index, plan: BackupPlanDecl, route: CopyRouteDecl, readers: WeakMap<object, BlockReader>, fallbackRetention: number | undefined, diags: Diagnostic[]): void {
  const d = route.destination;
  const attr = d.kind === "vault" ? "to" : "to_arn";
  const at = place(readers, route, attr);
  const vault = d.kind === "vault" ? c.vault(d.vault.name, d.vault.key) : undefined;
  const name = d.kind === "vault" ? vault?.vaultName : d.vaultName;
  const source = c.accountId(plan.account);
  const sameAccount = source !== undefined && source === destinationAccount(c, route);
  if (!sameAccount && name === "Default") {
    diags.push({ severity: "error", code: "default-vault-destination", ...at, rule: "[X1]", summary: "a copy cannot go to a vault named Default",
      detail: "The Default vault is encrypted with the AWS managed key, which cannot be shared: copy into a vault with a customer managed key." });
  } else if (!sameAccount && vault && !vault.kmsKey) {
    diags.push({ severity: "error", code: "destination-without-cmk", ...at, rule: "[S3]", summary: `destination ${vault.address} has no customer managed KMS key`,
      detail: `A vault receiving cross-account copies must be encrypted with a customer managed key: set kms_key = kms_key.<name> on ${vault.address}.` });
  }
  const retention = route.lifecycle?.deleteAfterDays ?? fallbackRetention;
  const lock = vault?.lock;
  if (lock && retention !== undefined) {
    if (lock.minRetentionDays !== undefined && retention < lock.minRetentionDays) {
      diags.push({ severity: "error", code: "copy-retention-outside-lock", ...retentionPlace(readers, route), summary: `copies are kept ${retention} days, but ${vault.address} locks recovery points for at least ${lock.minRetentionDays}`,
        detail: "The destination vault would reject the copy job: raise delete_after_days, or lower the lock's min_retention_days." });
    } else if (lock.maxRetentionDays !== undefined && retention > lock.maxRetentionDays) {
      diags.push({ severity: "error", code: "copy-retention-outside-lock", ...retentionPlace(readers, route), summary: `copies are kept ${retention} days, but ${vault.address} keeps recovery points at most ${lock.maxRetentionDays}`,
        detail: "The destination vault would reject the copy job: lower delete_after_days, or raise the lock's max_retention_days." });
    }
  }
}

function destinationAccount(c: Index, route: CopyRouteDecl): string | undefined {
  const d = route.destination;
  if (d.kind === "vault_arn") return d.account;
  const v = c.vault(d.vault.name, d.vault.key);
  return v ? c.accountId(v.account) : undefined;
}

function isCrossAccount(c: Index, plan: BackupPlanDecl, route: CopyRouteDecl): boolean {
  const source = c.accountId(plan.account);
  const dest = destinationAccount(c, route);
  return source !== undefined && dest !== undefined && source !== dest;
}

function unique<T extends Decl>(items: T[], keyOf: (t: T) => string | undefined, what: (t: T) => string, readers: WeakMap<object, BlockReader>, attr: string, diags: Diagnostic[]): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, item);
      continue;
    }
    diags.push({ severity: "error", code: "duplicate-resource-name", ...place(readers, item, attr), summary: `${what(item)} is also declared by ${first.address}`,
      detail: `AWS needs it unique; give one of them another ${attr}${item.address.includes("[") ? ' (for for_each instances, e.g. "name-${each.key}")' : ""}.` });
  }
}

export function checkDeclarations(c: Declared, readers: WeakMap<object, BlockReader>, diags: Diagnostic[]): void {
  const ix = new Index(c);
  let crossAccount: CopyRouteDecl | undefined;
  for (const plan of c.backupPlans) {
    const planAccount = ix.accountId(plan.account);
    for (const rule of plan.rules) {
      if (rule.vault.kind === "vault") {
        const v = ix.vault(rule.vault.name, rule.vault.key);
        if (v && (v.region !== plan.region || (planAccount !== undefined && ix.accountId(v.account) !== planAccount))) {
          diags.push({ severity: "error", code: "rule-vault-location", ...place(readers, rule, "vault"), summary: `${v.address} is in ${ix.accountId(v.account) ?? "?"}/${v.region}, but ${plan.address} is in ${planAccount ?? "?"}/${plan.region}`,
            detail: "A rule's target vault must be in the plan's own account and Region; copy routes reach other accounts.", rule: "[S6]" });
        }
      }
      for (const route of rule.copies) {
        checkCopy(ix, plan, route, readers, rule.lifecycle?.deleteAfterDays, diags);
        if (!crossAccount && isCrossAccount(ix, plan, route)) crossAccount = route;
      }
    }
  }
  for (const v of c.vaults) {
    const k = v.kmsKey;
    if (!k || !("kind" in k) || k.kind !== "kms_key") continue;
    const key = ix.kmsKey(k.name, k.key);
    if (key && key.region !== v.region) {
      diags.push({ severity: "error", code: "kms-key-location", ...place(readers, v, "kms_key"), summary: `${key.address} is in ${key.region}, but ${v.address} is in ${v.region}`,
        detail: "A vault's key must be in the vault's Region.", rule: "[S3]" });
    }
  }
  unique(c.accounts, (a) => a.id, (a) => `account id ${a.id}`, readers, "id", diags);
  unique(c.vaults, (v) => `${ix.accountId(v.account)}/${v.region}/${v.vaultName}`, (v) => `vault name "${v.vaultName}" in ${ix.accountId(v.account)}/${v.region}`, readers, "name", diags);
  unique(c.backupPlans, (p) => `${ix.accountId(p.account)}/${p.region}/${p.planName}`, (p) => `plan name "${p.planName}" in ${ix.accountId(p.account)}/${p.region}`, readers, "name", diags);
  const created = c.kmsKeys.filter((k) => k.mode === "created");
  unique(created, (k) => `${ix.accountId(k.account)}/${k.region}/${k.alias}`, (k) => `alias "${k.alias}" in ${ix.accountId(k.account)}/${k.region}`, readers, "alias", diags);

  if (crossAccount && !c.organization?.crossAccountBackup) {
    diags.push({ severity: "warning", code: "cross-account-backup-off", ...place(readers, crossAccount), rule: "[S2]",
      summary: "this copy crosses accounts, but the configuration does not turn on cross-account backup",
      detail: "Declare organization { cross_account_backup = true } (applied with the management account), unless it is already on." });
  }
}
