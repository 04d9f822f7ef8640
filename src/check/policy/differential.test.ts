// Differential test: crossvault's policy evaluator against @cloud-copilot/iam-simulate, an independent
// implementation of AWS's policy evaluation logic. The oracle is AGPL-licensed and a devDependency: only this
// test file may import it.
//
// Random, seeded (deterministic) policy sets and requests in the subset the evaluator supports, drawn from a
// small universe so that principals, actions, resources and condition values collide often. Each case runs
// through `evaluateRequest` and through the oracle; the three-way decisions (allow / explicit deny / implicit
// deny) must be equal. DIFF_SEED and DIFF_RUNS override the seed and the number of cases for exploration.
//
// Known differences, left out of the generator because our answer follows AWS's documentation and the oracle's
// does not (each is pinned by a unit test of our answer; docs/decisions.md has the references):
// 1. `ForAnyValue:...IfExists` on a missing key: true for us (IAM "Condition operators", ...IfExists: "If the
//    key is not present, evaluate the condition element as true"); false for the oracle.
// 2. SCPs and an AWS service principal as caller: SCPs restrict only principals of member accounts, never
//    service principals (Organizations "Service control policies"); the oracle applies them.
// 3. Policy variables in ArnLike/ArnEquals values (`arn:aws:iam::${aws:PrincipalAccount}:role/*`): the oracle
//    splits the ARN at the colon inside `${aws:...}` and matches nothing.
// 4. Policy variables outside the resource part of a Resource ARN (`arn:aws:backup:*:${aws:PrincipalAccount}:*`):
//    the oracle does not substitute them there; IAM "Variables and tags" allows variables anywhere in Resource.
// 5. An unresolvable variable in NotResource: we treat the pattern as a non-match when its literal parts already
//    rule the resource out, and as undecided otherwise ("AWS cannot resolve a variable ... might cause the entire
//    statement to be invalid"); the oracle decides only on the ARN's leading components.
// 6. IpAddress `0.0.0.0/0` (the oracle matches nothing) and bare IPv6 addresses against IPv4 requests.
// 7. Epoch-seconds dates against ISO 8601 dates: the oracle reads the epoch number as milliseconds.
// Also left out: statements without Resource/NotResource (AWS rejects them; so does parsePolicy).

import { runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateRequest, type AuthzRequest, type LabelledPolicy, type PolicyDocument, type ScpLevel, type Statement } from "./index.js";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const ORG = "o-aaaaaaaaaa";
const ROOT = `${ORG}/r-ab12/`;
const OU1 = `${ROOT}ou-ab12-11111111/`;
const OU2 = `${OU1}ou-ab12-22222222/`;
const OU3 = `${ROOT}ou-ab12-33333333/`;

const VAULTS = [
  `arn:aws:backup:eu-west-1:${B}:backup-vault:central`,
  `arn:aws:backup:eu-west-1:${B}:backup-vault:cab-1`,
  `arn:aws:backup:us-east-1:${C}:backup-vault:cab-2`,
  `arn:aws:backup:us-east-1:${A}:backup-vault:local`,
  `arn:aws:backup:eu-west-1:${B}:backup-vault:${A}-copies`,
];
const RECOVERY_POINTS = [`arn:aws:ec2:eu-west-1::snapshot/snap-1`, `arn:aws:backup:eu-west-1:${A}:recovery-point:rp-1`];

const CALLERS: AuthzRequest["principal"][] = [
  { accountId: A, arn: `arn:aws:iam::${A}:role/copy` },
  { accountId: A, arn: `arn:aws:iam::${A}:role/other` },
  { accountId: A, arn: `arn:aws:iam::${A}:root` },
  { accountId: A, arn: `arn:aws:sts::${A}:assumed-role/copy/session-1` },
  { accountId: B, arn: `arn:aws:iam::${B}:role/copy` },
  { accountId: C, arn: `arn:aws:iam::${C}:role/copy` },
  { service: "backup.amazonaws.com" },
];

