// sts:AssumeRole: temporary `ASIA…` credentials for a role of an organization account, with AWS's validation
// and refusals (AccessDenied for outside accounts, unknown roles and callers the role does not trust).
import type { OperationContext, OperationHandler } from "../../service.js";
import type { World } from "../../world.js";
import { randomBytes } from "node:crypto";
import { ServiceError } from "../../service.js";
import { assumedRoleArn, roleUniqueId, rolesOf } from "./identity.js";
import { MAX_SESSION_SECONDS } from "./state.js";

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
/** Role chaining (a role session assuming a role) is limited to one hour [D]. */
const CHAINED_MAX_SECONDS = 3600;
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function validationError(message: string): ServiceError {
  return new ServiceError("ValidationError", message, 400);
}

function constraint(value: unknown, member: string, rule: string): ServiceError {
  return validationError(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`);
}

function validateInput(input: Record<string, any>): { accountId: string; roleName: string; sessionName: string; duration: number } {
  const roleArn = String(input.RoleArn ?? "");
  const sessionName = String(input.RoleSessionName ?? "");
  if (sessionName.length < 2) throw constraint(sessionName, "roleSessionName", "Member must have length greater than or equal to 2");
  if (sessionName.length > 64) throw constraint(sessionName, "roleSessionName", "Member must have length less than or equal to 64");
  if (!SESSION_NAME.test(sessionName)) throw constraint(sessionName, "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  const duration = input.DurationSeconds === undefined ? 3600 : Number(input.DurationSeconds);
  if (!Number.isInteger(duration)) throw constraint(input.DurationSeconds, "durationSeconds", "Member must be an integer");
  if (duration < 900) throw constraint(duration, "durationSeconds", "Member must have value greater than or equal to 900");
  if (duration > 43200) throw constraint(duration, "durationSeconds", "Member must have value less than or equal to 43200");
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validationError("Request ARN is invalid");
  return { accountId: match[1]!, roleName: match[2]!, sessionName, duration };
}

/** A session policy must be a JSON policy document (AWS reports anything else as MalformedPolicyDocument). */
function validateSessionPolicy(policy: unknown): number {
  if (policy === undefined) return 0;
  let doc: unknown;
  try {
    doc = JSON.parse(String(policy));
  } catch {
    throw new ServiceError("MalformedPolicyDocumentException", "The policy is not in the valid JSON format.", 400);
  }
  const statements = (doc as Record<string, unknown> | null)?.Statement;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc) || statements === undefined) {
    throw new ServiceError("MalformedPolicyDocumentException", "Syntax errors in policy.", 400);
  }
  return JSON.stringify(doc).length;
}

/**
 * The packed size of session policies and tags, as a percentage of the limit. AWS compresses them with an
 * undisclosed algorithm; the sandbox counts characters of the minified document, the tags and the policy ARNs
 * against 4,096 [I].
 */
function packedPolicySize(input: Record<string, any>, policyChars: number): number | undefined {
  const tags = Array.isArray(input.Tags) ? input.Tags : [];
  const arns = Array.isArray(input.PolicyArns) ? input.PolicyArns : [];
  if (policyChars === 0 && tags.length === 0 && arns.length === 0) return undefined;
  const chars = policyChars + tags.reduce((n: number, t: any) => n + String(t?.Key ?? "").length + String(t?.Value ?? "").length, 0) + arns.length * 64;
  const size = Math.ceil((100 * chars) / 4096);
  if (size > 100) throw new ServiceError("PackedPolicyTooLargeException", `Packed size of consolidated policies and session tags exceeds the limit by ${size - 100}%.`, 400);
  return size;
}

function randomString(bytes: number, alphabet: string): string {
  return Array.from(randomBytes(bytes), (b) => alphabet[b % alphabet.length]).join("");
}

function newAccessKeyId(world: World): string {
  for (;;) {
    const id = `ASIA${randomString(16, ALPHANUMERIC)}`;
    if (!world.identity.issued[id]) return id;
  }
}

/** The trust of the sandbox's roles: principals of the management account and of the role's own account [I]. */
function trusts(ctx: OperationContext, accountId: string): boolean {
  return ctx.caller.accountId === ctx.world.org.managementAccountId || ctx.caller.accountId === accountId;
}

/** Issued credentials stay a day past their expiry (so an expired key answers ExpiredToken), then go. */
function forgetExpired(world: World, now: number): void {
  for (const [id, c] of Object.entries(world.identity.issued)) if (c.expiresAt + 86_400_000 < now) delete world.identity.issued[id];
}

export const assumeRole: OperationHandler = (ctx, input) => {
  const { accountId, roleName, sessionName, duration } = validateInput(input);
  const roleArn = String(input.RoleArn);
  const chained = ctx.world.identity.issued[ctx.caller.accessKeyId] !== undefined;
  if (chained && duration > CHAINED_MAX_SECONDS) {
    throw validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  }
  const policyChars = validateSessionPolicy(input.Policy);
  const packed = packedPolicySize(input, policyChars);
  const org = ctx.world.org;
  // A suspended account's roles cannot be assumed (AWS refuses access to suspended accounts) [D].
  const account = Object.prototype.hasOwnProperty.call(org.accounts, accountId) ? org.accounts[accountId] : undefined;
  const known = account !== undefined && account.status === "ACTIVE" && rolesOf(ctx.world, accountId).includes(roleName);
  if (!known || !trusts(ctx, accountId)) {
    throw new ServiceError("AccessDenied", `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  if (duration > MAX_SESSION_SECONDS) throw validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  forgetExpired(ctx.world, ctx.now);
  const accessKeyId = newAccessKeyId(ctx.world);
  const expiresAt = Math.floor((ctx.now + duration * 1000) / 1000) * 1000;
  const credential = {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString("base64"),
    sessionToken: randomBytes(180).toString("base64"),
    accountId, roleArn, sessionName, expiresAt, issuedAt: ctx.now,
  };
  ctx.world.identity.issued[accessKeyId] = credential;
  return {
    Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: credential.secretAccessKey, SessionToken: credential.sessionToken, Expiration: new Date(expiresAt) },
    AssumedRoleUser: { AssumedRoleId: `${roleUniqueId(accountId, roleName)}:${sessionName}`, Arn: assumedRoleArn(accountId, roleName, sessionName) },
    PackedPolicySize: packed,
    SourceIdentity: input.SourceIdentity,
  };
};

