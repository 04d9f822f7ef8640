// Does one statement apply to a request? Principal, action, resource and condition, each as AWS defines it.

import { evaluateCondition } from "./condition.js";
import type { CompiledPolicy, CompiledStatement, PrincipalSpec } from "./parse.js";
import type { AuthzRequest } from "./types.js";
import { resolveValue, resolveValueLoosely, resourcePatternMatch, type ContextLookup } from "./values.js";
import { actionMatches } from "./wildcard.js";

/**
 * How a statement's Principal matched: `direct` names the caller itself (its ARN, a service, or `*`);
 * `account` names only the caller's account, which within one account delegates to identity policies.
 */
export type PrincipalMatch = "direct" | "account" | "none";

/** A request prepared once for all statements: lower-cased context keys. */
export interface PreparedRequest {
  request: AuthzRequest;
  lookup: ContextLookup;
  /** The caller's role ARN, for matching an `assumed-role` session against `Principal` role ARNs. */
  roleArn?: string;
}

const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

export function prepareRequest(request: AuthzRequest): PreparedRequest {
  const context = new Map<string, string | string[]>();
  for (const [key, value] of Object.entries(request.context)) {
    context.set(
      key.toLowerCase(),
      Array.isArray(value) ? value.map(String) : typeof value === "string" ? value : String(value),
    );
  }
  const prepared: PreparedRequest = { request, lookup: (key) => context.get(key.toLowerCase()) };
  if ("arn" in request.principal) {
    const session = ASSUMED_ROLE.exec(request.principal.arn);
    if (session) prepared.roleArn = `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  }
  return prepared;
}

function principalMatch(spec: PrincipalSpec, prepared: PreparedRequest): PrincipalMatch {
  const p = prepared.request.principal;
  if (spec.any) return "direct";
  if ("service" in p) return spec.services.has(p.service.toLowerCase()) ? "direct" : "none";
  if (spec.arns.has(p.arn)) return "direct";
  if (prepared.roleArn !== undefined && spec.arns.has(prepared.roleArn)) return "direct";
  if (spec.accounts.has(p.accountId)) return "account";
  return "none";
}

/** The Principal / NotPrincipal test of a resource-policy statement; one without either names nobody. */
export function statementPrincipal(s: CompiledStatement, prepared: PreparedRequest): PrincipalMatch {
  if (s.principal !== undefined) return principalMatch(s.principal, prepared);
  if (s.notPrincipal !== undefined) {
    // NotPrincipal excludes whoever it names, by ARN or by account.
    return principalMatch(s.notPrincipal, prepared) === "none" ? "direct" : "none";
  }
  return "none";
}

function actionApplies(s: CompiledStatement, action: string): boolean {
  if (s.actions !== undefined) return s.actions.some((a) => actionMatches(a, action));
  if (s.notActions !== undefined) return !s.notActions.some((a) => actionMatches(a, action));
  return false;
}

/**
 * "match" when a pattern matches; "unknown" when none matches but one holds a variable without a value (AWS:
 * an unresolvable variable may invalidate the statement, so it proves neither a match nor a non-match).
 */
function resourceList(patterns: string[], resource: string, lookup: ContextLookup | undefined): "match" | "none" | "unknown" {
  let result: "none" | "unknown" = "none";
  for (const pattern of patterns) {
    const resolved = resolveValue(pattern, lookup);
    if (resolved !== undefined) {
      if (resourcePatternMatch(resolved.pattern, resource)) return "match";
    } else if (lookup !== undefined && resourcePatternMatch(resolveValueLoosely(pattern, lookup).pattern, resource)) {
      // Only a variable that could decide the match leaves it unknown.
      result = "unknown";
    }
  }
  return result;
}

function resourceApplies(s: CompiledStatement, resource: string, lookup: ContextLookup | undefined): boolean {
  if (s.resources !== undefined) return resourceList(s.resources, resource, lookup) === "match";
  if (s.notResources !== undefined) return resourceList(s.notResources, resource, lookup) === "none";
  return false;
}

function conditionsHold(s: CompiledStatement, prepared: PreparedRequest, variables: boolean): boolean {
  for (const c of s.conditions) {
    const present = prepared.lookup(c.key);
    if (!evaluateCondition(c.operator, present, c.values, variables ? prepared.lookup : undefined)) return false;
  }
  return true;
}

/** Action, resource and conditions: everything but the principal. */
export function statementApplies(policy: CompiledPolicy, s: CompiledStatement, prepared: PreparedRequest): boolean {
  const lookup = policy.variables ? prepared.lookup : undefined;
  return (
    actionApplies(s, prepared.request.action) &&
    resourceApplies(s, prepared.request.resource, lookup) &&
    conditionsHold(s, prepared, policy.variables)
  );
}
