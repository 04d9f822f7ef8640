// Validation of Organizations policy documents: JSON for every type, the IAM statement grammar for service and
// resource control policies, and the size limits AWS applies per type.
import { orgError } from "./errors.js";

/** Characters per document: SCPs and RCPs are limited to 5,120 [D]; the management policy types to 10,000 [D]. */
export function contentLimitOf(type: string): number {
  return type === "SERVICE_CONTROL_POLICY" || type === "RESOURCE_CONTROL_POLICY" ? 5120 : 10000;
}

function malformed(detail: string): never {
  throw orgError("MalformedPolicyDocumentException", `The provided policy document doesn't meet the requirements of the specified policy type. ${detail}`);
}

function isStringOrStrings(v: unknown): boolean {
  return typeof v === "string" || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string"));
}

const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;

function checkStatement(s: unknown, n: number, type: string): void {
  if (typeof s !== "object" || s === null || Array.isArray(s)) malformed(`Statement ${n} is not an object.`);
  const st = s as Record<string, unknown>;
  if (st.Effect !== "Allow" && st.Effect !== "Deny") malformed(`Statement ${n} needs an Effect of "Allow" or "Deny".`);
  const hasAction = "Action" in st, hasNotAction = "NotAction" in st;
  if (hasAction === hasNotAction) malformed(`Statement ${n} needs exactly one of Action or NotAction.`);
  const actions = st.Action ?? st.NotAction;
  if (!isStringOrStrings(actions)) malformed(`Statement ${n} has an invalid Action.`);
  for (const a of ([] as unknown[]).concat(actions)) if (!ACTION.test(String(a))) malformed(`Statement ${n} has an invalid action "${String(a)}".`);
  if ("Resource" in st && "NotResource" in st) malformed(`Statement ${n} cannot have both Resource and NotResource.`);
  for (const k of ["Resource", "NotResource"]) if (k in st && !isStringOrStrings(st[k])) malformed(`Statement ${n} has an invalid ${k}.`);
  if (type === "SERVICE_CONTROL_POLICY" && ("Principal" in st || "NotPrincipal" in st)) malformed(`Statement ${n}: service control policies do not support Principal.`);
  if (type === "RESOURCE_CONTROL_POLICY" && !("Principal" in st)) malformed(`Statement ${n}: resource control policies need a Principal.`);
  if ("Condition" in st && (typeof st.Condition !== "object" || st.Condition === null || Array.isArray(st.Condition))) malformed(`Statement ${n} has an invalid Condition.`);
  if ("Sid" in st && (typeof st.Sid !== "string" || !/^[a-zA-Z0-9]*$/.test(st.Sid))) malformed(`Statement ${n} has an invalid Sid (letters and digits only).`);
  const known = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);
  for (const k of Object.keys(st)) if (!known.has(k)) malformed(`Statement ${n} has an unknown element "${k}".`);
}

/** Throws MalformedPolicyDocumentException or ConstraintViolationException; returns nothing when the document is fine. */
export function validatePolicyContent(type: string, content: unknown): void {
  if (typeof content !== "string" || content.length === 0) malformed("The document is empty.");
  if (content.length > contentLimitOf(type)) {
    throw orgError("ConstraintViolationException", `The policy document exceeds the maximum size of ${contentLimitOf(type)} characters for ${type}.`, "POLICY_CONTENT_LIMIT_EXCEEDED");
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    malformed("The document is not valid JSON.");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) malformed("The document must be a JSON object.");
  if (type !== "SERVICE_CONTROL_POLICY" && type !== "RESOURCE_CONTROL_POLICY") return;
  const d = doc as Record<string, unknown>;
  if ("Version" in d && d.Version !== "2012-10-17" && d.Version !== "2008-10-17") malformed(`Unsupported Version "${String(d.Version)}".`);
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement === undefined ? [] : [d.Statement];
  if (statements.length === 0) malformed("The document has no Statement.");
  statements.forEach((s, i) => checkStatement(s, i + 1, type));
}
