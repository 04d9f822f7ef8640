// Properties of derive over random configurations (valid or with dangling references and unknown values):
// it never throws, never opens a policy to everyone, emits plain JSON in normal form, an acyclic graph with
// no dangling dependency, and does not depend on the order of declarations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AllowCopyFrom, BackupPlanDecl, Config, CopyDestination, KmsKeyDecl, KmsKeyTarget, RuleVaultTarget, VaultDecl } from "../config/model.js";
import { deriveDesired } from "./derive.js";
import { allowCopyFrom, config, copy, createdKey, existingKey, graphProblems, notPlainJson, ORG, plan, rule, selection, toArn, vault } from "./derive-fixture.js";
import type { PolicyStatement } from "./attributes.js";
import { sidPrefix } from "./ownership.js";
import { normalizeStatement } from "./policy-normal.js";
import { allowsEveryone } from "./policy-statements.js";

const ACCOUNTS = [["prod", "222222222222"], ["vault", "333333333333"], ["dev", "444444444444"]] as const;
const EXISTING = ["arn:aws:kms:eu-west-1:222222222222:key/aaaa-1111", "arn:aws:kms:eu-west-1:444444444444:key/bbbb-2222"];

const accountIndex = fc.integer({ min: 0, max: ACCOUNTS.length - 1 });

