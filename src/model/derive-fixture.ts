// Small hand-built Configs for derive's unit tests (the shape loadConfig produces), and checks every
// derivation must pass: plain JSON attributes, dependencies that exist and form no cycle.
import type { SourcePos } from "../config/diagnostics.js";
import type {
  AccountDecl, AllowCopyFrom, BackupPlanDecl, BackupRuleDecl, Config, CopyDestination, CopyRouteDecl, CreatedKmsKey, ExistingKmsKey, KmsKeyTarget,
  RuleVaultTarget, SelectionDecl, VaultDecl,
} from "../config/model.js";
import type { OrgFacts } from "./org.js";
import type { DesiredResource } from "./resource.js";

let line = 0;
export function at(): SourcePos {
  line += 1;
  return { file: "test.hcl", line, column: 1 };
}

function addr(kind: string, name: string, key?: string): string {
  return key === undefined ? `${kind}.${name}` : `${kind}.${name}[${JSON.stringify(key)}]`;
}

export function account(name: string, id: string): AccountDecl {
  return { address: `account.${name}`, pos: at(), name, id };
}

export function createdKey(name: string, accountName: string, alias: string, extra: Partial<CreatedKmsKey> = {}): CreatedKmsKey {
  const address = addr("kms_key", name, extra.key);
  return {
    address, pos: at(), name, mode: "created", account: { kind: "account", name: accountName }, region: "eu-west-1", alias,
    deletionWindowDays: 30, enableKeyRotation: true, tags: {}, arn: { $unknown: "after-apply", reason: `${address}.arn is known after apply` }, ...extra,
  };
}

export function existingKey(name: string, arn: string): ExistingKmsKey {
  const m = /^arn:aws:kms:([^:]+):(\d{12}):/.exec(arn)!;
  return { address: `kms_key.${name}`, pos: at(), name, mode: "existing", arn, account: { kind: "account_id", id: m[2]! }, region: m[1]! };
}

export function vault(name: string, accountName: string, accountId: string, extra: Partial<VaultDecl> = {}): VaultDecl {
  const vaultName = extra.vaultName ?? name.replace(/_/g, "-");
  const region = extra.region ?? "eu-west-1";
  return {
    address: addr("vault", name, extra.key), pos: at(), name, account: { kind: "account", name: accountName }, region, vaultName, tags: {},
    preventDestroy: false, arn: `arn:aws:backup:${region}:${accountId}:backup-vault:${vaultName}`, ...extra,
  };
}

export function allowCopyFrom(vaultAddress: string, extra: Partial<AllowCopyFrom> = {}): AllowCopyFrom {
  return { address: `${vaultAddress}.allow_copy_from`, pos: at(), accounts: [], roles: [], organization: false, orgPaths: [], ...extra };
}

