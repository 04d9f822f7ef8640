// What is not a failure but weakens a route: a destination account that may leave the organization with its
// copies [X3]; a destination vault policy open to every AWS account (Principal "*" without an organization
// condition) [S4]; a guardrail that a mixed target list slips through (ForAllValues with a Not operator on
// backup:CopyTargets or backup:CopyTargetOrgPaths) [G2][G3]; and a route whose types cannot be told while its
// source is encrypted with an AWS managed key [C3].
import { evaluateScps } from "../policy/index.js";
import type { PolicyStatement } from "../../model/attributes.js";
import { normalizeStatement } from "../../model/policy-normal.js";
import { allowsEveryone } from "../../model/policy-statements.js";
import { AWS_MANAGED_BACKUP_KEY } from "../../model/attributes.js";
import { destinationVault, evaluated, keyOf, sourceVault, statementName, vaultName, type RouteContext, type RuleFailure } from "./outcome.js";
import { leaveOrganizationRequest, scpLabel, scpPath } from "./requests.js";

function leaveGuard(ctx: RouteContext): RuleFailure[] {
  const destination = ctx.route.destination!.accountId;
  if (!ctx.world.org || !(destination in ctx.world.org.accountPaths)) return [];
  const path = scpPath(ctx.world, destination);
  if (!path.ok) return [];
  const decision = evaluated(() => evaluateScps(path.value.levels, leaveOrganizationRequest(ctx.world, destination)));
  if ("error" in decision || decision.value.decision === "explicit-deny") return [];
  return [{
    rule: "X3",
    message: `destination account ${destination} is not denied organizations:LeaveOrganization: if it leaves the organization, it keeps the copies`,
    fix: `Declare a guardrail with kind = "deny_leave_organization" and targets = ["${destination}"] (an SCP denying organizations:LeaveOrganization to the account).`,
  }];
}

function openVaultPolicy(ctx: RouteContext): RuleFailure[] {
  const vault = destinationVault(ctx);
  if (!vault.ok || !vault.value?.policy) return [];
  const v = vault.value;
  const label = v.policyAddress ?? `access policy of vault ${vaultName(v)}`;
  const out: RuleFailure[] = [];
  v.policy!.forEach((raw, index) => {
    const s = normalizeStatement(raw);
    if (!s || !allowsEveryone(s as PolicyStatement)) return;
    out.push({
      rule: "S4", policy: label, statement: statementName({ sid: s.Sid, index }),
      message: `${label} lets any AWS account (Principal "*") copy into the vault: it has no aws:PrincipalOrgID or aws:PrincipalOrgPaths condition`,
      fix: `Add "Condition": {"StringEquals": {"aws:PrincipalOrgID": "${ctx.world.org?.organizationId ?? "o-..."}"}} to the statement, or name the source accounts.`,
    });
  });
  return out;
}

const WEAK = [
  { key: "backup:copytargets", operator: /^forallvalues:arnnot(like|equals)(ifexists)?$/i, rule: "G2" },
  { key: "backup:copytargetorgpaths", operator: /^forallvalues:stringnot(like|equals)(ifexists)?$/i, rule: "G3" },
];

function weakGuardrails(ctx: RouteContext): RuleFailure[] {
  const path = scpPath(ctx.world, ctx.route.source.accountId);
  if (!path.ok) return [];
  const out: RuleFailure[] = [];
  for (const policy of path.value.byLabel.values()) {
    const doc = policy.document as { Statement?: unknown } | undefined;
    const statements = doc && typeof doc === "object" ? (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) : [];
    statements.forEach((raw, index) => {
      const s = raw as { Sid?: unknown; Effect?: unknown; Condition?: Record<string, Record<string, unknown>> } | undefined;
      if (!s || s.Effect !== "Deny" || !s.Condition) return;
      for (const [operator, block] of Object.entries(s.Condition)) {
        for (const key of Object.keys(block ?? {})) {
          const weak = WEAK.find((w) => w.key === key.toLowerCase() && w.operator.test(operator));
          if (!weak) continue;
          const better = operator.replace(/^ForAllValues/i, "ForAnyValue");
          out.push({
            rule: weak.rule, policy: scpLabel(policy), statement: statementName({ sid: typeof s.Sid === "string" ? s.Sid : undefined, index }),
            message: `${scpLabel(policy)} denies with ${operator} on ${key}: a request whose list mixes an allowed and a foreign target passes it`,
            fix: `Use ${better} so that any foreign target in the list is denied.`,
          });
        }
      }
    });
  }
  return out;
}

function unknownTypes(ctx: RouteContext): RuleFailure[] {
  if (!ctx.carried.unknown) return [];
  const source = sourceVault(ctx);
  if (!source.ok || !source.value) return [];
  const ref = source.value.keyRef;
  const key = ref === AWS_MANAGED_BACKUP_KEY ? undefined : keyOf(ctx.world, ref);
  if (key && !(key.ok && key.value?.manager === "AWS")) return [];
  const where = source.value.address ?? `vault ${vaultName(source.value)}`;
  return [{
    rule: "C3", policy: where,
    message: `${where} is encrypted with an AWS managed key and the route's selections pick resources by tags or patterns: any that AWS Backup does not fully manage (EBS, EC2, RDS, ...) cannot be copied to another account`,
    fix: `Encrypt the source with a customer managed key, or select only fully managed types (S3, EFS, DynamoDB with advanced backup).`,
  }];
}

export function routeWarnings(ctx: RouteContext): RuleFailure[] {
  if (!ctx.crossAccount) return [];
  return [...leaveGuard(ctx), ...openVaultPolicy(ctx), ...weakGuardrails(ctx), ...unknownTypes(ctx)];
}
