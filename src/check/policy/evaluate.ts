// Policy evaluation logic: one side's policies, the SCPs of an organization path, and a whole request.
//
// Follows AWS's documented order ("Policy evaluation logic", "Cross-account policy evaluation logic"):
// an explicit Deny anywhere wins; SCPs must allow at every level of the path; within one account an Allow in
// the identity policies or one in the resource policy that names the caller suffices; across accounts both
// the caller's identity policies and the resource policy must allow.

import { compilePolicy } from "./parse.js";
import { prepareRequest, statementApplies, statementPrincipal, type PreparedRequest } from "./statement.js";
import type { AuthzRequest, LabelledPolicy, PolicyDecision, PolicyDocument, ScpLevel, StatementRef } from "./types.js";

/** The AWS-managed SCP attached everywhere when SCPs are enabled. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

interface SideAnalysis {
  matched: StatementRef[];
  deny?: StatementRef;
  /** First Allow naming the caller itself (or any caller, for identity policies and SCPs). */
  allow?: StatementRef;
  /** First Allow of a resource policy naming only the caller's account. */
  accountAllow?: StatementRef;
}

function analyse(policies: LabelledPolicy[], prepared: PreparedRequest, kind: "identity" | "resource"): SideAnalysis {
  const out: SideAnalysis = { matched: [] };
  for (const { label, document } of policies) {
    const policy = compilePolicy(document, label);
    for (const s of policy.statements) {
      const principal = kind === "resource" ? statementPrincipal(s, prepared) : "direct";
      if (principal === "none" || !statementApplies(policy, s, prepared)) continue;
      const ref: StatementRef = { policy: label, index: s.index, effect: s.effect };
      if (s.sid !== undefined) ref.sid = s.sid;
      out.matched.push(ref);
      if (s.effect === "Deny") out.deny ??= ref;
      else if (principal === "direct") out.allow ??= ref;
      else out.accountAllow ??= ref;
    }
  }
  return out;
}

function decide(a: SideAnalysis, allowRef: StatementRef | undefined): PolicyDecision {
  if (a.deny) return { decision: "explicit-deny", deciding: a.deny, matched: a.matched };
  if (allowRef) return { decision: "allow", deciding: allowRef, matched: a.matched };
  return { decision: "implicit-deny", matched: a.matched };
}

/** Identity- or resource-based policies of one side: explicit deny wins, else any allow, else implicit deny. */
export function evaluatePolicies(
  policies: LabelledPolicy[],
  request: AuthzRequest,
  kind: "identity" | "resource",
): PolicyDecision {
  const a = analyse(policies, prepareRequest(request), kind);
  return decide(a, a.allow ?? a.accountAllow);
}

interface ScpAnalysis extends PolicyDecision {
  /** The level with no applicable Allow, when that is why the SCPs deny. */
  blockedAt?: string;
}

function analyseScps(levels: ScpLevel[], prepared: PreparedRequest): ScpAnalysis {
  // SCPs restrict the principals of member accounts; they never apply to AWS service principals.
  if ("service" in prepared.request.principal) return { decision: "allow", matched: [] };
  const matched: StatementRef[] = [];
  let deny: StatementRef | undefined;
  let blockedAt: string | undefined;
  let lastAllow: StatementRef | undefined;
  for (const level of levels) {
    const a = analyse(level.policies, prepared, "identity");
    matched.push(...a.matched);
    deny ??= a.deny;
    if (a.allow === undefined) blockedAt ??= level.target;
    else lastAllow = a.allow;
  }
  if (deny) return { decision: "explicit-deny", deciding: deny, matched };
  if (blockedAt !== undefined) return { decision: "implicit-deny", matched, blockedAt };
  const out: ScpAnalysis = { decision: "allow", matched };
  if (lastAllow) out.deciding = lastAllow;
  return out;
}

/** SCPs: each level (root, each OU down the path, the account) must allow; an explicit deny at any level wins. */
export function evaluateScps(levels: ScpLevel[], request: AuthzRequest): PolicyDecision {
  const { blockedAt: _blockedAt, ...decision } = analyseScps(levels, prepareRequest(request));
  return decision;
}

export interface RequestInput {
  request: AuthzRequest;
  resourceAccountId: string;
  /** The caller's identity policies; null or absent: not modelled, treated as allowing. */
  identity?: LabelledPolicy[] | null;
  /** The resource's policy (for crossvault, the vault access policy); absent or empty: none. */
  resource?: LabelledPolicy[];
  /** The caller account's SCP path; absent or empty: no SCPs in effect. */
  scps?: ScpLevel[];
}

function describe(ref: StatementRef): string {
  return `${ref.policy} statement ${ref.sid !== undefined ? `"${ref.sid}"` : `#${ref.index}`}`;
}

/** A whole request, same-account or cross-account, with the reason in words. */
export function evaluateRequest(input: RequestInput): PolicyDecision & { reason: string } {
  const { request, resourceAccountId } = input;
  const prepared = prepareRequest(request);
  const scp = analyseScps(input.scps ?? [], prepared);
  const identity = input.identity == null ? undefined : analyse(input.identity, prepared, "identity");
  const resource = analyse(input.resource ?? [], prepared, "resource");
  const matched = [...scp.matched, ...(identity?.matched ?? []), ...resource.matched];
  const action = request.action;

  const deny = (scp.decision === "explicit-deny" ? scp.deciding : undefined) ?? identity?.deny ?? resource.deny;
  if (deny) return { decision: "explicit-deny", deciding: deny, matched, reason: `explicitly denied by ${describe(deny)}` };
  if (scp.decision === "implicit-deny") {
    return { decision: "implicit-deny", matched, reason: `no SCP attached to ${scp.blockedAt} allows ${action}` };
  }

  const principal = request.principal;
  if ("service" in principal) {
    if (resource.allow) return { decision: "allow", deciding: resource.allow, matched, reason: `allowed by ${describe(resource.allow)}` };
    return { decision: "implicit-deny", matched, reason: `no resource policy statement allows ${principal.service} to ${action}` };
  }

  const identityAllows = identity === undefined || identity.allow !== undefined;
  const identityText = identity?.allow ? describe(identity.allow) : "the caller's identity policies (not modelled)";
  if (principal.accountId === resourceAccountId) {
    if (identityAllows) {
      const deciding = identity?.allow ?? resource.allow;
      const out: PolicyDecision & { reason: string } = { decision: "allow", matched, reason: `allowed by ${identityText}` };
      if (deciding) out.deciding = deciding;
      return out;
    }
    if (resource.allow) return { decision: "allow", deciding: resource.allow, matched, reason: `allowed by ${describe(resource.allow)}` };
    const hint = resource.accountAllow
      ? `; ${describe(resource.accountAllow)} names only the account, which leaves the decision to identity policies`
      : "";
    return { decision: "implicit-deny", matched, reason: `no identity or resource policy allows ${action}${hint}` };
  }

  const resourceAllow = resource.allow ?? resource.accountAllow;
  if (!resourceAllow) {
    return {
      decision: "implicit-deny",
      matched,
      reason: `the resource policy does not allow ${principal.arn} (account ${principal.accountId}) to ${action}`,
    };
  }
  if (!identityAllows) {
    return { decision: "implicit-deny", matched, reason: `no identity policy of ${principal.arn} allows ${action}` };
  }
  return { decision: "allow", deciding: resourceAllow, matched, reason: `allowed by ${describe(resourceAllow)} and ${identityText}` };
}
