// Reading policy documents: JSON text or objects to a checked, normalized form that evaluation walks fast.
// Validation names the statement and element at fault, so the message is useful to whoever wrote the policy.

import { parseOperator, type ConditionOperator } from "./condition.js";
import type { PolicyDocument, PrincipalBlock, Statement } from "./types.js";

export interface PrincipalSpec {
  /** `"*"` or `{"AWS":"*"}`: anyone. */
  any: boolean;
  /** Account ids, from `123456789012` or `arn:aws:iam::123456789012:root`. */
  accounts: Set<string>;
  /** Other AWS principal ARNs (roles, users), compared exactly. */
  arns: Set<string>;
  services: Set<string>;
  federated: Set<string>;
}

export interface CompiledCondition {
  operator: ConditionOperator;
  /** Lower-cased: condition key names are case-insensitive. */
  key: string;
  values: string[];
}

export interface CompiledStatement {
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditions: CompiledCondition[];
}

export interface CompiledPolicy {
  statements: CompiledStatement[];
  /** Policy variables (`${aws:PrincipalAccount}`) are only substituted in version 2012-10-17 documents. */
  variables: boolean;
}

export class PolicySyntaxError extends Error {
  override name = "PolicySyntaxError";
}

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;

/** Parses JSON policy text; the error names what is wrong and where. */
export function parsePolicy(text: string): { document?: PolicyDocument; error?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `policy is not valid JSON: ${(e as Error).message}` };
  }
  try {
    compileDocument(raw);
  } catch (e) {
    if (e instanceof PolicySyntaxError) return { error: e.message };
    throw e;
  }
  return { document: raw as PolicyDocument };
}

const textCache = new Map<string, CompiledPolicy>();
const objectCache = new WeakMap<object, CompiledPolicy>();
const TEXT_CACHE_LIMIT = 1_000;

/**
 * Compiles a document (object or JSON text), memoized: the sandbox evaluates the same few stored policies on
 * every copy job. Callers must not mutate a document object after evaluating it.
 */
export function compilePolicy(document: PolicyDocument | string, label: string): CompiledPolicy {
  if (typeof document === "string") {
    let compiled = textCache.get(document);
    if (compiled === undefined) {
      let raw: unknown;
      try {
        raw = JSON.parse(document);
      } catch (e) {
        throw new PolicySyntaxError(`policy ${label}: not valid JSON: ${(e as Error).message}`);
      }
      compiled = compileLabelled(raw, label);
      if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear();
      textCache.set(document, compiled);
    }
    return compiled;
  }
  let compiled = objectCache.get(document);
  if (compiled === undefined) {
    compiled = compileLabelled(document, label);
    objectCache.set(document, compiled);
  }
  return compiled;
}

