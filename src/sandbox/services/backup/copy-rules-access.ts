// Who may copy what, for a cross-account copy job: the service control policies on the source account's path
// (backup:CopyFromBackupVault on the recovery point [G2, G3] and backup:CopyIntoBackupVault on the destination
// vault [G1]) and the destination vault's access policy [S4]. The copy role's own identity policies are not
// modelled (the sandbox has no IAM), so the caller side is as allowed as its SCPs let it be.
import type { AuthzRequest, ContextValue, LabelledPolicy, PolicyDecision, ScpLevel } from "../../../check/policy/index.js";
import type { OrgState } from "../organizations/state.js";
import type { RecoveryPoint, Vault } from "./state.js";
import { evaluateRequest, evaluateScps, PolicySyntaxError } from "../../../check/policy/index.js";
import { orgPathOf, scpLevelsFor } from "../organizations/entities.js";

export interface AccessRefusal {
  rule: "S4" | "G1" | "G2" | "G3";
  message: string;
}

/** AWS's documented StatusMessage when the destination vault refuses the copy (BEHAVIOUR.md §6.7). */
export const ACCESS_DENIED = "Access Denied trying to call AWS Backup service";

export interface CopyParties {
  org: OrgState;
  sourceAccountId: string;
  /** The copy job's IamRoleArn: the principal that copies out of the source and into the destination. */
  roleArn: string;
  recoveryPoint: RecoveryPoint;
  destinationAccountId: string;
  destinationVault: Vault;
}

function tagContext(tags: Record<string, string> | undefined): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(tags ?? {})) out[`aws:ResourceTag/${k}`] = v;
  return out;
}

function principalContext(p: CopyParties): Record<string, ContextValue> {
  const path = orgPathOf(p.org, p.sourceAccountId);
  return {
    "aws:PrincipalAccount": p.sourceAccountId,
    "aws:PrincipalArn": p.roleArn,
    "aws:PrincipalOrgID": p.org.organizationId,
    ...(path ? { "aws:PrincipalOrgPaths": [path] } : {}),
    "aws:PrincipalType": "AssumedRole",
  };
}

export function copyFromRequest(p: CopyParties): AuthzRequest {
  const targetPath = orgPathOf(p.org, p.destinationAccountId);
  return {
    principal: { accountId: p.sourceAccountId, arn: p.roleArn },
    action: "backup:CopyFromBackupVault",
    resource: p.recoveryPoint.arn,
    context: {
      ...principalContext(p),
      "backup:CopyTargets": [p.destinationVault.arn],
      ...(targetPath ? { "backup:CopyTargetOrgPaths": [targetPath] } : {}),
      ...tagContext(p.recoveryPoint.tags),
    },
  };
}

export function copyIntoRequest(p: CopyParties): AuthzRequest {
  return {
    principal: { accountId: p.sourceAccountId, arn: p.roleArn },
    action: "backup:CopyIntoBackupVault",
    resource: p.destinationVault.arn,
    context: { ...principalContext(p), ...tagContext(p.destinationVault.tags) },
  };
}

interface LabelledLevel extends ScpLevel {
  /** Label -> the policy's JSON text, to tell which seed guardrail a deciding statement is. */
  contents: Map<string, string>;
}

function scpLevels(p: CopyParties): LabelledLevel[] {
  return scpLevelsFor(p.org, p.sourceAccountId).map((level) => {
    const contents = new Map<string, string>();
    const policies: LabelledPolicy[] = level.policies.map((policy) => {
      const label = `service control policy ${policy.name} (${policy.id}) attached to ${level.targetId}`;
      contents.set(label, policy.content);
      return { label, document: policy.content };
    });
    return { target: level.targetId, policies, contents };
  });
}

function statementText(levels: LabelledLevel[], decision: PolicyDecision): string {
  const ref = decision.deciding;
  if (!ref) return "";
  for (const level of levels) {
    const content = level.contents.get(ref.policy);
    if (content === undefined) continue;
    try {
      const doc = JSON.parse(content) as { Statement?: unknown };
      const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
      return JSON.stringify(statements[ref.index] ?? "");
    } catch {
      return content;
    }
  }
  return "";
}

function describeScpDenial(levels: LabelledLevel[], request: AuthzRequest, decision: PolicyDecision): string {
  const what = `${request.action} on ${request.resource} by ${"arn" in request.principal ? request.principal.arn : "the service"}`;
  if (decision.decision === "explicit-deny" && decision.deciding) {
    const { policy, sid, index } = decision.deciding;
    return `${what} is explicitly denied by ${policy} (statement ${sid !== undefined ? `"${sid}"` : `#${index}`})`;
  }
  // Implicit deny: name the first level of the path where no SCP allows the action.
  const blocked = levels.find((level) => evaluateScps([level], request).decision !== "allow");
  return `${what} is not allowed by any service control policy attached to ${blocked?.target ?? "the account's path"}`;
}

function scpRefusal(levels: LabelledLevel[], request: AuthzRequest): AccessRefusal | undefined {
  let decision: PolicyDecision;
  try {
    decision = evaluateScps(levels, request);
  } catch (e) {
    if (!(e instanceof PolicySyntaxError)) throw e;
    return { rule: request.action === "backup:CopyIntoBackupVault" ? "G1" : "G2", message: `${ACCESS_DENIED}: a service control policy on the source account's path cannot be read: ${e.message}` };
  }
  if (decision.decision === "allow") return undefined;
  const text = statementText(levels, decision);
  const rule = request.action === "backup:CopyIntoBackupVault" ? "G1" : /CopyTargetOrgPaths/i.test(text) ? "G3" : "G2";
  return { rule, message: `${ACCESS_DENIED}: ${describeScpDenial(levels, request, decision)}` };
}

function vaultPolicyRefusal(p: CopyParties, request: AuthzRequest): AccessRefusal | undefined {
  const vault = p.destinationVault;
  if (vault.policy === undefined) {
    return { rule: "S4", message: `${ACCESS_DENIED}: backup vault ${vault.arn} has no access policy, so it allows no copies from account ${p.sourceAccountId}` };
  }
  const label = `the access policy of backup vault ${vault.arn}`;
  let decision: PolicyDecision & { reason: string };
  try {
    decision = evaluateRequest({ request, resourceAccountId: p.destinationAccountId, identity: null, resource: [{ label, document: vault.policy }] });
  } catch (e) {
    if (!(e instanceof PolicySyntaxError)) throw e;
    return { rule: "S4", message: `${ACCESS_DENIED}: ${label} cannot be read: ${e.message}` };
  }
  if (decision.decision === "allow") return undefined;
  const why = decision.decision === "explicit-deny"
    ? `${request.action} by ${p.roleArn} is ${decision.reason}`
    : `${label} does not allow ${request.action} for ${p.roleArn} (account ${p.sourceAccountId}, organization ${p.org.organizationId})`;
  return { rule: "S4", message: `${ACCESS_DENIED}: ${why}` };
}

/**
 * The first access rule the copy breaks, or undefined when every policy lets it through. SCPs are checked
 * before the vault policy because they are the source organization's own guardrails.
 */
export function accessRefusal(p: CopyParties): AccessRefusal | undefined {
  const levels = scpLevels(p);
  const into = copyIntoRequest(p);
  return scpRefusal(levels, copyFromRequest(p)) ?? scpRefusal(levels, into) ?? vaultPolicyRefusal(p, into);
}
