// Deriving guardrails [G1][G2][G3][X3]: one service control policy per guardrail block (or for_each instance)
// in the management account, attached to the block's targets, and the SCP policy type enabled at the root
// that attaching needs. Guardrails are applied last: each depends on every backup plan and selection, so the
// routes they protect exist before a policy starts to restrict copies.
import { createHash } from "node:crypto";
import type { GuardrailDecl, GuardrailKind } from "../config/model.js";
import { isUnknown } from "../config/expr/types.js";
import { asAttributes, type GuardrailAttributes, type PolicyTypeAttributes } from "./attributes.js";
import { accountIdOf, findDeclaredVault, report, resource, type DeriveContext } from "./derive-context.js";
import { GUARDRAIL_RULES, guardrailPolicy, policyText, SCP_MAX_CHARACTERS } from "./guardrail-policies.js";
import { identityOf, policyTypeIdentity } from "./identity.js";
import { sortedSet } from "./policy-normal.js";
import type { DesiredResource } from "./resource.js";

/** The address of the SCP policy type (an org_trust resource: no one owns it, destroy never turns it off). */
export const SCP_POLICY_TYPE_ADDRESS = "org_trust.scp_policy_type";
export const SCP_POLICY_TYPE = "SERVICE_CONTROL_POLICY";

const MAX_NAME = 128;
const MAX_DESCRIPTION = 512;

/**
 * `crossvault-STACK-NAME`, `crossvault-STACK-NAME-KEY` for a for_each instance. A name past AWS's 128
 * characters keeps its start and ends with a hash of the whole, so two long names stay apart.
 */
export function guardrailName(stack: string, name: string, key?: string): string {
  const full = `crossvault-${stack}-${name}${key === undefined ? "" : `-${key}`}`;
  if (full.length <= MAX_NAME) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 12);
  return `${full.slice(0, MAX_NAME - hash.length - 1)}-${hash}`;
}

const DEFAULT_DESCRIPTIONS: Readonly<Record<GuardrailKind, string>> = {
  require_destination_tag: "Copies may only go into backup vaults that carry the required tag",
  restrict_copy_targets: "Copies may only go to the allowed backup vaults",
  restrict_copy_target_ous: "Copies may only go to accounts under the allowed organization paths",
  deny_leave_organization: "Accounts holding backup copies cannot leave the organization",
};

function descriptionOf(ctx: DeriveContext, g: GuardrailDecl): string {
  return g.description ?? `${DEFAULT_DESCRIPTIONS[g.kind]} ${GUARDRAIL_RULES[g.kind]} (crossvault stack ${ctx.config.settings.stack})`;
}

/** The root, OU and account ids the policy is attached to; undefined when they are not known (reported). */
function targetsOf(ctx: DeriveContext, g: GuardrailDecl): string[] | undefined {
  if (isUnknown(g.targets)) {
    report(ctx, {
      severity: "error", code: "value-unknown", pos: g.pos, address: g.address, rule: g.rule,
      summary: `the targets of ${g.address} are not known yet (${g.targets.reason})`,
      detail: "They depend on the live organization: run plan with access to the management account.",
    });
    return undefined;
  }
  const ids: string[] = [];
  for (const t of g.targets) {
    if (t.kind === "ou" || t.kind === "root") ids.push(t.id);
    else {
      const id = accountIdOf(ctx, t, g);
      if (id === undefined) return undefined;
      ids.push(id);
    }
  }
  return sortedSet(ids);
}

/** [G2] the ARNs (or patterns) of the allowed vaults; undefined when a vault reference does not resolve. */
function allowedVaultArns(ctx: DeriveContext, g: GuardrailDecl): string[] | undefined {
  const out: string[] = [];
  for (const v of g.allowedVaults) {
    if (v.kind === "vault_arn_pattern") out.push(v.pattern);
    else {
      const vault = findDeclaredVault(ctx, v, g);
      if (!vault) return undefined;
      out.push(vault.arn);
    }
  }
  return out;
}

