import { describe, expect, it } from "vitest";
import type { AllowCopyFrom, Config, CopyDestination, KmsKeyDecl, KmsKeyTarget, RuleVaultTarget, VaultDecl } from "../config/model.js";
import { deriveDesired } from "./derive.js";
import { allowCopyFrom, config, copy, createdKey, existingKey, graphProblems, ORG, plan, rule, toArn, toVault, vault } from "./derive-fixture.js";
import type { OrgFacts } from "./org.js";
import type { DesiredResource } from "./resource.js";

const ORGANIZATION = { address: "organization", pos: { file: "m.hcl", line: 1, column: 1 }, crossAccountBackup: true };
const P = "Crossvault4xdemo";
const EXISTING_ARN = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";

interface Scenario {
  /** The production plan's rule vault. */
  source?: RuleVaultTarget;
  sourceKey?: KmsKeyTarget;
  destination?: CopyDestination;
  shareKeys?: KmsKeyTarget[];
  allow?: Partial<AllowCopyFrom>;
  keys?: KmsKeyDecl[];
  extraVaults?: VaultDecl[];
  /** A second route, from the dev account, to the same destination. */
  fromDev?: boolean;
}

/** prod (222) backs up into vault.local and copies to vault.central (333) keyed by kms_key.central. */
function scenario(s: Scenario): Config {
  const local = vault("local", "prod", "222222222222", s.sourceKey ? { kmsKey: s.sourceKey } : {});
  const central = vault("central", "vault", "333333333333", {
    kmsKey: { kind: "kms_key", name: "central" },
    ...(s.allow ? { allowCopyFrom: allowCopyFrom("vault.central", s.allow) } : {}),
  });
  const daily = plan("daily", "prod", []);
  daily.rules.push(rule(daily.address, "nightly", s.source ?? { kind: "vault", name: "local" }, {
    copies: [copy(daily.address, "nightly", 0, s.destination ?? toVault("central"), s.shareKeys ?? [])],
  }));
  const plans = [daily];
  const vaults = [local, central, ...(s.extraVaults ?? [])];
  if (s.fromDev) {
    vaults.push(vault("dev_local", "dev", "444444444444"));
    const dev = plan("dev", "dev", []);
    dev.rules.push(rule(dev.address, "nightly", { kind: "vault", name: "dev_local" }, { copies: [copy(dev.address, "nightly", 0, toVault("central"))] }));
    plans.push(dev);
  }
  return config({ organization: ORGANIZATION, kmsKeys: [createdKey("central", "vault", "alias/central"), ...(s.keys ?? [])], vaults, backupPlans: plans });
}

/** `org: null`: the organization was not read. */
function derive(s: Scenario, org: OrgFacts | null = ORG) {
  const out = deriveDesired(scenario(s), org ?? undefined);
  expect(graphProblems(out.resources)).toEqual([]);
  return out;
}

function find(resources: DesiredResource[], address: string): DesiredResource | undefined {
  return resources.find((r) => r.address === address);
}

function sids(resources: DesiredResource[], address: string): string[] {
  return ((find(resources, address)?.attributes.statements ?? []) as Array<{ Sid: string }>).map((s) => s.Sid);
}