const ACTIONS = ["backup:CopyIntoBackupVault", "backup:CopyFromBackupVault", "backup:StartCopyJob", "organizations:LeaveOrganization"];
const ACTION_PATTERNS = [
  "*", "*", "backup:*", "backup:*", "backup:Copy*", "backup:CopyIntoBackupVault", "BACKUP:copyintobackupvault", "backup:CopyFromBackupVault",
  "backup:Copy?ntoBackupVault", "backup:*Vault", "organizations:*", "s3:GetObject", "backup:StartCopyJob",
];
const RESOURCE_PATTERNS = [
  "*", "*", "*", "arn:aws:backup:*:*:backup-vault:*", VAULTS[0]!, `arn:aws:backup:*:${B}:backup-vault:cab-*`, "arn:aws:ec2:*:*:snapshot/*",
  "arn:aws:backup:eu-west-?:*:backup-vault:*", `arn:aws:backup:*:${A}:*`, "arn:aws:backup:*:*:recovery-point:*",
  "arn:aws:backup:*:*:backup-vault:${aws:PrincipalAccount}-*", "arn:aws:*:*:*:*",
];
const PRINCIPAL_VALUES = [
  "*", A, B, `arn:aws:iam::${A}:root`, `arn:aws:iam::${C}:root`, `arn:aws:iam::${A}:role/copy`, `arn:aws:iam::${B}:role/copy`,
];

const FULL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

type KeyType = "string" | "strings" | "arns" | "bool" | "number" | "date" | "ip";
const KEYS: Record<string, { type: KeyType; values: string[]; patterns: string[] }> = {
  "aws:PrincipalOrgID": { type: "string", values: [ORG, "o-bbbbbbbbbb"], patterns: [ORG, "o-b*", "o-*", "O-AAAAAAAAAA"] },
  "aws:PrincipalOrgPaths": {
    type: "strings",
    values: [ROOT, OU1, OU2, OU3],
    patterns: [OU1, `${OU1}*`, OU3, `${ROOT}*`, `${ROOT}ou-ab12-?1111111/`, "o-bbbbbbbbbb/*"],
  },
  "backup:CopyTargets": {
    type: "arns",
    values: VAULTS,
    patterns: [`arn:aws:backup:*:${B}:backup-vault:cab-*`, VAULTS[0]!, `arn:aws:backup:us-east-1:*:backup-vault:*`, "arn:aws:backup:*:*:*:*"],
  },
  "backup:CopyTargetOrgPaths": { type: "strings", values: [OU1, OU2, OU3], patterns: [OU1, `${OU1}*`, OU3, `${ROOT}*`] },
  "aws:ResourceTag/DestinationBackupVault": {
    type: "string",
    values: ["true", "yes", "Yes"],
    patterns: ["true", "yes", "y*", "YES", "${aws:SecureTransport}", "${aws:SecureTransport, 'yes'}"],
  },
  "aws:PrincipalArn": {
    type: "arns",
    values: [`arn:aws:iam::${A}:role/copy`, `arn:aws:iam::${B}:role/copy`],
    patterns: [`arn:aws:iam::${A}:role/*`, `arn:aws:iam::*:role/copy`, `arn:aws:iam::${B}:role/copy`],
  },
  "aws:PrincipalAccount": { type: "string", values: [A, B], patterns: [A, B, "1*", "${aws:PrincipalAccount}"] },
  "aws:SecureTransport": { type: "bool", values: ["true", "false"], patterns: ["true", "false", "TRUE"] },
  "backup:MinRetentionDays": { type: "number", values: ["1", "7", "35"], patterns: ["7", "10", "1"] },
  // ISO 8601 only (known difference 7).
  "aws:CurrentTime": {
    type: "date",
    values: ["2025-01-01T00:00:00Z", "2026-06-01T12:00:00Z"],
    patterns: ["2025-06-01T00:00:00Z", "2025-01-01T00:00:00Z", "2026-06-01T12:00:00Z"],
  },
  "aws:SourceIp": {
    type: "ip",
    values: ["203.0.113.7", "198.51.100.1", "2001:db8::1"],
    // No 0.0.0.0/0 (known difference 6).
    patterns: ["203.0.113.0/24", "198.51.100.1/32", "2001:db8::/32", "198.51.0.0/16"],
  },
};