function warnManagementTarget(ctx: DeriveContext, g: GuardrailDecl, targets: readonly string[], management: string | undefined): void {
  const ids = new Set([management, ctx.org?.managementAccountId].filter((id): id is string => id !== undefined && id !== ""));
  for (const id of targets.filter((t) => ids.has(t))) {
    report(ctx, {
      severity: "warning", code: "guardrail-management-account", pos: g.pos, address: g.address, rule: g.rule,
      summary: `${g.address} is attached to the management account ${id}, where service control policies have no effect`,
      detail: "AWS never applies SCPs to the management account: remove it from targets, and keep backups and copies out of the management account.",
    });
  }
}

function deriveGuardrail(ctx: DeriveContext, g: GuardrailDecl, management: string, dependsOn: readonly string[]): DesiredResource | undefined {
  const targets = targetsOf(ctx, g);
  const vaults = g.kind === "restrict_copy_targets" ? allowedVaultArns(ctx, g) : [];
  if (!targets || !vaults) return undefined;
  warnManagementTarget(ctx, g, targets, management);
  const policy = guardrailPolicy(g.kind, { tagKey: g.tagKey, allowedVaultArns: vaults, allowedOrgPaths: g.allowedOrgPaths });
  const size = policyText(policy).length;
  if (size > SCP_MAX_CHARACTERS) {
    report(ctx, {
      severity: "error", code: "guardrail-too-large", pos: g.pos, address: g.address, rule: g.rule,
      summary: `the service control policy of ${g.address} would be ${size} characters; AWS accepts at most ${SCP_MAX_CHARACTERS}`,
      detail: "Allow fewer vaults or org paths, or use wildcard patterns that cover several of them.",
    });
    return undefined;
  }
  const description = descriptionOf(ctx, g);
  if (description.length > MAX_DESCRIPTION) {
    report(ctx, {
      severity: "error", code: "guardrail-description-too-long", pos: g.pos, address: g.address,
      summary: `the description of ${g.address} is ${description.length} characters; AWS accepts at most ${MAX_DESCRIPTION}`,
      detail: "Shorten the description.",
    });
    return undefined;
  }
  const name = guardrailName(ctx.config.settings.stack, g.name, g.key);
  const attributes: GuardrailAttributes = { name, description, kind: g.kind, policy, targets, tags: {} };
  return resource({
    address: g.address, type: "guardrail", accountId: management, region: "global", decl: g,
    identity: identityOf("guardrail", { accountId: management, region: "global", name }),
    attributes: asAttributes(attributes),
    dependsOn: [SCP_POLICY_TYPE_ADDRESS, ...dependsOn],
  });
}

/**
 * guardrail per declared guardrail, and the SCP policy type they need (only when at least one is derived).
 * `derived` holds what derive produced so far: each guardrail waits for every backup plan and selection in it
 * (the leaves of the route graph), so guardrails come last in apply.
 */
export function deriveGuardrails(ctx: DeriveContext, derived: readonly DesiredResource[]): DesiredResource[] {
  if (ctx.config.guardrails.length === 0) return [];
  const management = accountIdOf(ctx, ctx.config.settings.managementAccount, ctx.config.settings);
  if (management === undefined) return [];
  const routes = derived.filter((r) => r.type === "backup_plan" || r.type === "backup_selection").map((r) => r.address);
  const out: DesiredResource[] = [];
  // Names join label and for_each key with a hyphen, so `a-b` and `a` with key `b` would be one policy.
  const named = new Map<string, string>();
  for (const g of ctx.config.guardrails) {
    const name = guardrailName(ctx.config.settings.stack, g.name, g.key);
    const other = named.get(name);
    if (other !== undefined) {
      report(ctx, {
        severity: "error", code: "guardrail-name-taken", pos: g.pos, address: g.address,
        summary: `${g.address} and ${other} would both be the service control policy ${name}`,
        detail: "Rename one of the guardrails: a guardrail's policy is named crossvault-STACK-NAME, with -KEY for a for_each instance.",
      });
      continue;
    }
    named.set(name, g.address);
    const r = deriveGuardrail(ctx, g, management, routes);
    if (r) out.push(r);
  }
  if (out.length === 0) return [];
  const policyType: PolicyTypeAttributes = { policy_type: SCP_POLICY_TYPE, enabled: true };
  out.unshift(resource({
    address: SCP_POLICY_TYPE_ADDRESS, type: "org_trust", accountId: management, region: "global", decl: ctx.config.guardrails[0]!,
    identity: policyTypeIdentity(management, SCP_POLICY_TYPE),
    attributes: asAttributes(policyType),
  }));
  return out;
}
