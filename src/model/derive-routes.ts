// Copy routes: every `copy` block of a plan rule is a route from the plan's account to a destination vault.
// A cross-account route derives what AWS needs for the copy to work: a statement in the destination vault's
// access policy for the source account [S4] (unless allow_copy_from covers it), key-share statements in the
// policy of the source vault's customer-managed key and of each `share_keys` key [S5][C3], and the
// organization's trusted access and setting [S2]. Same-account routes need none of these.
import type { BackupPlanDecl, BackupRuleDecl, CopyRouteDecl, Decl, VaultDecl } from "../config/model.js";
import { asAttributes, type KeyShareAttributes, type PolicyStatement, type VaultPolicyAttributes } from "./attributes.js";
import { allowCopyFromStatements, allowsAccount, routeSid } from "./derive-access.js";
import {
  accountIdOf, findDeclaredVault, keyShareAddress, keyShareIdentity, report, resolveKey, resource, vaultByArn, vaultChildAddress, vaultKey,
  type DeriveContext, type ResolvedKey,
} from "./derive-context.js";
import { identityOf } from "./identity.js";
import { sortStatements } from "./policy-normal.js";
import { copyIntoFromAccounts, keyShareStatements } from "./policy-statements.js";
import type { DesiredResource } from "./resource.js";

export interface RouteDerivation {
  /** vault_policy and key_share resources. */
  resources: DesiredResource[];
  /** What the plan holding each route must wait for (destination vault, its policy, key shares, org setting). */
  dependencies: Map<CopyRouteDecl, string[]>;
}

interface PolicyDraft {
  vault: VaultDecl;
  accountId: string;
  statements: Map<string, PolicyStatement>;
}

interface ShareDraft {
  key: ResolvedKey;
  /** Where the share comes from: the key's declaration, else the first route (by address) that needs it. */
  decl: Decl;
  destination: string;
  address: string;
  identity: string;
}

type Destination = { accountId: string; vault?: VaultDecl };

function destinationOf(ctx: DeriveContext, route: CopyRouteDecl): Destination | undefined {
  const d = route.destination;
  if (d.kind === "vault_arn") {
    const declared = vaultByArn(ctx, d.arn);
    return declared ? { accountId: d.account, vault: declared } : { accountId: d.account };
  }
  const vault = findDeclaredVault(ctx, d.vault, route);
  if (!vault) return undefined;
  const accountId = accountIdOf(ctx, vault.account, vault);
  return accountId === undefined ? undefined : { accountId, vault };
}

/** The keys a route must share with its destination: the source vault's key, then share_keys. */
function sourceKeys(ctx: DeriveContext, rule: BackupRuleDecl, route: CopyRouteDecl): ResolvedKey[] {
  const keys: ResolvedKey[] = [];
  if (rule.vault.kind === "vault") {
    const vault = findDeclaredVault(ctx, rule.vault, rule);
    const key = vault ? vaultKey(ctx, vault) : undefined;
    if (key) keys.push(key);
  } else if (route.shareKeys.length === 0) {
    report(ctx, {
      severity: "warning", code: "source-key-unknown", pos: route.pos, address: route.address, rule: "[S5]",
      summary: `the key of source vault "${rule.vault.name}" is not declared, so it cannot be shared with the destination`,
      detail: "If that vault uses a customer managed key, list it in share_keys (kms_key.<name> or its ARN) so its policy lets the destination account use it.",
    });
  }
  for (const target of route.shareKeys) {
    const key = resolveKey(ctx, target, route);
    if (key) keys.push(key);
  }
  return keys;
}

