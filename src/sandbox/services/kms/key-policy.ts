// Key policies: the default document, validation as KMS does it (MalformedPolicyDocumentException), and the
// evaluation of a request against a policy (explicit deny wins, otherwise an allow is needed). The evaluation
// covers what key policies use: principals by account, role and assumed-role ARN or "*", action and resource
// wildcards, and the string, ARN, Bool and Null condition operators with ForAnyValue/ForAllValues and IfExists.
import { ServiceError } from "../../service.js";

export interface KmsPrincipal {
  accountId: string;
  /** `arn:aws:iam::ACCOUNT:root` or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  arn: string;
  /** For assumed roles: `arn:aws:iam::ACCOUNT:role/ROLE`. */
  roleArn?: string;
}

export interface KmsRequest {
  action: string;
  principal: KmsPrincipal;
  /** The key ARN (matched against `Resource`; key policies normally say "*"). */
  resource?: string;
  /** Condition keys (any case) and their values; absent keys are missing from the request. */
  context?: Record<string, string | string[] | undefined>;
}

export type Decision = "Allow" | "Deny" | "NoMatch";

type Statement = Record<string, unknown>;

/** The default key policy as the API renders it: the account (and through IAM, its principals) gets kms:* [D]. */
export function defaultKeyPolicy(accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${accountId}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}

function malformed(message: string): never {
  throw new ServiceError("MalformedPolicyDocumentException", message, 400);
}

const PRINCIPAL_ARN = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)|arn:aws[a-z-]*:sts::\d{12}:assumed-role\/.+\/.+)$/;

function strings(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string")) return v as string[];
  return undefined;
}

function checkPrincipal(p: unknown): void {
  if (p === "*") return;
  if (typeof p !== "object" || p === null || Array.isArray(p) || Object.keys(p).length === 0) malformed("Policy contains a statement with one or more invalid principals.");
  for (const [kind, value] of Object.entries(p as Record<string, unknown>)) {
    const values = strings(value);
    if (!values) malformed("Policy contains a statement with one or more invalid principals.");
    if (kind === "AWS" && values.every((v) => v === "*" || PRINCIPAL_ARN.test(v))) continue;
    if (kind === "Service" && values.every((v) => /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(v))) continue;
    if (kind === "Federated" || kind === "CanonicalUser") continue;
    malformed("Policy contains a statement with one or more invalid principals.");
  }
}

/** Size limit of a key policy: 32 KB [D]. */
const MAX_POLICY_BYTES = 32768;

/** Parses and checks a key policy document; throws the error KMS returns for it. */
export function parseKeyPolicy(text: unknown): Statement[] {
  if (typeof text !== "string" || text.length === 0) malformed("The policy document is empty.");
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw new ServiceError("LimitExceededException", `The key policy exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`, 400);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    malformed("The policy document is not valid JSON.");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) malformed("The policy document must be a JSON object.");
  const d = doc as Record<string, unknown>;
  if ("Version" in d && d.Version !== "2012-10-17" && d.Version !== "2008-10-17") malformed(`The policy document has an unsupported Version "${String(d.Version)}".`);
  const list = Array.isArray(d.Statement) ? d.Statement : d.Statement === undefined ? [] : [d.Statement];
  if (list.length === 0) malformed("The policy document has no statements.");
  const statements: Statement[] = [];
  for (const s of list) {
    if (typeof s !== "object" || s === null || Array.isArray(s)) malformed("Policy contains a statement that is not an object.");
    const st = s as Statement;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") malformed("Policy contains a statement with an invalid Effect.");
    if (!("Principal" in st) && !("NotPrincipal" in st)) malformed("Policy contains a statement with no principal.");
    checkPrincipal(st.Principal ?? st.NotPrincipal);
    if (("Action" in st) === ("NotAction" in st) || !strings(st.Action ?? st.NotAction)) malformed("Policy contains a statement with no action or an invalid action.");
    if ("Resource" in st && !strings(st.Resource)) malformed("Policy contains a statement with an invalid resource.");
    if ("Condition" in st && (typeof st.Condition !== "object" || st.Condition === null || Array.isArray(st.Condition))) malformed("Policy contains a statement with an invalid condition.");
    statements.push(st);
  }
  return statements;
}

