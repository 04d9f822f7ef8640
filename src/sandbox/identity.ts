// Who is calling and which service they mean: the SigV4 credential (Authorization header or presigned
// query), the service and region of its credential scope, and the caller the access key id maps to
// (a key the sandbox issued -> its assumed role; a key the fixture maps -> that account's root; any other
// key -> the management account's root). Signatures are not verified: the sandbox has no secrets to check
// long-term keys against, and AWS clients only need their requests accepted as they sign them.
import type { Caller, ServiceName } from "./service.js";
import { callerForAccessKey } from "./services/sts/index.js";
import type { World } from "./world.js";
import type { WireRequest } from "./protocol/wire.js";
import { header, mediaType } from "./protocol/wire.js";

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export type AuthResult = { ok: true; scope: CredentialScope } | { ok: false; kind: "missingAuthentication" | "incompleteSignature"; message: string };

const SCOPE = /^([A-Za-z0-9]{1,128})\/(\d{8})\/([a-z0-9-]{1,32})\/([a-z0-9-]{1,64})\/aws4_request$/;

function parseScope(credential: string): CredentialScope | undefined {
  const m = SCOPE.exec(credential.trim());
  return m ? { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! } : undefined;
}

/** Reads the SigV4 credential of a request, or says why it cannot (the two errors AWS distinguishes). */
export function readCredential(req: WireRequest): AuthResult {
  const auth = header(req, "authorization");
  if (auth !== undefined && auth.trim() !== "") {
    const [algorithm, ...rest] = auth.trim().split(/\s+/);
    if (algorithm !== "AWS4-HMAC-SHA256") {
      return { ok: false, kind: "incompleteSignature", message: `Unsupported authorization type: ${algorithm}. Sign requests with AWS Signature Version 4 (AWS4-HMAC-SHA256).` };
    }
    const fields = new Map<string, string>();
    for (const part of rest.join(" ").split(",")) {
      const eq = part.indexOf("=");
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const missing = ["Credential", "SignedHeaders", "Signature"].filter((k) => !fields.get(k));
    if (missing.length > 0) {
      return { ok: false, kind: "incompleteSignature", message: `Authorization header requires ${missing.map((k) => `'${k}'`).join(", ")} parameter${missing.length > 1 ? "s" : ""}. Authorization=${auth.slice(0, 200)}` };
    }
    const scope = parseScope(fields.get("Credential")!);
    if (!scope) return { ok: false, kind: "incompleteSignature", message: `Credential should be scoped to a valid region and service: '${fields.get("Credential")}'.` };
    return { ok: true, scope };
  }
  const q = new URLSearchParams(req.query);
  const credential = q.get("X-Amz-Credential");
  if (credential !== null) {
    if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256" || !q.get("X-Amz-Signature") || !q.get("X-Amz-SignedHeaders")) {
      return { ok: false, kind: "incompleteSignature", message: "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders' and 'X-Amz-Date'." };
    }
    const scope = parseScope(credential);
    if (!scope) return { ok: false, kind: "incompleteSignature", message: `Credential should be scoped to a valid region and service: '${credential}'.` };
    return { ok: true, scope };
  }
  return { ok: false, kind: "missingAuthentication", message: "Missing Authentication Token" };
}

const SERVICES: readonly ServiceName[] = ["backup", "kms", "organizations", "sts"];

/**
 * The service a request is for: the credential scope's service when signed; otherwise what the request
 * looks like (X-Amz-Target prefix, an awsQuery form), Backup's REST paths being the rest. An unsigned or
 * unknown-scope request still needs a service, to be answered in that service's protocol.
 */
export function serviceOf(req: WireRequest, scopeService: string | undefined): ServiceName | undefined {
  if (scopeService !== undefined) return (SERVICES as readonly string[]).includes(scopeService) ? (scopeService as ServiceName) : undefined;
  const target = header(req, "x-amz-target") ?? "";
  if (target.startsWith("TrentService.")) return "kms";
  if (target.startsWith("AWSOrganizationsV20161128.")) return "organizations";
  if (mediaType(req) === "application/x-www-form-urlencoded" || /(^|&)Action=/.test(req.query)) return "sts";
  if (target !== "") return undefined;
  return "backup";
}

export type CallerResult = { ok: true; caller: Caller } | { ok: false; kind: "expiredToken" };

/** Maps an access key id to its principal; issued credentials past their expiry are refused. */
export function callerOf(world: World, accessKeyId: string, now: number): CallerResult {
  const issued = world.identity.issued[accessKeyId];
  if (issued && issued.expiresAt <= now) return { ok: false, kind: "expiredToken" };
  return { ok: true, caller: callerForAccessKey(world, accessKeyId) };
}