export function deriveRoutes(ctx: DeriveContext, orgAddresses: string[]): RouteDerivation {
  const policies = new Map<string, PolicyDraft>();
  const shares = new Map<string, ShareDraft>();
  const dependencies = new Map<CopyRouteDecl, string[]>();
  let warnedOrg = false;

  const policyOf = (vault: VaultDecl): PolicyDraft | undefined => {
    let draft = policies.get(vault.address);
    if (draft) return draft;
    const accountId = accountIdOf(ctx, vault.account, vault);
    if (accountId === undefined) return undefined;
    draft = { vault, accountId, statements: new Map() };
    policies.set(vault.address, draft);
    return draft;
  };

  for (const vault of ctx.config.vaults) {
    if (!vault.allowCopyFrom) continue;
    const draft = policyOf(vault);
    if (!draft) continue;
    for (const s of allowCopyFromStatements(ctx, vault, vault.allowCopyFrom)) draft.statements.set(s.Sid, s);
  }

  const routes = (plan: BackupPlanDecl) => plan.rules.flatMap((rule) => rule.copies.map((route) => ({ rule, route })));
  for (const plan of ctx.config.backupPlans) {
    const source = accountIdOf(ctx, plan.account, plan);
    for (const { rule, route } of routes(plan)) {
      const deps: string[] = [];
      dependencies.set(route, deps);
      const dest = destinationOf(ctx, route);
      if (source === undefined || !dest) continue;
      if (dest.vault) deps.push(dest.vault.address);
      if (dest.accountId === source) continue;

      if (dest.vault) {
        const draft = policyOf(dest.vault);
        if (draft) {
          if (!allowsAccount(ctx, dest.vault.allowCopyFrom, source)) {
            const s = copyIntoFromAccounts(ctx.prefix + routeSid(source), [source]);
            draft.statements.set(s.Sid, s);
          }
          deps.push(vaultChildAddress(dest.vault, "vault_policy"));
        }
      } else {
        report(ctx, {
          severity: "warning", code: "destination-policy-not-managed", pos: route.pos, address: route.address, rule: "[S4]",
          summary: `the destination vault ${route.destination.kind === "vault_arn" ? route.destination.arn : ""} is not declared here, so crossvault does not manage its access policy`,
          detail: `Its access policy must allow backup:CopyIntoBackupVault for account ${source} (arn:aws:iam::${source}:root), or the organization; otherwise every copy fails with Access Denied.`,
        });
      }

      for (const key of sourceKeys(ctx, rule, route)) {
        // A key in the destination account needs no share with it.
        if (key.accountId === dest.accountId) continue;
        const identity = keyShareIdentity(key, dest.accountId);
        let share = shares.get(identity);
        if (!share) {
          share = { key, decl: key.decl ?? route, destination: dest.accountId, address: keyShareAddress(key, dest.accountId), identity };
          shares.set(identity, share);
        } else if (!key.decl && route.address < share.decl.address) {
          share.decl = route; // the same route whatever the order of declarations
        }
        deps.push(share.address);
      }

      if (orgAddresses.length > 0) deps.push(...orgAddresses);
      else if (!warnedOrg) {
        warnedOrg = true;
        report(ctx, {
          severity: "warning", code: "cross-account-backup-assumed", pos: route.pos, address: route.address, rule: "[S2]",
          summary: "copy routes cross accounts, but this configuration does not manage the organization's cross-account backup",
          detail: "The routes rely on trusted access for AWS Backup and the cross-account backup setting being on already; declare organization { cross_account_backup = true } to manage them.",
        });
      }
    }
  }

  const resources: DesiredResource[] = [];
  for (const draft of policies.values()) {
    if (draft.statements.size === 0) continue;
    const { vault } = draft;
    const attributes: VaultPolicyAttributes = { vault_name: vault.vaultName, statements: sortStatements([...draft.statements.values()]) };
    resources.push(resource({
      address: vaultChildAddress(vault, "vault_policy"), type: "vault_policy", accountId: draft.accountId, region: vault.region,
      decl: vault.allowCopyFrom ?? vault,
      identity: identityOf("vault_policy", { accountId: draft.accountId, region: vault.region, name: vault.vaultName }),
      attributes: asAttributes(attributes),
      dependsOn: [vault.address],
    }));
  }
  for (const share of shares.values()) {
    const attributes: KeyShareAttributes = {
      key_arn: share.key.arn,
      destination_account: share.destination,
      statements: sortStatements(keyShareStatements(ctx.prefix, share.destination)),
    };
    resources.push(resource({
      address: share.address, type: "key_share", accountId: share.key.accountId, region: share.key.region, identity: share.identity,
      decl: share.decl,
      attributes: asAttributes(attributes),
      dependsOn: share.key.mode === "created" && share.key.address ? [share.key.address] : [],
    }));
  }
  return { resources, dependencies };
}
