// DERIVE: the validated configuration (and the live organization's facts) to the desired resources, one per
// kind of resources.ts, with addresses, identities, attributes in the normal forms of attributes.ts and the
// dependencies apply walks. Pure: no AWS, no clock; problems are diagnostics, never exceptions.
//
// Choices the rest of the engine relies on:
// - A vault without kms_key has encryption_key_arn AWS_MANAGED_BACKUP_KEY ("alias/aws/backup").
// - Values known only after apply are Pending: a created key's ARN ({kms_key.X, arn}), a plan's id
//   ({backup_plan.X, id}); the organization id of an `organization = true` statement when the organization
//   was not read is Pending {organization, id} in place of the condition's value list (with a warning).
// - org_trust / cross_account_setting only when `organization { cross_account_backup = true }` is declared.
// - Same-account copy routes need no policy statement, key share or organization setting.
// - A value the config could not know (deferred for_each, unknown accounts) is an error diagnostic, and the
//   resources it would have shaped are left out: apply must not run on a partial desired state.
// - Guardrails (and the SCP policy type they need) come last: derive-guardrails.ts.
import type { Diagnostic } from "../config/diagnostics.js";
import type { Config } from "../config/model.js";
import { asAttributes, type CrossAccountSettingAttributes, type OrgTrustAttributes } from "./attributes.js";
import { accountIdOf, newContext, resource, type DeriveContext } from "./derive-context.js";
import { deriveGuardrails } from "./derive-guardrails.js";
import { markAdoptions } from "./derive-adopt.js";
import { derivePlan } from "./derive-plans.js";
import { deriveRoutes } from "./derive-routes.js";
import { deriveKmsKey, deriveVault } from "./derive-storage.js";
import { identityOf } from "./identity.js";
import type { OrgFacts } from "./org.js";
import type { DesiredResource } from "./resource.js";

export interface Derivation {
  resources: DesiredResource[];
  diagnostics: Diagnostic[];
}

/** The region of the cross-account setting: the default region, else where the stack's plans or vaults are. */
function homeRegion(config: Config): string {
  return config.settings.defaultRegion ?? config.backupPlans[0]?.region ?? config.vaults[0]?.region ?? "us-east-1";
}

/** [S2] trusted access and the cross-account setting, managed only when the config declares them on. */
function deriveOrganization(ctx: DeriveContext): DesiredResource[] {
  const decl = ctx.config.organization;
  if (!decl?.crossAccountBackup) return [];
  const management = accountIdOf(ctx, ctx.config.settings.managementAccount, ctx.config.settings);
  if (management === undefined) return [];
  const trust: OrgTrustAttributes = { service_principal: "backup.amazonaws.com", enabled: true };
  const setting: CrossAccountSettingAttributes = { enabled: true };
  const region = homeRegion(ctx.config);
  return [
    resource({ address: "org_trust", type: "org_trust", accountId: management, region: "global", decl, identity: identityOf("org_trust", { accountId: management, region: "global" }), attributes: asAttributes(trust) }),
    // Backup reads the setting through the management account's API in one region; trust comes first.
    resource({ address: "cross_account_setting", type: "cross_account_setting", accountId: management, region, decl, identity: identityOf("cross_account_setting", { accountId: management, region }), attributes: asAttributes(setting), dependsOn: ["org_trust"] }),
  ];
}

function reportDeferred(ctx: DeriveContext): void {
  for (const d of ctx.config.deferred) {
    ctx.diagnostics.push({
      severity: "error", code: "instances-unknown", pos: d.pos, address: d.address,
      summary: `the instances of ${d.address} are not known yet (${d.reason})`,
      detail: "They depend on the live organization: run plan with access to the management account.",
    });
  }
}

/** A reference that does not resolve is met by every step that follows it: report it once. */
function once(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.address ?? ""}|${d.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function deriveDesired(config: Config, org: OrgFacts | undefined): Derivation {
  const ctx = newContext(config, org);
  reportDeferred(ctx);
  const resources: DesiredResource[] = [];
  const organization = deriveOrganization(ctx);
  resources.push(...organization);
  for (const key of config.kmsKeys) {
    if (key.mode !== "created") continue;
    const r = deriveKmsKey(ctx, key);
    if (r) resources.push(r);
  }
  for (const vault of config.vaults) resources.push(...deriveVault(ctx, vault));
  const routes = deriveRoutes(ctx, organization.map((r) => r.address));
  resources.push(...routes.resources);
  for (const plan of config.backupPlans) resources.push(...derivePlan(ctx, plan, routes.dependencies));
  resources.push(...deriveGuardrails(ctx, resources));

  // Something left out was reported above: a vault's policy cannot stand without the vault, and a dependency
  // on what is missing must not leave apply waiting for nothing.
  const vaults = new Set(resources.filter((r) => r.type === "vault").map((r) => r.address));
  const kept = resources.filter((r) => r.type !== "vault_policy" || r.dependsOn.every((a) => vaults.has(a)));
  const addresses = new Set(kept.map((r) => r.address));
  for (const r of kept) r.dependsOn = r.dependsOn.filter((a) => addresses.has(a));
  markAdoptions(config.imports, kept);
  kept.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { resources: kept, diagnostics: once(ctx.diagnostics) };
}