const OPERATORS: Record<KeyType, string[]> = {
  string: ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"],
  strings: ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIgnoreCase"],
  arns: ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "StringLike"],
  bool: ["Bool"],
  date: ["DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"],
  ip: ["IpAddress", "NotIpAddress"],
  number: ["NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"],
};

const one = <T,>(items: readonly T[]) => fc.constantFrom(...items);
const oneOrMany = <T,>(items: readonly T[]) =>
  fc.oneof(one(items), fc.uniqueArray(one(items), { minLength: 1, maxLength: 3 }));

const condition = fc
  .tuple(one(Object.keys(KEYS)), fc.constantFrom("", "", "ForAnyValue:", "ForAllValues:"), fc.boolean(), fc.constantFrom(0, 0, 0, 1))
  .chain(([key, qualifier, ifExists, kind]) => {
    const spec = KEYS[key]!;
    if (kind === 1) return fc.record({ op: fc.constant("Null"), key: fc.constant(key), values: oneOrMany(["true", "false"]) });
    // No ForAnyValue + IfExists (known difference 1).
    const suffix = ifExists && qualifier !== "ForAnyValue:" ? "IfExists" : "";
    return fc.record({
      op: one(OPERATORS[spec.type]).map((o) => `${qualifier}${o}${suffix}`),
      key: fc.constant(key),
      // No bare addresses as IP policy values (known difference 6).
      values: oneOrMany(spec.type === "ip" ? spec.patterns : [...spec.patterns, ...spec.values]),
    });
  });

const conditionBlock = fc.array(condition, { maxLength: 2 }).map((list) => {
  const block: NonNullable<Statement["Condition"]> = {};
  for (const c of list) (block[c.op] ??= {})[c.key] = c.values;
  return list.length === 0 ? undefined : block;
});

const principalBlock = fc.oneof(
  fc.constant("*" as const),
  fc.record({ AWS: oneOrMany(PRINCIPAL_VALUES) }),
  fc.record({ Service: fc.constant("backup.amazonaws.com") }),
  fc.record({ AWS: oneOrMany(PRINCIPAL_VALUES), Service: fc.constant("backup.amazonaws.com") }),
);

function statement(withPrincipal: boolean) {
  return fc
    .record({
      sid: fc.option(fc.constantFrom("S1", "S2", "S3"), { nil: undefined }),
      effect: fc.constantFrom<"Allow" | "Deny">("Allow", "Allow", "Allow", "Deny"),
      action: oneOrMany(ACTION_PATTERNS),
      actionNegated: fc.constantFrom(false, false, false, true),
      resource: oneOrMany(RESOURCE_PATTERNS),
      resourceNegated: fc.constantFrom(false, false, false, true),
      principal: principalBlock,
      principalNegated: fc.constantFrom(false, false, false, false, true),
      condition: fc.oneof(fc.constant(undefined), conditionBlock),
    })
    .map((s): Statement => {
      const out: Statement = { Effect: s.effect };
      if (s.sid !== undefined) out.Sid = s.sid;
      if (withPrincipal) {
        if (s.principalNegated && s.effect === "Deny") out.NotPrincipal = s.principal;
        else out.Principal = s.principal;
      }
      if (s.actionNegated) out.NotAction = s.action;
      else out.Action = s.action;
      if (s.resourceNegated) out.NotResource = s.resource;
      else out.Resource = s.resource;
      if (s.condition !== undefined) out.Condition = s.condition;
      return out;
    });
}

const policy = (withPrincipal: boolean): fc.Arbitrary<PolicyDocument> =>
  fc.array(statement(withPrincipal), { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: "2012-10-17", Statement }));

/** A context value per key, absent or present; sometimes of the "wrong" arity, to exercise those rules. */
const contextEntry = (key: string) => {
  const spec = KEYS[key]!;
  const multi = spec.type === "strings" || (spec.type === "arns" && key === "backup:CopyTargets");
  const single = one(spec.values);
  const many = fc.uniqueArray(one(spec.values), { maxLength: 3 });
  return fc.option(multi ? fc.oneof(many, many, single) : fc.oneof(single, single, single, many.filter((a) => a.length > 0)), {
    nil: undefined,
    freq: 3,
  });
};