export function copy(planAddress: string, rule: string, index: number, destination: CopyDestination, shareKeys: KmsKeyTarget[] = []): CopyRouteDecl {
  const m = /^backup_plan\.([^[]+)(?:\["(.*)"\])?$/.exec(planAddress)!;
  return {
    address: `${planAddress}.rule.${rule}.copy[${index}]`, pos: at(),
    source: { plan: m[1]!, ...(m[2] !== undefined ? { key: m[2] } : {}), rule, planAddress }, destination, shareKeys,
  };
}

export function toVault(name: string, key?: string): CopyDestination {
  return { kind: "vault", vault: { kind: "vault", name, ...(key !== undefined ? { key } : {}) } };
}

export function toArn(arn: string): CopyDestination {
  const m = /^arn:aws:backup:([^:]+):(\d{12}):backup-vault:(.+)$/.exec(arn)!;
  return { kind: "vault_arn", arn, region: m[1]!, account: m[2]!, vaultName: m[3]! };
}

export function rule(planAddress: string, name: string, vaultTarget: RuleVaultTarget, extra: Partial<BackupRuleDecl> = {}): BackupRuleDecl {
  return { address: `${planAddress}.rule.${name}`, pos: at(), name, vault: vaultTarget, enableContinuousBackup: false, recoveryPointTags: {}, copies: [], ...extra };
}

export function selection(planAddress: string, name: string, extra: Partial<SelectionDecl> = {}): SelectionDecl {
  const m = /^backup_plan\.([^[]+)(?:\["(.*)"\])?$/.exec(planAddress)!;
  return {
    address: `${planAddress}.selection.${name}`, pos: at(), name, plan: { name: m[1]!, ...(m[2] !== undefined ? { key: m[2] } : {}), planAddress },
    selectionName: name, iamRoleArn: "arn:aws:iam::222222222222:role/backup", resources: [], notResources: [], tags: [], ...extra,
  };
}

export function plan(name: string, accountName: string, rules: BackupRuleDecl[], extra: Partial<BackupPlanDecl> = {}): BackupPlanDecl {
  return {
    address: addr("backup_plan", name, extra.key), pos: at(), name, account: { kind: "account", name: accountName }, region: "eu-west-1", planName: name,
    windowsVss: false, tags: {}, rules, selections: [], ...extra,
  };
}

/** A Config with the settings and the three accounts of the examples; the rest from `parts`. */
export function config(parts: Partial<Config> = {}): Config {
  const plans = parts.backupPlans ?? [];
  return {
    settings: { address: "crossvault", pos: at(), stack: "demo", managementAccount: { kind: "account", name: "management" }, assumeRoleName: "OrganizationAccountAccessRole", defaultRegion: "eu-west-1" },
    variables: [], locals: {},
    accounts: [account("management", "111111111111"), account("prod", "222222222222"), account("vault", "333333333333"), account("dev", "444444444444")],
    kmsKeys: [], vaults: [], guardrails: [], imports: [], deferred: [],
    copyRoutes: plans.flatMap((p) => p.rules.flatMap((r) => r.copies)),
    selections: plans.flatMap((p) => p.selections),
    ...parts,
    backupPlans: plans,
  };
}

export const ORG: OrgFacts = {
  organizationId: "o-a1b2c3d4e5",
  managementAccountId: "111111111111",
  rootId: "r-f6g7",
  accountPaths: {
    "111111111111": "o-a1b2c3d4e5/r-f6g7/",
    "222222222222": "o-a1b2c3d4e5/r-f6g7/ou-f6g7-prod0001/",
    "333333333333": "o-a1b2c3d4e5/r-f6g7/ou-f6g7-vault001/",
    "444444444444": "o-a1b2c3d4e5/r-f6g7/ou-f6g7-dev00001/",
  },
  accountsByOu: { "ou-f6g7-prod0001": ["222222222222"], "ou-f6g7-vault001": ["333333333333"], "ou-f6g7-dev00001": ["444444444444"] },
  ouPaths: { "ou-f6g7-prod0001": "o-a1b2c3d4e5/r-f6g7/ou-f6g7-prod0001/", "ou-f6g7-vault001": "o-a1b2c3d4e5/r-f6g7/ou-f6g7-vault001/", "ou-f6g7-dev00001": "o-a1b2c3d4e5/r-f6g7/ou-f6g7-dev00001/" },
};

/** The path to the first value that is not plain JSON (undefined, a function, NaN...), or undefined if none. */
export function notPlainJson(value: unknown, path = "$"): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = notPlainJson(v, `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const bad = notPlainJson(v, `${path}.${k}`);
      if (bad) return bad;
    }
    return undefined;
  }
  return path;
}

/** Problems with a derivation's graph: duplicate addresses, dangling dependencies, cycles. */
export function graphProblems(resources: readonly DesiredResource[]): string[] {
  const problems: string[] = [];
  const byAddress = new Map<string, DesiredResource>();
  for (const r of resources) {
    if (byAddress.has(r.address)) problems.push(`duplicate address ${r.address}`);
    byAddress.set(r.address, r);
  }
  const identities = new Set<string>();
  for (const r of resources) {
    if (identities.has(r.identity)) problems.push(`duplicate identity ${r.identity}`);
    identities.add(r.identity);
    for (const d of r.dependsOn) if (!byAddress.has(d)) problems.push(`${r.address} depends on missing ${d}`);
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (address: string, trail: string[]): void => {
    const s = state.get(address);
    if (s === "done") return;
    if (s === "visiting") {
      problems.push(`cycle ${[...trail, address].join(" -> ")}`);
      return;
    }
    state.set(address, "visiting");
    for (const d of byAddress.get(address)?.dependsOn ?? []) visit(d, [...trail, address]);
    state.set(address, "done");
  };
  for (const r of resources) visit(r.address, []);
  return problems;
}