describe("destination vault access policy [S4]", () => {
  it("allows each route's source account root once, sorted by Sid", () => {
    const { resources } = derive({ fromDev: true });
    const policy = find(resources, "vault_policy.central")!;
    expect(policy).toMatchObject({ accountId: "333333333333", region: "eu-west-1", identity: "vault_policy:333333333333/eu-west-1/central", dependsOn: ["vault.central"] });
    expect(policy.attributes.statements).toEqual([
      { Sid: `${P}CopyInto222222222222`, Effect: "Allow", Principal: { AWS: ["arn:aws:iam::222222222222:root"] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] },
      { Sid: `${P}CopyInto444444444444`, Effect: "Allow", Principal: { AWS: ["arn:aws:iam::444444444444:root"] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] },
    ]);
  });

  it("derives allow_copy_from: accounts, roles, organization and org paths", () => {
    const { resources } = derive({
      allow: {
        accounts: [{ kind: "account", name: "dev" }, { kind: "account_id", id: "555555555555" }],
        roles: ["arn:aws:iam::666666666666:role/b", "arn:aws:iam::666666666666:role/a"],
        organization: true,
        orgPaths: ["o-a1b2c3d4e5/r-f6g7/ou-f6g7-dev00001/*"],
      },
    });
    expect(find(resources, "vault_policy.central")!.attributes.statements).toEqual([
      { Sid: `${P}CopyFromAccounts`, Effect: "Allow", Principal: { AWS: ["arn:aws:iam::444444444444:root", "arn:aws:iam::555555555555:root"] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] },
      { Sid: `${P}CopyFromRoles`, Effect: "Allow", Principal: { AWS: ["arn:aws:iam::666666666666:role/a", "arn:aws:iam::666666666666:role/b"] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] },
      { Sid: `${P}OrgCopyInto`, Effect: "Allow", Principal: "*", Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } } },
      { Sid: `${P}OrgPathsCopyInto`, Effect: "Allow", Principal: "*", Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-f6g7/ou-f6g7-dev00001/*"] } } },
    ]);
  });

  it("adds no route statement when allow_copy_from already names the source account", () => {
    expect(sids(derive({ allow: { accounts: [{ kind: "account", name: "prod" }] } }).resources, "vault_policy.central")).toEqual([`${P}CopyFromAccounts`]);
    expect(sids(derive({ allow: { accounts: [{ kind: "account_id", id: "222222222222" }] } }).resources, "vault_policy.central")).toEqual([`${P}CopyFromAccounts`]);
    expect(sids(derive({ allow: { accounts: [{ kind: "account", name: "dev" }] } }).resources, "vault_policy.central")).toEqual([`${P}CopyFromAccounts`, `${P}CopyInto222222222222`]);
  });

  it("counts org paths as covering only when the source account's path matches", () => {
    const matching = { orgPaths: ["o-a1b2c3d4e5/r-f6g7/ou-f6g7-prod*/"] };
    expect(sids(derive({ allow: matching }).resources, "vault_policy.central")).toEqual([`${P}OrgPathsCopyInto`]);
    expect(sids(derive({ allow: { orgPaths: ["o-a1b2c3d4e5/r-f6g7/ou-f6g7-dev00001/"] } }).resources, "vault_policy.central")).toEqual([`${P}CopyInto222222222222`, `${P}OrgPathsCopyInto`]);
    // Without the organization the path cannot be matched: the route keeps its own statement.
    expect(sids(derive({ allow: matching }, null).resources, "vault_policy.central")).toEqual([`${P}CopyInto222222222222`, `${P}OrgPathsCopyInto`]);
  });

  it("counts the whole organization as covering", () => {
    expect(sids(derive({ allow: { organization: true } }).resources, "vault_policy.central")).toEqual([`${P}OrgCopyInto`]);
  });

  it("reports accounts not known yet as an error", () => {
    const { diagnostics } = derive({ allow: { accounts: { $unknown: "after-refresh", reason: "accounts_in_ou(...) is known after refresh" } } });
    expect(diagnostics).toMatchObject([{ severity: "error", code: "value-unknown", address: "vault.central.allow_copy_from", rule: "[S4]" }]);
  });

  it("derives a policy for allow_copy_from alone, and none for a vault that only receives same-account copies", () => {
    const same = vault("same", "prod", "222222222222", { kmsKey: { kind: "kms_key", name: "central" } });
    const c = scenario({ destination: toVault("same"), extraVaults: [same] });
    const { resources } = deriveDesired(c, ORG);
    expect(resources.filter((r) => r.type === "vault_policy")).toEqual([]);
    expect(resources.filter((r) => r.type === "key_share")).toEqual([]);
    expect(find(resources, "backup_plan.daily")!.dependsOn).toEqual(["vault.local", "vault.same"]);
  });

  it("does not manage the policy of a destination given by ARN, and says what it must allow", () => {
    const arn = "arn:aws:backup:eu-west-1:777777777777:backup-vault:theirs";
    const { resources, diagnostics } = derive({ destination: toArn(arn) });
    expect(resources.filter((r) => r.type === "vault_policy")).toEqual([]);
    expect(diagnostics).toMatchObject([{ severity: "warning", code: "destination-policy-not-managed", address: "backup_plan.daily.rule.nightly.copy[0]", detail: expect.stringContaining("arn:aws:iam::222222222222:root") }]);
    expect((find(resources, "backup_plan.daily")!.attributes.rules as Array<{ copy_actions: unknown }>)[0]!.copy_actions).toEqual([{ destination_vault_arn: arn }]);
  });

  it("treats an ARN naming a declared vault as that vault", () => {
    const { resources, diagnostics } = derive({ destination: toArn("arn:aws:backup:eu-west-1:333333333333:backup-vault:central") });
    expect(diagnostics).toEqual([]);
    expect(sids(resources, "vault_policy.central")).toEqual([`${P}CopyInto222222222222`]);
  });
});

describe("key shares [S5]", () => {
  it("shares the source vault's created key with the destination account", () => {
    const { resources } = derive({ sourceKey: { kind: "kms_key", name: "prod" }, keys: [createdKey("prod", "prod", "alias/prod")] });
    const share = find(resources, "key_share.prod->333333333333")!;
    expect(share).toMatchObject({
      type: "key_share", accountId: "222222222222", region: "eu-west-1",
      identity: "key_share:222222222222/eu-west-1/alias/prod->333333333333", dependsOn: ["kms_key.prod"],
    });
    expect(share.attributes).toEqual({
      key_arn: { $pending: { address: "kms_key.prod", attribute: "arn" } },
      destination_account: "333333333333",
      statements: [
        {
          Sid: `${P}Grants333333333333`, Effect: "Allow", Principal: { AWS: ["arn:aws:iam::333333333333:root"] },
          Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: ["*"], Condition: { Bool: { "kms:GrantIsForAWSResource": ["true"] } },
        },
        {
          Sid: `${P}Use333333333333`, Effect: "Allow", Principal: { AWS: ["arn:aws:iam::333333333333:root"] },
          Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: ["*"],
        },
      ],
    });
    expect(find(resources, "backup_plan.daily")!.dependsOn).toContain("key_share.prod->333333333333");
  });

  it("names an existing key's share by its config name and identifies it by ARN", () => {
    const { resources } = derive({ sourceKey: { kind: "kms_key", name: "legacy" }, keys: [existingKey("legacy", EXISTING_ARN)] });
    expect(find(resources, "key_share.legacy->333333333333")).toMatchObject({ identity: `key_share:${EXISTING_ARN}->333333333333`, dependsOn: [], attributes: { key_arn: EXISTING_ARN } });
    expect(resources.some((r) => r.type === "kms_key" && r.address === "kms_key.legacy")).toBe(false);
  });

  it("shares a key given only by ARN under an address quoting the ARN", () => {
    const { resources } = derive({ sourceKey: { kind: "kms_key_arn", arn: EXISTING_ARN } });
    expect(find(resources, `key_share[${JSON.stringify(EXISTING_ARN)}]->333333333333`)).toMatchObject({ accountId: "222222222222", attributes: { key_arn: EXISTING_ARN } });
  });

  it("resolves a bare ARN to the declared existing key with that ARN (one share, one address)", () => {
    const { resources } = derive({ sourceKey: { kind: "kms_key_arn", arn: EXISTING_ARN }, keys: [existingKey("legacy", EXISTING_ARN)], shareKeys: [{ kind: "kms_key", name: "legacy" }] });
    expect(resources.filter((r) => r.type === "key_share").map((r) => r.address)).toEqual(["key_share.legacy->333333333333"]);
  });

  it("shares every share_keys key too, once per destination, with instance keys in the address", () => {
    const keys = [createdKey("prod", "prod", "alias/prod"), createdKey("workload", "prod", "alias/w-a", { key: "a" }), createdKey("workload", "prod", "alias/w-b", { key: "b" })];
    const { resources } = derive({
      sourceKey: { kind: "kms_key", name: "prod" }, keys,
      shareKeys: [{ kind: "kms_key", name: "workload", key: "a" }, { kind: "kms_key", name: "prod" }, { kind: "kms_key", name: "workload", key: "b" }],
    });
    expect(resources.filter((r) => r.type === "key_share").map((r) => r.address)).toEqual([
      "key_share.prod->333333333333", 'key_share.workload["a"]->333333333333', 'key_share.workload["b"]->333333333333',
    ]);
    expect(find(resources, 'key_share.workload["a"]->333333333333')!.dependsOn).toEqual(['kms_key.workload["a"]']);
  });

  it("shares nothing for the AWS managed key, or for a key already in the destination account", () => {
    expect(derive({}).resources.filter((r) => r.type === "key_share")).toEqual([]);
    expect(derive({ shareKeys: [{ kind: "kms_key", name: "central" }] }).resources.filter((r) => r.type === "key_share")).toEqual([]);
  });

  it("warns that an undeclared source vault's key cannot be shared unless share_keys names it", () => {
    const named = derive({ source: { kind: "vault_name", name: "existing-vault" } });
    expect(named.diagnostics).toMatchObject([{ severity: "warning", code: "source-key-unknown", rule: "[S5]" }]);
    const listed = derive({ source: { kind: "vault_name", name: "existing-vault" }, shareKeys: [{ kind: "kms_key_arn", arn: EXISTING_ARN }] });
    expect(listed.diagnostics).toEqual([]);
    expect(listed.resources.filter((r) => r.type === "key_share")).toHaveLength(1);
  });
});
