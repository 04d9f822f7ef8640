import { describe, expect, it } from "vitest";
import {
  evaluatePolicies,
  evaluateRequest,
  evaluateScps,
  FULL_AWS_ACCESS,
  type AuthzRequest,
  type LabelledPolicy,
  type PrincipalBlock,
  type Statement,
} from "./index.js";

const A = "111111111111";
const B = "222222222222";
const ROLE = `arn:aws:iam::${A}:role/copy`;
const VAULT = `arn:aws:backup:eu-west-1:${B}:backup-vault:central`;

function request(principal: AuthzRequest["principal"] = { accountId: A, arn: ROLE }, action = "backup:CopyIntoBackupVault"): AuthzRequest {
  return { principal, action, resource: VAULT, context: {} };
}
const policy = (label: string, ...Statement: Statement[]): LabelledPolicy => ({ label, document: { Version: "2012-10-17", Statement } });
const allow = (extra: Partial<Statement> = {}): Statement => ({ Effect: "Allow", Action: "backup:CopyIntoBackupVault", Resource: "*", ...extra });
const deny = (extra: Partial<Statement> = {}): Statement => ({ Effect: "Deny", Action: "backup:CopyIntoBackupVault", Resource: "*", ...extra });
const byPrincipal = (Principal: PrincipalBlock, r = request()) => evaluatePolicies([policy("vault", allow({ Principal }))], r, "resource").decision;

describe("principals in resource policies", () => {
  it("matches `*`, {AWS:*}, account ids, account roots and role ARNs", () => {
    expect(byPrincipal("*")).toBe("allow");
    expect(byPrincipal({ AWS: "*" })).toBe("allow");
    expect(byPrincipal({ AWS: A })).toBe("allow");
    expect(byPrincipal({ AWS: `arn:aws:iam::${A}:root` })).toBe("allow");
    expect(byPrincipal({ AWS: [B, ROLE] })).toBe("allow");
    expect(byPrincipal({ AWS: B })).toBe("implicit-deny");
    expect(byPrincipal({ AWS: `arn:aws:iam::${A}:role/other` })).toBe("implicit-deny");
  });
  it("an account root names every principal of the account, including the root itself", () => {
    expect(byPrincipal({ AWS: A }, request({ accountId: A, arn: `arn:aws:iam::${A}:root` }))).toBe("allow");
    expect(byPrincipal({ AWS: ROLE }, request({ accountId: A, arn: `arn:aws:iam::${A}:root` }))).toBe("implicit-deny");
  });
  it("a role ARN also names that role's sessions", () => {
    expect(byPrincipal({ AWS: ROLE }, request({ accountId: A, arn: `arn:aws:sts::${A}:assumed-role/copy/session` }))).toBe("allow");
  });
  it("services match only Service entries (and `*`)", () => {
    const svc = request({ service: "backup.amazonaws.com" });
    expect(byPrincipal({ Service: "backup.amazonaws.com" }, svc)).toBe("allow");
    expect(byPrincipal({ Service: ["backup.amazonaws.com"] })).toBe("implicit-deny");
    expect(byPrincipal({ AWS: A }, svc)).toBe("implicit-deny");
    expect(byPrincipal("*", svc)).toBe("allow");
  });
  it("NotPrincipal applies to everyone it does not name, by ARN or by account", () => {
    const vault = (NotPrincipal: PrincipalBlock, r = request()) =>
      evaluatePolicies([policy("vault", allow({ Principal: "*" }), deny({ NotPrincipal }))], r, "resource").decision;
    expect(vault({ AWS: B })).toBe("explicit-deny");
    expect(vault({ AWS: ROLE })).toBe("allow");
    expect(vault({ AWS: `arn:aws:iam::${A}:root` })).toBe("allow");
  });
  it("a resource-policy statement without Principal names nobody", () => {
    expect(evaluatePolicies([policy("vault", allow())], request(), "resource").decision).toBe("implicit-deny");
  });
});

