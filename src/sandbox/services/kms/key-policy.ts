// Key policies: the default document, validation as KMS does it (MalformedPolicyDocumentException), and the
// decision on a request. The decision is the shared policy evaluator's (check/policy), the one copy jobs use for
// the same key policies, so the KMS API and the copy checks cannot disagree; this module only adapts KMS's
// request shape and the KMS leniencies of a key policy to it.
import type { AuthzRequest, ContextValue, PolicyDecision } from "../../../check/policy/index.js";
import { evaluatePolicies, parsePolicy, PolicySyntaxError } from "../../../check/policy/index.js";
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

/** The checks KMS itself makes of a document, with its messages; returns the statements. */
function checkKmsRules(text: unknown): Statement[] {
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

/**
 * Parses and checks a key policy document; throws the error KMS returns for it. A document must also be one the
 * evaluator can read (known condition operators and statement elements, well-formed condition values), so that no
 * stored policy is one every request would fail on.
 */
export function parseKeyPolicy(text: unknown): Statement[] {
  const statements = checkKmsRules(text);
  const { error } = parsePolicy(evaluableDocument(String(text), statements));
  if (error !== undefined) malformed(`The policy document is not valid: ${error}.`);
  return statements;
}

/**
 * The document the shared evaluator reads. KMS accepts a statement without `Resource` (a key policy is about its
 * own key) where the IAM grammar needs one, so such a statement gets `"Resource": "*"`.
 */
function evaluableDocument(text: string, statements: Statement[]): string {
  if (statements.every((st) => "Resource" in st || "NotResource" in st)) return text;
  const doc = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify({ ...doc, Statement: statements.map((st) => ("Resource" in st || "NotResource" in st ? st : { ...st, Resource: "*" })) });
}

const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

/**
 * The caller ARN the evaluator sees. From a session ARN it recovers the role ARN, which covers policies naming
 * either; but a session ARN drops the role's path, so for a role with a path the role ARN itself is passed.
 */
function principalArn(p: KmsPrincipal): string {
  if (p.roleArn === undefined) return p.arn;
  const s = ASSUMED_ROLE.exec(p.arn);
  return s && `arn:${s[1]}:iam::${s[2]}:role/${s[3]}` === p.roleArn ? p.arn : p.roleArn;
}

function authzRequest(req: KmsRequest): AuthzRequest {
  const context: Record<string, ContextValue> = {};
  for (const [key, value] of Object.entries(req.context ?? {})) {
    // Callers pass `undefined` or `[]` for a key the request does not carry; both mean absent.
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    context[key] = value;
  }
  return {
    principal: { accountId: req.principal.accountId, arn: principalArn(req.principal) },
    action: req.action,
    // Without a key ARN (CreateKey's lockout check) only `"Resource": "*"` applies, as it does in KMS.
    resource: req.resource ?? "*",
    context,
  };
}

const DECISIONS: Record<PolicyDecision["decision"], Decision> = { allow: "Allow", "explicit-deny": "Deny", "implicit-deny": "NoMatch" };

/**
 * The policy's decision on a request. A statement naming only the caller's account counts as an allow: IAM then
 * decides, and the sandbox does not model identity policies. A document that does not parse decides nothing.
 */
export function keyPolicyDecision(policyText: string, req: KmsRequest): Decision {
  let document: string;
  try {
    document = evaluableDocument(policyText, checkKmsRules(policyText));
  } catch (e) {
    if (e instanceof ServiceError) return "NoMatch";
    throw e;
  }
  try {
    return DECISIONS[evaluatePolicies([{ label: "key policy", document }], authzRequest(req), "resource").decision];
  } catch (e) {
    if (e instanceof PolicySyntaxError) return "NoMatch";
    throw e;
  }
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
