// Read-modify-write of shared policy documents (vault access policies, key policies): crossvault replaces only
// the statements it owns (Sid with the stack's prefix; for a key share, only those for one destination) and
// writes every other statement back exactly as AWS returned it, so foreign statements keep their meaning.
import type { PolicyStatement } from "../../model/attributes.js";
import { canonicalJson, isOurSid, sidPrefix } from "../../model/ownership.js";
import { normalizeStatement, sortStatements } from "../../model/policy-normal.js";
import type { NormalStatement } from "../../model/policy-normal.js";

export type RawStatement = Record<string, unknown>;

export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyDocumentError";
  }
}

export interface ParsedPolicy {
  /** The document without its statements (Version, Id, ...), kept as read. */
  rest: Record<string, unknown>;
  statements: RawStatement[];
}

/** Parses a policy document; absent text is an empty document. */
export function parsePolicy(text: string | undefined, what: string): ParsedPolicy {
  if (text === undefined || text.trim() === "") return { rest: {}, statements: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PolicyDocumentError(`${what} is not valid JSON (${(e as Error).message}); fix or remove it, then run again`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new PolicyDocumentError(`${what} is not a JSON object; fix or remove it, then run again`);
  const { Statement, ...rest } = doc as Record<string, unknown>;
  const list = Statement === undefined ? [] : Array.isArray(Statement) ? Statement : [Statement];
  for (const s of list) {
    if (!s || typeof s !== "object" || Array.isArray(s)) throw new PolicyDocumentError(`${what} has a statement that is not a JSON object; fix it, then run again`);
  }
  return { rest, statements: list as RawStatement[] };
}

/** The statement as written to AWS: the normal form's members in the customary order. */
export function statementForWrite(s: PolicyStatement): RawStatement {
  return {
    Sid: s.Sid,
    Effect: s.Effect,
    ...(s.Principal !== undefined ? { Principal: s.Principal } : {}),
    Action: s.Action,
    Resource: s.Resource,
    ...(s.Condition !== undefined ? { Condition: s.Condition } : {}),
  };
}

export interface MergeResult {
  /** The new document text, or undefined when no statement is left. */
  text: string | undefined;
  /** Whether anything differs from the document as read. */
  changed: boolean;
}

/**
 * Replaces the statements `owns` selects by `replacement`, keeping every other statement (and the document's
 * other members) as read. Our statements go last, sorted, so a rewrite of the same statements is stable.
 */
export function mergeStatements(current: ParsedPolicy, owns: (s: RawStatement) => boolean, replacement: readonly PolicyStatement[]): MergeResult {
  const foreign = current.statements.filter((s) => !owns(s));
  const ours = sortStatements(replacement).map(statementForWrite);
  const statements = [...foreign, ...ours];
  const changed = !sameStatements(current.statements.filter(owns), replacement);
  if (statements.length === 0) return { text: undefined, changed: current.statements.length > 0 };
  const doc = { Version: "2012-10-17", ...current.rest, Statement: statements };
  return { text: JSON.stringify(doc), changed };
}

/** Whether raw statements mean the same as the given ones (order and spelling aside). */
function sameStatements(raw: readonly RawStatement[], wanted: readonly PolicyStatement[]): boolean {
  if (raw.length !== wanted.length) return false;
  const normal = raw.map((s) => normalizeStatement(s));
  if (normal.some((s) => s === undefined)) return false;
  const text = (list: readonly PolicyStatement[]) => canonicalJson(sortStatements(list));
  return text(normal as NormalStatement[]) === text(wanted.map((s) => normalizeStatement(s) ?? s));
}

const ACCOUNT_IN_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;

function principalAccounts(principal: unknown): string[] {
  if (!principal || typeof principal !== "object") return [];
  const aws = (principal as Record<string, unknown>).AWS;
  const list = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
  const out = new Set<string>();
  for (const p of list) {
    if (typeof p !== "string") continue;
    const id = /^\d{12}$/.test(p) ? p : ACCOUNT_IN_ARN.exec(p)?.[1];
    if (id) out.add(id);
  }
  return [...out];
}

/**
 * The destination account a key-share statement of this stack is for: the account named at the end of its Sid
 * (`<prefix>Use333333333333`), else the single account its principal names.
 */
export function shareDestination(stack: string, s: RawStatement): string | undefined {
  if (!isOurSid(stack, s.Sid)) return undefined;
  const rest = (s.Sid as string).slice(sidPrefix(stack).length);
  const fromSid = /(\d{12})$/.exec(rest)?.[1];
  if (fromSid) return fromSid;
  const accounts = principalAccounts(s.Principal);
  return accounts.length === 1 ? accounts[0] : undefined;
}

/** Selects the stack's statements of a vault access policy. */
export function vaultPolicyOwner(stack: string): (s: RawStatement) => boolean {
  return (s) => isOurSid(stack, s.Sid);
}

/** Selects the stack's statements of a key policy that share the key with one destination account. */
export function keyShareOwner(stack: string, destination: string): (s: RawStatement) => boolean {
  return (s) => shareDestination(stack, s) === destination;
}

/** The selected statements in normal form, sorted (what the readers report as attributes.statements). */
export function ownedStatements(policy: ParsedPolicy, owns: (s: RawStatement) => boolean, what: string): NormalStatement[] {
  const out: NormalStatement[] = [];
  for (const raw of policy.statements.filter(owns)) {
    const n = normalizeStatement(raw);
    if (!n) throw new PolicyDocumentError(`${what}: statement ${JSON.stringify(raw.Sid)} is not a valid policy statement`);
    out.push(n);
  }
  return sortStatements(out);
}