describe("actions and resources", () => {
  const decide = (s: Partial<Statement>, r = request()) => evaluatePolicies([policy("id", allow(s))], r, "identity").decision;
  it("actions match with wildcards and without regard to case", () => {
    expect(decide({ Action: "backup:*" })).toBe("allow");
    expect(decide({ Action: "BACKUP:copyintobackupvault" })).toBe("allow");
    expect(decide({ Action: "backup:Copy?ntoBackupVault" })).toBe("allow");
    expect(decide({ Action: ["s3:*", "backup:CopyFrom*"] })).toBe("implicit-deny");
  });
  it("NotAction applies to every action it does not list", () => {
    expect(decide({ Action: undefined, NotAction: "s3:*" })).toBe("allow");
    expect(decide({ Action: undefined, NotAction: ["s3:*", "backup:Copy*"] })).toBe("implicit-deny");
  });
  it("resources match component-wise with wildcards, case-sensitively in the resource part", () => {
    expect(decide({ Resource: "arn:aws:backup:*:*:backup-vault:*" })).toBe("allow");
    expect(decide({ Resource: `arn:aws:backup:eu-west-?:${B}:backup-vault:cen*` })).toBe("allow");
    expect(decide({ Resource: "arn:aws:backup:*:*:backup-vault:Central" })).toBe("implicit-deny");
    expect(decide({ Resource: `arn:aws:backup:*:${A}:backup-vault:*` })).toBe("implicit-deny");
    // A wildcard in the region cannot absorb the account.
    expect(decide({ Resource: "arn:aws:backup:*:backup-vault:central" })).toBe("implicit-deny");
    // A short pattern ending in `*` extends over the remaining components.
    expect(decide({ Resource: "arn:aws:backup:*" })).toBe("allow");
  });
  it("NotResource applies to every resource it does not list", () => {
    expect(decide({ Resource: undefined, NotResource: "arn:aws:s3:::*" })).toBe("allow");
    expect(decide({ Resource: undefined, NotResource: VAULT })).toBe("implicit-deny");
  });
  it("resolves policy variables in Resource, in any component", () => {
    const r = { ...request(), context: { "aws:PrincipalAccount": B } };
    expect(decide({ Resource: "arn:aws:backup:*:${aws:PrincipalAccount}:backup-vault:*" }, r)).toBe("allow");
    expect(decide({ Resource: "arn:aws:backup:*:${aws:PrincipalAccount}:backup-vault:*" })).toBe("implicit-deny");
  });
  it("an unresolvable variable in NotResource proves no non-match unless the rest of the pattern already fails", () => {
    const notResource = (NotResource: string) => decide({ Resource: undefined, NotResource });
    expect(notResource("arn:aws:backup:*:*:backup-vault:${aws:Missing}")).toBe("implicit-deny");
    expect(notResource("arn:aws:s3:::${aws:Missing}")).toBe("allow");
  });
});

describe("one side's policies", () => {
  it("explicit deny wins over any allow, across policies; the first deny decides", () => {
    const d = evaluatePolicies([policy("a", allow({ Sid: "Yes" })), policy("b", allow(), deny({ Sid: "No" }))], request(), "identity");
    expect(d.decision).toBe("explicit-deny");
    expect(d.deciding).toEqual({ policy: "b", sid: "No", index: 1, effect: "Deny" });
    expect(d.matched).toHaveLength(3);
  });
  it("no applicable statement is an implicit deny", () => {
    const d = evaluatePolicies([policy("a", allow({ Action: "s3:*" }))], request(), "identity");
    expect(d).toEqual({ decision: "implicit-deny", matched: [] });
  });
  it("accepts JSON text and rejects broken documents naming the policy", () => {
    const text = JSON.stringify({ Version: "2012-10-17", Statement: allow() });
    expect(evaluatePolicies([{ label: "t", document: text }], request(), "identity").decision).toBe("allow");
    expect(() => evaluatePolicies([{ label: "broken", document: "{" }], request(), "identity")).toThrow(/policy broken/);
  });
});

