// Who may copy: the service control policies on the source account's path (root, each OU, the account) for
// backup:CopyFromBackupVault with the copy's targets [G2][G3] and for backup:CopyIntoBackupVault with the
// destination vault's tags [G1], then the destination vault's access policy [S4]. Evaluated for each role the
// plan's selections copy with and each type of recovery point the route carries.
import { evaluateRequest, evaluateScps, type AuthzRequest, type PolicyDecision } from "../policy/index.js";
import { destinationVault, documentOf, evaluated, fail, ok, statementName, unknown, vaultName, type RouteContext, type RuleFailure, type RuleOutcome } from "./outcome.js";
import { familiesToCheck } from "./resource-types.js";
import { copyFromRequest, copyIntoRequest, defaultBackupRole, orgPathOf, scpPath, type ScpPath } from "./requests.js";
import type { WorldVault } from "./types.js";

/** The roles copies of this route run as. */
function copyRoles(ctx: RouteContext): string[] {
  return ctx.route.selected.roles.length > 0 ? ctx.route.selected.roles : [defaultBackupRole(ctx.route.source.accountId)];
}

/** The statement of an SCP that a decision names, as written. */
function scpStatement(path: ScpPath, decision: PolicyDecision): unknown {
  const ref = decision.deciding;
  const doc = ref ? path.byLabel.get(ref.policy)?.document : undefined;
  if (!ref || !doc || typeof doc !== "object") return undefined;
  const statements = (doc as { Statement?: unknown }).Statement;
  return Array.isArray(statements) ? statements[ref.index] : ref.index === 0 ? statements : undefined;
}

function mentions(statement: unknown, key: string): boolean {
  return JSON.stringify(statement ?? "").toLowerCase().includes(key.toLowerCase());
}

function scpFailure(ctx: RouteContext, path: ScpPath, request: AuthzRequest, decision: PolicyDecision): RuleFailure {
  const into = request.action === "backup:CopyIntoBackupVault";
  const statement = scpStatement(path, decision);
  const rule = into ? "G1" : mentions(statement, "backup:CopyTargetOrgPaths") ? "G3" : "G2";
  const destination = ctx.route.destination!;
  const targetPath = orgPathOf(ctx.world.org, destination.accountId);
  const what = into
    ? `${request.action} into ${request.resource}`
    : `${request.action} to ${ctx.route.destinationArn}${targetPath ? ` (org path ${targetPath})` : ""}`;
  const role = "arn" in request.principal ? request.principal.arn : "";
  if (decision.decision === "explicit-deny" && decision.deciding) {
    const policy = path.byLabel.get(decision.deciding.policy);
    const attached = policy ? ` (attached to ${policy.targets.filter((t) => path.levels.some((l) => l.target === t)).join(", ")})` : "";
    const guardrail = policy?.address;
    const fixes: Record<string, string> = {
      G1: `Tag the destination vault with the tag the policy requires (tags = { ... } on ${guardrail ? "the vault" : `vault ${vaultName({ ...destination, name: destination.vault })}`}), or change the policy.`,
      G2: "Allow the destination vault in the policy's backup:CopyTargets list, or copy into a vault it allows.",
      G3: `Allow the destination account's OU path${targetPath ? ` (${targetPath})` : ""} in the policy's backup:CopyTargetOrgPaths list, or copy into an account under an allowed OU.`,
    };
    return {
      rule, policy: decision.deciding.policy, statement: statementName(decision.deciding),
      message: `${decision.deciding.policy}${attached} denies ${what} for ${role}`,
      fix: guardrail ? `${fixes[rule]} The policy is ${guardrail}: change it in the configuration.` : fixes[rule]!,
    };
  }
  const blocked = path.levels.find((l) => evaluateScps([l], request).decision !== "allow")?.target ?? "the account's path";
  return {
    rule,
    message: `no service control policy attached to ${blocked} allows ${what} for ${role}`,
    fix: `Attach a policy allowing ${request.action} (such as FullAWSAccess) to ${blocked}.`,
  };
}