/** A key target: a created key by index, an existing key by name, a bare ARN, or nothing / unknown. */
const keyChoice = fc.oneof(
  fc.record({ kind: fc.constant("created" as const), i: fc.nat(3) }),
  fc.record({ kind: fc.constant("existing" as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant("arn" as const), i: fc.nat(1) }),
  fc.constant({ kind: "none" as const, i: 0 }),
  fc.constant({ kind: "unknown" as const, i: 0 }),
);

const vaultSpec = fc.record({
  account: accountIndex,
  key: keyChoice,
  allow: fc.option(
    fc.record({
      accounts: fc.oneof(fc.array(fc.oneof(accountIndex, fc.constant(-1)), { maxLength: 3 }), fc.constant("unknown" as const)),
      roles: fc.array(fc.constantFrom("arn:aws:iam::444444444444:role/a", "arn:aws:iam::555555555555:role/b"), { maxLength: 2 }),
      organization: fc.boolean(),
      orgPaths: fc.array(fc.constantFrom("o-a1b2c3d4e5/r-f6g7/*", "o-a1b2c3d4e5/r-f6g7/ou-f6g7-prod0001/", "o-zzz/*"), { maxLength: 2 }),
    }),
    { nil: undefined },
  ),
  lock: fc.boolean(),
});

const routeSpec = fc.record({
  to: fc.oneof(fc.record({ vault: fc.nat(5) }), fc.record({ arnAccount: accountIndex })),
  shareKeys: fc.array(keyChoice, { maxLength: 2 }),
});

const planSpec = fc.record({
  account: accountIndex,
  rules: fc.array(fc.record({ vault: fc.oneof(fc.nat(5), fc.constant(-1)), routes: fc.array(routeSpec, { maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  selections: fc.nat(2),
});

const configSpec = fc.record({
  createdKeys: fc.array(accountIndex, { maxLength: 4 }),
  vaults: fc.array(vaultSpec, { minLength: 1, maxLength: 6 }),
  plans: fc.array(planSpec, { maxLength: 3 }),
  organization: fc.option(fc.boolean(), { nil: undefined }),
  withOrg: fc.boolean(),
});

type Spec = typeof configSpec extends fc.Arbitrary<infer U> ? U : never;

function keyTarget(choice: { kind: string; i: number }, created: number): KmsKeyTarget | undefined {
  if (choice.kind === "created") return { kind: "kms_key", name: choice.i < created ? `k${choice.i}` : "undeclared" };
  if (choice.kind === "existing") return { kind: "kms_key", name: `e${choice.i}` };
  if (choice.kind === "arn") return { kind: "kms_key_arn", arn: EXISTING[choice.i]! };
  return undefined;
}

function build(spec: Spec): Config {
  const kmsKeys: KmsKeyDecl[] = [
    ...spec.createdKeys.map((a, i) => createdKey(`k${i}`, ACCOUNTS[a]![0], `alias/k${i}`)),
    existingKey("e0", EXISTING[0]!),
    existingKey("e1", EXISTING[1]!),
  ];
  const vaults: VaultDecl[] = spec.vaults.map((v, i) => {
    const [name, id] = ACCOUNTS[v.account]!;
    const kmsKey = v.key.kind === "unknown" ? { $unknown: "after-refresh" as const, reason: "known after refresh" } : keyTarget(v.key, spec.createdKeys.length);
    const allow: AllowCopyFrom | undefined = v.allow && allowCopyFrom(`vault.v${i}`, {
      accounts: v.allow.accounts === "unknown"
        ? { $unknown: "after-refresh", reason: "known after refresh" }
        : v.allow.accounts.map((a) => (a < 0 ? { kind: "account" as const, name: "nobody" } : { kind: "account" as const, name: ACCOUNTS[a]![0] })),
      roles: v.allow.roles, organization: v.allow.organization, orgPaths: v.allow.orgPaths,
    });
    return vault(`v${i}`, name, id, {
      ...(kmsKey ? { kmsKey } : {}), ...(allow ? { allowCopyFrom: allow } : {}),
      ...(v.lock ? { lock: { address: `vault.v${i}.lock`, pos: { file: "v.hcl", line: i + 1, column: 3 }, minRetentionDays: 7 } } : {}),
    });
  });
  const plans: BackupPlanDecl[] = spec.plans.map((p, pi) => {
    const [accountName, accountId] = ACCOUNTS[p.account]!;
    const decl = plan(`p${pi}`, accountName, []);
    p.rules.forEach((r, ri) => {
      const target: RuleVaultTarget = r.vault < 0 ? { kind: "vault_name", name: "existing" } : { kind: "vault", name: `v${r.vault}` };
      const copies = r.routes.map((route, ci) => {
        const destination: CopyDestination = "vault" in route.to
          ? { kind: "vault", vault: { kind: "vault", name: `v${route.to.vault}` } }
          : toArn(`arn:aws:backup:eu-west-1:${ACCOUNTS[route.to.arnAccount]![1]}:backup-vault:external`);
        const shareKeys = route.shareKeys.flatMap((k) => keyTarget(k, spec.createdKeys.length) ?? []);
        return copy(decl.address, `r${ri}`, ci, destination, shareKeys);
      });
      decl.rules.push(rule(decl.address, `r${ri}`, target, { copies }));
    });
    for (let s = 0; s < p.selections; s++) decl.selections.push(selection(decl.address, `s${s}`, { iamRoleArn: `arn:aws:iam::${accountId}:role/backup` }));
    return decl;
  });
  return config({
    kmsKeys, vaults, backupPlans: plans,
    ...(spec.organization !== undefined ? { organization: { address: "organization", pos: { file: "m.hcl", line: 1, column: 1 }, crossAccountBackup: spec.organization } } : {}),
  });
}

function statementsOf(attributes: Record<string, unknown>): PolicyStatement[] {
  return (attributes.statements ?? []) as PolicyStatement[];
}

describe("deriveDesired over random configurations", () => {
  it("never throws, never opens a policy to everyone, and emits a sound graph of plain JSON", () => {
    fc.assert(
      fc.property(configSpec, (spec) => {
        const c = build(spec);
        const { resources, diagnostics } = deriveDesired(c, spec.withOrg ? ORG : undefined);
        expect(graphProblems(resources)).toEqual([]);
        const prefix = sidPrefix(c.settings.stack);
        for (const r of resources) {
          expect(notPlainJson(r), r.address).toBeUndefined();
          for (const s of statementsOf(r.attributes)) {
            expect(allowsEveryone(s), `${r.address} ${s.Sid}`).toBe(false);
            expect(s.Sid.startsWith(prefix) && /^[A-Za-z0-9]+$/.test(s.Sid), s.Sid).toBe(true);
            // A pending organization id is the one value not in string form.
            if (JSON.stringify(s).includes("$pending")) expect(spec.withOrg).toBe(false);
            else expect(normalizeStatement(s)).toEqual(s);
          }
        }
        for (const d of diagnostics) expect(d.address, d.summary).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order of declarations", () => {
    fc.assert(
      fc.property(configSpec, fc.integer(), (spec, seed) => {
        const c = build(spec);
        const org = spec.withOrg ? ORG : undefined;
        const first = deriveDesired(c, org).resources;
        const rotate = <T>(xs: T[]) => (xs.length === 0 ? xs : [...xs.slice(Math.abs(seed) % xs.length), ...xs.slice(0, Math.abs(seed) % xs.length)]);
        const shuffled: Config = { ...c, kmsKeys: rotate(c.kmsKeys).reverse(), vaults: rotate(c.vaults).reverse(), backupPlans: rotate(c.backupPlans).reverse() };
        expect(deriveDesired(shuffled, org).resources).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });
});