const scenario = fc
  .record({
    caller: one(CALLERS),
    action: one(ACTIONS),
    resource: one([...VAULTS, ...RECOVERY_POINTS]),
    resourceAccount: one([A, B, C]),
    context: fc.record(Object.fromEntries(Object.keys(KEYS).map((k) => [k, contextEntry(k)]))),
    identity: fc.option(fc.array(policy(false), { maxLength: 2 }), { nil: null, freq: 3 }),
    resourcePolicy: fc.option(policy(true), { nil: undefined, freq: 6 }),
    scps: fc.array(fc.array(fc.oneof(policy(false), fc.constant(FULL), fc.constant(FULL)), { minLength: 1, maxLength: 2 }), { maxLength: 3 }),
  })
  .map((s) => {
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(s.context)) if (v !== undefined) context[k] = v as string | string[];
    // Always present and single-valued, as in AWS for signed requests; this keeps `${aws:PrincipalAccount}` in
    // Resource patterns resolvable (known difference 5).
    const account = context["aws:PrincipalAccount"];
    context["aws:PrincipalAccount"] = typeof account === "string" ? account : "accountId" in s.caller ? s.caller.accountId : B;
    // SCPs do not apply to service principals (known difference 2).
    const scps = "service" in s.caller ? [] : s.scps;
    return { ...s, context, scps };
  });

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function ours(s: Scenario): string {
  const levels: ScpLevel[] = s.scps.map((policies, i) => ({
    target: `level-${i}`,
    policies: policies.map((document, j): LabelledPolicy => ({ label: `scp-${i}-${j}`, document })),
  }));
  const input = {
    request: { principal: s.caller, action: s.action, resource: s.resource, context: s.context },
    resourceAccountId: s.resourceAccount,
    identity: s.identity === null ? null : s.identity.map((document, i) => ({ label: `identity-${i}`, document })),
    resource: s.resourcePolicy === undefined ? [] : [{ label: "resource", document: s.resourcePolicy }],
    scps: levels,
  };
  const d = evaluateRequest(input).decision;
  return d === "allow" ? "Allowed" : d === "explicit-deny" ? "ExplicitlyDenied" : "ImplicitlyDenied";
}

function oracle(s: Scenario): string {
  const simulation: Simulation = {
    request: {
      principal: "service" in s.caller ? s.caller.service : s.caller.arn,
      action: s.action,
      resource: { resource: s.resource, accountId: s.resourceAccount },
      contextVariables: s.context,
    },
    // Not modelled on our side means "allows"; the oracle needs that said as a policy.
    identityPolicies: (s.identity ?? [FULL]).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: s.scps.map((policies, i) => ({
      orgIdentifier: `level-${i}`,
      policies: policies.map((policy, j) => ({ name: `scp-${i}-${j}`, policy })),
    })),
    resourceControlPolicies: [],
    // Shaped as the oracle's "validated policy" so that it carries a name (its unchecked entry point needs one).
    resourcePolicy:
      s.resourcePolicy === undefined
        ? undefined
        : { __validated: true, policyDocument: s.resourcePolicy, metadata: { name: "resource" }, errors: [] },
  };
  return runUnsafeSimulation(simulation, {}) as string;
}

describe("differential: evaluator vs @cloud-copilot/iam-simulate", () => {
  it("agrees on 3,000 seeded random policy/request combinations", () => {
    const tally: Record<string, number> = {};
    const runs = Number(process.env["DIFF_RUNS"] ?? 3000);
    fc.assert(
      fc.property(scenario, (s) => {
        const expected = oracle(s);
        tally[expected] = (tally[expected] ?? 0) + 1;
        expect(ours(s)).toBe(expected);
      }),
      { seed: Number(process.env["DIFF_SEED"] ?? 20250402), numRuns: runs },
    );
    // Guards against a generator drifting into cases that are all decided the same way (each is ~15% or more).
    for (const outcome of ["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]) {
      expect(tally[outcome] ?? 0, outcome).toBeGreaterThan(runs / 10);
    }
    // Two shared cores: leave room beyond the default timeout; this bounds a hang, it does not measure speed.
  }, 180_000);
});