function vaultPolicyLabel(v: WorldVault): string {
  return v.policyAddress ?? `access policy of vault ${vaultName(v)}`;
}

function vaultPolicy(ctx: RouteContext, vault: WorldVault, request: AuthzRequest): RuleOutcome {
  const label = vaultPolicyLabel(vault);
  const source = ctx.route.source.accountId;
  const role = "arn" in request.principal ? request.principal.arn : "";
  const grantFix = vault.policyAddress
    ? `Run \`crossvault apply\`: ${vault.policyAddress} writes the statement that lets account ${source} copy in.`
    : `Let the route's source in: declare the destination vault in the configuration (crossvault then writes the statement), or add a statement allowing backup:CopyIntoBackupVault to arn:aws:iam::${source}:root (or the organization with aws:PrincipalOrgID) to its access policy.`;
  if (!vault.policy) {
    return fail({ rule: "S4", policy: label, message: `vault ${vaultName(vault)} has no access policy, so no other account may copy into it`, fix: grantFix });
  }
  const result = evaluated(() => evaluateRequest({ request, resourceAccountId: vault.accountId, identity: null, resource: [{ label, document: documentOf(vault.policy!) }] }));
  if ("error" in result) return unknown("S4", `${label} cannot be evaluated: ${result.error}`, "Fix the access policy, or check the route by hand.", label);
  const decision = result.value;
  if (decision.decision === "allow") return ok("S4", decision.deciding ? { policy: label, statement: statementName(decision.deciding) } : undefined);
  if (decision.decision === "explicit-deny" && decision.deciding) {
    return fail({
      rule: "S4", policy: label, statement: statementName(decision.deciding),
      message: `${label} denies backup:CopyIntoBackupVault to ${role} (account ${source})`,
      fix: "Remove or narrow the denying statement (crossvault never changes statements that are not its own).",
    });
  }
  return fail({ rule: "S4", policy: label, message: `${label} does not allow backup:CopyIntoBackupVault for ${role} (account ${source}, org path ${orgPathOf(ctx.world.org, source) ?? "none"})`, fix: grantFix });
}

function dedupe(outcomes: RuleOutcome[]): RuleOutcome[] {
  const seen = new Set<string>();
  return outcomes.filter((o) => {
    const key = `${o.status}|${JSON.stringify(o.failure ?? o.allow ?? o.rule)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function checkAccess(ctx: RouteContext): RuleOutcome[] {
  if (!ctx.crossAccount) return [];
  const { world, route } = ctx;
  const out: RuleOutcome[] = [];
  const path = scpPath(world, route.source.accountId);
  const vault = destinationVault(ctx);
  const destination = vault.ok && vault.value ? vault.value : undefined;
  for (const role of copyRoles(ctx)) {
    if (!path.ok) {
      out.push(unknown("G2", `the service control policies of account ${route.source.accountId} could not be read (${path.reason})`, "Give crossvault the management account's credentials and check again."));
    } else {
      for (const family of familiesToCheck(ctx.carried)) {
        const request = copyFromRequest(world, route, role, family, route.recoveryPointTags);
        const decision = evaluated(() => evaluateScps(path.value.levels, request));
        if ("error" in decision) out.push(unknown("G2", decision.error, "Fix the service control policy, or check the route by hand."));
        else if (decision.value.decision !== "allow") out.push(fail(scpFailure(ctx, path.value, request, decision.value)));
      }
      if (destination) {
        const request = copyIntoRequest(world, route, role, destination);
        const decision = evaluated(() => evaluateScps(path.value.levels, request));
        if ("error" in decision) out.push(unknown("G1", decision.error, "Fix the service control policy, or check the route by hand."));
        else if (decision.value.decision !== "allow") out.push(fail(scpFailure(ctx, path.value, request, decision.value)));
      }
    }
    if (destination) out.push(vaultPolicy(ctx, destination, copyIntoRequest(world, route, role, destination)));
  }
  if (path.ok && !out.some((o) => o.rule.startsWith("G") && o.status !== "ok")) out.push(ok("G2"));
  return dedupe(out);
}