/** IAM wildcard matching: `*` any run, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "is" : "s");
  return re.test(value);
}

function principalMatches(p: unknown, who: KmsPrincipal): boolean {
  if (p === "*") return true;
  const aws = strings((p as Record<string, unknown> | null)?.AWS) ?? [];
  return aws.some((v) => v === "*" || v === who.accountId || v === `arn:aws:iam::${who.accountId}:root` || v === who.roleArn || v === who.arn);
}

function matchesOne(base: string, expected: string, actual: string): boolean {
  switch (base) {
    case "StringEquals": return actual === expected;
    case "StringEqualsIgnoreCase": return actual.toLowerCase() === expected.toLowerCase();
    case "StringLike": case "ArnLike": case "ArnEquals": return wildcardMatch(expected, actual);
    case "Bool": return actual.toLowerCase() === expected.toLowerCase();
    default: return false;
  }
}

const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals", StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase", StringNotLike: "StringLike", ArnNotEquals: "ArnEquals", ArnNotLike: "ArnLike",
};
const POSITIVE = new Set(["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnLike", "ArnEquals", "Bool"]);

function conditionHolds(operator: string, key: string, expectedRaw: unknown, context: Map<string, string[]>): boolean {
  let op = operator;
  let set: "any" | "all" | undefined;
  if (op.startsWith("ForAnyValue:")) [set, op] = ["any", op.slice(12)];
  else if (op.startsWith("ForAllValues:")) [set, op] = ["all", op.slice(13)];
  const ifExists = op.endsWith("IfExists");
  if (ifExists) op = op.slice(0, -8);
  const expected = ([] as unknown[]).concat(expectedRaw).map(String);
  const actual = context.get(key.toLowerCase());
  if (op === "Null") return expected.some((e) => (e.toLowerCase() === "true") === (actual === undefined));
  const negated = NEGATED[op] !== undefined;
  const base = NEGATED[op] ?? op;
  if (!POSITIVE.has(base)) return false; // an operator the sandbox does not model never matches
  if (actual === undefined || actual.length === 0) return ifExists || set === "all" || (negated && set === undefined);
  const hit = (v: string) => expected.some((e) => matchesOne(base, e, v));
  const test = (v: string) => (negated ? !hit(v) : hit(v));
  if (set === "all") return actual.every(test);
  if (set === "any") return actual.some(test);
  return negated ? !actual.some(hit) : actual.some(hit);
}

function statementApplies(st: Statement, req: KmsRequest, context: Map<string, string[]>): boolean {
  if ("Principal" in st ? !principalMatches(st.Principal, req.principal) : principalMatches(st.NotPrincipal, req.principal)) return false;
  const action = req.action;
  if ("Action" in st ? !strings(st.Action)!.some((a) => wildcardMatch(a, action, true)) : strings(st.NotAction)!.some((a) => wildcardMatch(a, action, true))) return false;
  const resource = req.resource ?? "*";
  if ("Resource" in st && !strings(st.Resource)!.some((r) => r === "*" || wildcardMatch(r, resource))) return false;
  if ("NotResource" in st && (strings(st.NotResource) ?? []).some((r) => r === "*" || wildcardMatch(r, resource))) return false;
  for (const [operator, block] of Object.entries((st.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [key, expected] of Object.entries(block ?? {})) if (!conditionHolds(operator, key, expected, context)) return false;
  }
  return true;
}

/** The policy's decision on a request. A document that does not parse decides nothing (NoMatch). */
export function keyPolicyDecision(policyText: string, req: KmsRequest): Decision {
  let statements: Statement[];
  try {
    statements = parseKeyPolicy(policyText);
  } catch {
    return "NoMatch";
  }
  const context = new Map<string, string[]>();
  for (const [k, v] of Object.entries(req.context ?? {})) if (v !== undefined) context.set(k.toLowerCase(), ([] as string[]).concat(v));
  let allowed = false;
  for (const st of statements) {
    if (!statementApplies(st, req, context)) continue;
    if (st.Effect === "Deny") return "Deny";
    allowed = true;
  }
  return allowed ? "Allow" : "NoMatch";
}

export function keyPolicyAllows(policyText: string, req: KmsRequest): boolean {
  return keyPolicyDecision(policyText, req) === "Allow";
}

/**
 * Whether a key policy lets another account's principals (through their account root, as IAM delegates it) do
 * `action`, e.g. the destination account of a copy on the source key [S5]. `context` adds condition keys such
 * as `aws:PrincipalOrgID` or `kms:ViaService`; `kms:CallerAccount` and `aws:PrincipalAccount` are filled in.
 */
export function keyPolicyAllowsAccount(policyText: string, accountId: string, action: string, context: Record<string, string | string[] | undefined> = {}): boolean {
  return keyPolicyAllows(policyText, {
    action,
    principal: { accountId, arn: `arn:aws:iam::${accountId}:root` },
    context: { "kms:CallerAccount": accountId, "aws:PrincipalAccount": accountId, ...context },
  });
}