function compileLabelled(raw: unknown, label: string): CompiledPolicy {
  try {
    return compileDocument(raw);
  } catch (e) {
    if (e instanceof PolicySyntaxError) throw new PolicySyntaxError(`policy ${label}: ${e.message}`);
    throw e;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function compileDocument(raw: unknown): CompiledPolicy {
  if (!isObject(raw)) throw new PolicySyntaxError("a policy must be a JSON object");
  const version = raw["Version"];
  if (version !== undefined && version !== "2012-10-17" && version !== "2008-10-17") {
    throw new PolicySyntaxError(`Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(version)}`);
  }
  const statement = raw["Statement"];
  if (statement === undefined) throw new PolicySyntaxError("the policy has no Statement");
  const list = Array.isArray(statement) ? statement : [statement];
  return {
    statements: list.map((s, i) => compileStatement(s, i)),
    variables: version === "2012-10-17",
  };
}

function compileStatement(raw: unknown, index: number): CompiledStatement {
  const where = `Statement[${index}]`;
  if (!isObject(raw)) throw new PolicySyntaxError(`${where} must be an object`);
  const s = raw as Partial<Statement> & Record<string, unknown>;
  if (s.Effect !== "Allow" && s.Effect !== "Deny") {
    throw new PolicySyntaxError(`${where}: Effect must be "Allow" or "Deny", not ${JSON.stringify(s.Effect)}`);
  }
  if (s.Sid !== undefined && typeof s.Sid !== "string") throw new PolicySyntaxError(`${where}: Sid must be a string`);
  const out: CompiledStatement = { index, effect: s.Effect, conditions: [] };
  if (s.Sid !== undefined) out.sid = s.Sid;
  exclusive(s, "Principal", "NotPrincipal", where, false);
  if (s.Principal !== undefined) out.principal = compilePrincipal(s.Principal, `${where}.Principal`);
  if (s.NotPrincipal !== undefined) out.notPrincipal = compilePrincipal(s.NotPrincipal, `${where}.NotPrincipal`);
  exclusive(s, "Action", "NotAction", where, true);
  if (s.Action !== undefined) out.actions = stringList(s.Action, `${where}.Action`);
  if (s.NotAction !== undefined) out.notActions = stringList(s.NotAction, `${where}.NotAction`);
  exclusive(s, "Resource", "NotResource", where, true);
  if (s.Resource !== undefined) out.resources = stringList(s.Resource, `${where}.Resource`);
  if (s.NotResource !== undefined) out.notResources = stringList(s.NotResource, `${where}.NotResource`);
  if (s.Condition !== undefined) out.conditions = compileConditions(s.Condition, `${where}.Condition`);
  for (const key of Object.keys(s)) {
    if (!STATEMENT_ELEMENTS.has(key)) throw new PolicySyntaxError(`${where}: unknown element ${JSON.stringify(key)}`);
  }
  return out;
}

const STATEMENT_ELEMENTS = new Set([
  "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
]);

function exclusive(s: Record<string, unknown>, a: string, b: string, where: string, required: boolean): void {
  if (s[a] !== undefined && s[b] !== undefined) {
    throw new PolicySyntaxError(`${where} has both ${a} and ${b}; keep one`);
  }
  if (required && s[a] === undefined && s[b] === undefined) {
    throw new PolicySyntaxError(`${where} needs ${a} or ${b}`);
  }
}

function stringList(v: unknown, where: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new PolicySyntaxError(`${where} is empty`);
  for (const item of list) {
    if (typeof item !== "string") throw new PolicySyntaxError(`${where} must hold strings`);
  }
  return list as string[];
}

function compilePrincipal(block: PrincipalBlock | unknown, where: string): PrincipalSpec {
  const spec: PrincipalSpec = {
    any: false,
    accounts: new Set(),
    arns: new Set(),
    services: new Set(),
    federated: new Set(),
  };
  if (block === "*") {
    spec.any = true;
    return spec;
  }
  if (!isObject(block)) throw new PolicySyntaxError(`${where} must be "*" or an object`);
  for (const [kind, value] of Object.entries(block)) {
    const list = stringList(value, `${where}.${kind}`);
    if (kind === "AWS") {
      for (const p of list) {
        const root = ACCOUNT_ROOT.exec(p);
        if (p === "*") spec.any = true;
        else if (ACCOUNT_ID.test(p)) spec.accounts.add(p);
        else if (root) spec.accounts.add(root[1]!);
        else spec.arns.add(p);
      }
    } else if (kind === "Service") {
      for (const p of list) spec.services.add(p.toLowerCase());
    } else if (kind === "Federated") {
      for (const p of list) spec.federated.add(p);
    } else if (kind === "CanonicalUser") {
      // S3-only principal kind; it names no principal crossvault evaluates.
    } else {
      throw new PolicySyntaxError(`${where}: unknown principal type ${JSON.stringify(kind)}`);
    }
  }
  return spec;
}

function compileConditions(raw: unknown, where: string): CompiledCondition[] {
  if (!isObject(raw)) throw new PolicySyntaxError(`${where} must be an object`);
  const out: CompiledCondition[] = [];
  for (const [opName, block] of Object.entries(raw)) {
    const operator = parseOperator(opName);
    if (operator === undefined) {
      throw new PolicySyntaxError(`${where}: unsupported condition operator ${JSON.stringify(opName)}`);
    }
    if (!isObject(block)) throw new PolicySyntaxError(`${where}.${opName} must be an object of keys to values`);
    for (const [key, value] of Object.entries(block)) {
      const list = Array.isArray(value) ? value : [value];
      const values: string[] = [];
      for (const v of list) {
        if (typeof v === "string") values.push(v);
        else if (typeof v === "boolean" || typeof v === "number") values.push(String(v));
        else throw new PolicySyntaxError(`${where}.${opName}.${key}: values must be strings, numbers or booleans`);
      }
      if (values.length === 0) throw new PolicySyntaxError(`${where}.${opName}.${key} has no values`);
      out.push({ operator, key: key.toLowerCase(), values });
    }
  }
  return out;
}