describe("SCPs", () => {
  const level = (target: string, ...policies: LabelledPolicy[]) => ({ target, policies });
  const full = { label: "FullAWSAccess", document: FULL_AWS_ACCESS };
  it("every level must allow", () => {
    expect(evaluateScps([level("r-1", full), level("ou-1", full), level(A, full)], request()).decision).toBe("allow");
    expect(evaluateScps([level("r-1", full), level("ou-1", policy("s3", allow({ Action: "s3:*" }))), level(A, full)], request()).decision).toBe("implicit-deny");
    expect(evaluateScps([level("r-1", full), level("ou-1")], request()).decision).toBe("implicit-deny");
  });
  it("a deny at any level wins", () => {
    const d = evaluateScps([level("r-1", full), level(A, full, policy("g", deny({ Sid: "G" })))], request());
    expect(d.decision).toBe("explicit-deny");
    expect(d.deciding?.sid).toBe("G");
  });
  it("no levels means no SCPs in effect; service principals are never restricted", () => {
    expect(evaluateScps([], request()).decision).toBe("allow");
    expect(evaluateScps([level("r-1", policy("g", deny()))], request({ service: "backup.amazonaws.com" })).decision).toBe("allow");
  });
});

describe("whole requests", () => {
  const vault = (statement: Statement) => [policy("vault", statement)];
  it("cross-account: the resource policy and the caller side must both allow", () => {
    const resource = vault(allow({ Principal: { AWS: A } }));
    expect(evaluateRequest({ request: request(), resourceAccountId: B, identity: null, resource }).decision).toBe("allow");
    expect(evaluateRequest({ request: request(), resourceAccountId: B, identity: [policy("id", allow())], resource }).decision).toBe("allow");
    const noIdentity = evaluateRequest({ request: request(), resourceAccountId: B, identity: [], resource });
    expect(noIdentity.decision).toBe("implicit-deny");
    expect(noIdentity.reason).toContain("no identity policy");
    const noResource = evaluateRequest({ request: request(), resourceAccountId: B, identity: [policy("id", allow())] });
    expect(noResource.decision).toBe("implicit-deny");
    expect(noResource.reason).toContain("resource policy does not allow");
  });
  it("same account: either side allows, but a resource policy naming only the account defers to identity policies", () => {
    const byRole = vault(allow({ Principal: { AWS: ROLE } }));
    const byAccount = vault(allow({ Principal: { AWS: A } }));
    expect(evaluateRequest({ request: request(), resourceAccountId: A, identity: [], resource: byRole }).decision).toBe("allow");
    const deferred = evaluateRequest({ request: request(), resourceAccountId: A, identity: [], resource: byAccount });
    expect(deferred.decision).toBe("implicit-deny");
    expect(deferred.reason).toContain("names only the account");
    expect(evaluateRequest({ request: request(), resourceAccountId: A, identity: [policy("id", allow())] }).decision).toBe("allow");
  });
  it("an explicit deny anywhere wins, and an SCP path without an allow denies", () => {
    const resource = vault(allow({ Principal: "*" }));
    const denied = evaluateRequest({ request: request(), resourceAccountId: B, identity: [policy("id", allow(), deny({ Sid: "Stop" }))], resource });
    expect(denied.decision).toBe("explicit-deny");
    expect(denied.reason).toContain('"Stop"');
    const scps = [{ target: "ou-x", policies: [policy("onlyS3", allow({ Action: "s3:*" }))] }];
    const blocked = evaluateRequest({ request: request(), resourceAccountId: B, identity: null, resource, scps });
    expect(blocked.decision).toBe("implicit-deny");
    expect(blocked.reason).toContain("ou-x");
  });
  it("service principals need the resource policy; identity policies and SCPs do not apply", () => {
    const svc = request({ service: "backup.amazonaws.com" });
    const resource = vault(allow({ Principal: { Service: "backup.amazonaws.com" } }));
    const scps = [{ target: "r-1", policies: [policy("g", deny())] }];
    expect(evaluateRequest({ request: svc, resourceAccountId: B, resource, scps }).decision).toBe("allow");
    expect(evaluateRequest({ request: svc, resourceAccountId: B }).decision).toBe("implicit-deny");
  });
});
