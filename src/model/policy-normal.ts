// The normal form of policy statements (vault access policies and key policies), shared by derive (desired
// statements), the AWS readers (live statements) and diff: two statements that mean the same to IAM normalise
// to the same value, so string-vs-list, element order, principal spelling and whitespace never make a diff.
// Normalisation is for comparison only: writers keep foreign statements as AWS returned them.
import type { PolicyStatement } from "./attributes.js";
import { canonicalJson } from "./ownership.js";

/** Principal block in normal form; Federated / CanonicalUser are kept so a foreign statement loses nothing. */
export interface NormalPrincipal {
  AWS?: string[];
  Service?: string[];
  Federated?: string[];
  CanonicalUser?: string[];
}

/**
 * A normalised statement. The extra fields appear only when the statement uses them (foreign statements);
 * statements crossvault derives never do.
 */
export interface NormalStatement extends PolicyStatement {
  NotAction?: string[];
  NotResource?: string[];
  NotPrincipal?: "*" | NormalPrincipal;
}

const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_KINDS = ["AWS", "Service", "Federated", "CanonicalUser"] as const;

/** `arn:aws:iam::ACCOUNT:root`, the form AWS itself stores for an account principal. */
export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** Sorted, without duplicates: IAM treats these lists as sets. */
export function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A string or list of strings (numbers and booleans as IAM reads them); undefined if anything else. */
function stringList(raw: unknown): string[] | undefined {
  const items = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === "string") out.push(item);
    else if (typeof item === "number" || typeof item === "boolean") out.push(String(item));
    else return undefined;
  }
  return sortedSet(out);
}

function normalizePrincipal(raw: unknown): "*" | NormalPrincipal | undefined {
  if (raw === "*") return "*";
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const block = raw as Record<string, unknown>;
  const keys = Object.keys(block);
  const out: NormalPrincipal = {};
  for (const key of keys) {
    if (!(PRINCIPAL_KINDS as readonly string[]).includes(key)) return undefined;
    const values = stringList(block[key]);
    if (!values) return undefined;
    out[key as (typeof PRINCIPAL_KINDS)[number]] = sortedSet(key === "AWS" ? values.map((v) => (ACCOUNT_ID.test(v) ? accountRootArn(v) : v)) : values);
  }
  // IAM documents {"AWS":"*"} as the same principal as "*"; an AWS list that holds "*" names everyone too.
  if (keys.length === 1 && out.AWS?.includes("*")) return "*";
  return out;
}

function normalizeCondition(raw: unknown): Record<string, Record<string, string[]>> | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, block] of Object.entries(raw as Record<string, unknown>)) {
    if (!block || typeof block !== "object" || Array.isArray(block)) return undefined;
    const keys: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      const list = stringList(values);
      if (!list) return undefined;
      keys[key] = list;
    }
    out[operator] = keys;
  }
  return out;
}

/**
 * One statement to normal form, or undefined when it is not a statement IAM would accept in shape
 * (not an object, bad Effect, a principal or condition of the wrong type).
 * Missing Sid becomes "", Action / Resource always arrays (empty when the statement uses NotAction / NotResource),
 * account ids in Principal.AWS become root ARNs, every list sorted and de-duplicated.
 */
export function normalizeStatement(raw: unknown): NormalStatement | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const s = raw as Record<string, unknown>;
  if (s.Effect !== "Allow" && s.Effect !== "Deny") return undefined;
  if (s.Sid !== undefined && typeof s.Sid !== "string") return undefined;
  const action = s.Action === undefined ? [] : stringList(s.Action);
  const resource = s.Resource === undefined ? [] : stringList(s.Resource);
  if (!action || !resource) return undefined;
  const out: NormalStatement = { Sid: s.Sid ?? "", Effect: s.Effect, Action: action, Resource: resource };
  if (s.Principal !== undefined) {
    const principal = normalizePrincipal(s.Principal);
    if (!principal) return undefined;
    // PolicyStatement's principal type names AWS and Service; the other kinds ride along for foreign statements.
    out.Principal = principal as PolicyStatement["Principal"];
  }
  if (s.NotPrincipal !== undefined) {
    const principal = normalizePrincipal(s.NotPrincipal);
    if (!principal) return undefined;
    out.NotPrincipal = principal;
  }
  if (s.NotAction !== undefined) {
    const list = stringList(s.NotAction);
    if (!list) return undefined;
    out.NotAction = list;
  }
  if (s.NotResource !== undefined) {
    const list = stringList(s.NotResource);
    if (!list) return undefined;
    out.NotResource = list;
  }
  if (s.Condition !== undefined) {
    const condition = normalizeCondition(s.Condition);
    if (!condition) return undefined;
    if (Object.keys(condition).length > 0) out.Condition = condition;
  }
  return out;
}

/** Total order on normal statements: by Sid, then by content (foreign statements often share the Sid ""). */
export function compareStatements(a: PolicyStatement, b: PolicyStatement): number {
  if (a.Sid !== b.Sid) return compareText(a.Sid, b.Sid);
  return compareText(canonicalJson(a), canonicalJson(b));
}

export function sortStatements<T extends PolicyStatement>(statements: readonly T[]): T[] {
  return [...statements].sort(compareStatements);
}

/** Semantic equality of two normal statements (key order inside objects does not matter). */
export function sameStatement(a: PolicyStatement, b: PolicyStatement): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A policy document's text to its statements in normal form, sorted by compareStatements, with the parsed
 * document (`raw`) for whoever must write back the statements that are not theirs unchanged.
 * The error names the statement at fault.
 */
export function normalizePolicyDocument(text: string): { statements: NormalStatement[]; raw: unknown } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `policy is not valid JSON: ${(e as Error).message}` };
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { error: "policy is not a JSON object" };
  const body = (raw as Record<string, unknown>).Statement;
  if (body === undefined) return { error: "policy has no Statement" };
  const list = Array.isArray(body) ? body : [body];
  const statements: NormalStatement[] = [];
  for (const [index, item] of list.entries()) {
    const statement = normalizeStatement(item);
    if (!statement) {
      const sid = item && typeof item === "object" && typeof (item as { Sid?: unknown }).Sid === "string" ? ` (Sid ${JSON.stringify((item as { Sid: string }).Sid)})` : "";
      return { error: `policy statement ${index}${sid} is not a valid statement (Effect, Principal, Action, Resource or Condition of the wrong shape)` };
    }
    statements.push(statement);
  }
  return { statements: sortStatements(statements), raw };
}
