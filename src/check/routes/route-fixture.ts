// For the route check's unit tests: a small organization with one working cross-account route (prod's vault
// `local` -> the vault account's `central`), as the live read and the check's reader would report it, and
// helpers to break it one fact at a time.
import { FULL_AWS_ACCESS } from "../policy/index.js";
import type { OrgFacts } from "../../model/org.js";
import { sidPrefix } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import type { ResourceView } from "./world-live.js";
import { buildLiveWorld, type LiveWorldInput } from "./world-live.js";
import { readable, type KeyFact, type Readable, type RouteFacts, type RouteWorld, type VaultFact } from "./types.js";

export const STACK = "core";
export const PREFIX = sidPrefix(STACK);
export const ORG = "o-a1b2c3d4e5";
export const ROOT = "r-a1b2";
export const MGMT = "111111111111";
export const PROD = "222222222222";
export const VAULT = "333333333333";
export const STAGING = "444444444444";
export const OUTSIDE = "999999999999";
export const REGION = "eu-west-1";
export const OU_WORK = "ou-a1b2-work0001";
export const OU_PROD = "ou-a1b2-prod0001";
export const OU_SECU = "ou-a1b2-secu0001";

export const SOURCE_KEY = `arn:aws:kms:${REGION}:${PROD}:key/11111111-1111-1111-1111-111111111111`;
export const DEST_KEY = `arn:aws:kms:${REGION}:${VAULT}:key/33333333-3333-3333-3333-333333333333`;
export const AWS_KEY = `arn:aws:kms:${REGION}:${PROD}:key/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa`;
export const CENTRAL_ARN = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:central`;
export const LOCAL_ARN = `arn:aws:backup:${REGION}:${PROD}:backup-vault:local`;
export const ROLE = `arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`;

export const org: OrgFacts = {
  organizationId: ORG,
  managementAccountId: MGMT,
  rootId: ROOT,
  accountPaths: {
    [MGMT]: `${ORG}/${ROOT}/`,
    [PROD]: `${ORG}/${ROOT}/${OU_WORK}/${OU_PROD}/`,
    [STAGING]: `${ORG}/${ROOT}/${OU_WORK}/`,
    [VAULT]: `${ORG}/${ROOT}/${OU_SECU}/`,
  },
  accountsByOu: { [OU_WORK]: [PROD, STAGING], [OU_PROD]: [PROD], [OU_SECU]: [VAULT] },
  ouPaths: { [OU_WORK]: `${ORG}/${ROOT}/${OU_WORK}/`, [OU_PROD]: `${ORG}/${ROOT}/${OU_WORK}/${OU_PROD}/`, [OU_SECU]: `${ORG}/${ROOT}/${OU_SECU}/` },
  scpEnabled: true,
  scps: [{ id: "p-FullAWSAccess", name: "FullAWSAccess", document: FULL_AWS_ACCESS, targets: [ROOT, OU_WORK, OU_PROD, OU_SECU, MGMT, PROD, STAGING, VAULT], aws_managed: true }],
};

/** The statement crossvault writes into the destination vault's policy for the source account [S4]. */
export const copyIntoStatement = { Sid: `${PREFIX}CopyInto${PROD}`, Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${PROD}:root`] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] };

/** The two key-share statements crossvault writes into the source key's policy for the vault account [S5]. */
export const shareStatements = [
  { Sid: `${PREFIX}Grants${VAULT}`, Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${VAULT}:root`] }, Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: ["*"], Condition: { Bool: { "kms:GrantIsForAWSResource": ["true"] } } },
  { Sid: `${PREFIX}Use${VAULT}`, Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${VAULT}:root`] }, Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: ["*"] },
];

export const rootStatement = (account: string) => ({ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" });

export const policyText = (statements: unknown[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export interface FixtureParts {
  facts: RouteFacts;
  live: ResourceView[];
  org: OrgFacts | undefined;
}

export function planAttributes(copy: Attributes = { destination_vault_arn: CENTRAL_ARN }, rule: Attributes = {}): Attributes {
  return {
    name: "prod", windows_vss: false, tags: {}, id: "plan-1",
    rules: [{
      name: "daily", target_vault: "local", schedule: "cron(0 5 ? * * *)", start_window_minutes: 480, completion_window_minutes: 10080,
      enable_continuous_backup: false, recovery_point_tags: {}, copy_actions: [copy], lifecycle: { delete_after_days: 35 }, ...rule,
    }],
  };
}

export function selection(resources: string[], extra: Attributes = {}): ResourceView {
  return {
    address: "backup_selection.prod.tables", type: "backup_selection", accountId: PROD, region: REGION, id: "sel-1",
    attributes: { plan_id: "plan-1", name: "tables", iam_role_arn: ROLE, resources, not_resources: [], tags: [], ...extra },
  };
}

/** A fresh copy of the working route's facts and live resources. */
export function parts(): FixtureParts {
  const vault = (v: VaultFact): Readable<VaultFact | null> => readable(v);
  const key = (k: KeyFact): Readable<KeyFact | null> => readable(k);
  return {
    org: structuredClone(org),
    facts: {
      settings: readable({ trustedAccess: true, crossAccountBackup: true }),
      vaults: {
        [`${PROD}/${REGION}/local`]: vault({ arn: LOCAL_ARN, encryptionKeyArn: SOURCE_KEY, tags: {} }),
        [`${VAULT}/${REGION}/central`]: vault({ arn: CENTRAL_ARN, encryptionKeyArn: DEST_KEY, tags: { DestinationBackupVault: "true" }, policy: policyText([copyIntoStatement]) }),
      },
      keys: {
        [SOURCE_KEY]: key({ arn: SOURCE_KEY, manager: "CUSTOMER", state: "Enabled", policy: policyText([rootStatement(PROD), ...shareStatements]) }),
        [DEST_KEY]: key({ arn: DEST_KEY, manager: "CUSTOMER", state: "Enabled", policy: policyText([rootStatement(VAULT)]) }),
        [AWS_KEY]: key({ arn: AWS_KEY, manager: "AWS", state: "Enabled" }),
      },
    },
    live: [
      { address: "backup_plan.prod", type: "backup_plan", accountId: PROD, region: REGION, id: "plan-1", attributes: planAttributes() },
      selection([`arn:aws:dynamodb:${REGION}:${PROD}:table/orders`]),
      { address: "vault.central", type: "vault", accountId: VAULT, region: REGION, attributes: { name: "central", arn: CENTRAL_ARN, encryption_key_arn: DEST_KEY, tags: {} } },
      { address: "vault.local", type: "vault", accountId: PROD, region: REGION, attributes: { name: "local", arn: LOCAL_ARN, encryption_key_arn: SOURCE_KEY, tags: {} } },
      { address: "vault_policy.central", type: "vault_policy", accountId: VAULT, region: REGION, attributes: { vault_name: "central", statements: [copyIntoStatement] } },
      { address: `key_share.local->${VAULT}`, type: "key_share", accountId: PROD, region: REGION, attributes: { key_arn: SOURCE_KEY, destination_account: VAULT, statements: shareStatements as never } },
    ],
  };
}

export function worldOf(p: FixtureParts, shareKeys: string[] = []): RouteWorld {
  const input: LiveWorldInput = { stack: STACK, live: p.live, org: p.org, facts: p.facts, shareKeysOf: () => shareKeys };
  return buildLiveWorld(input);
}

/** Replaces a vault's fact (merged into the working one). */
export function withVault(p: FixtureParts, key: string, change: Partial<VaultFact>): FixtureParts {
  const current = p.facts.vaults[key];
  if (!current?.ok || !current.value) throw new Error(`no vault ${key} in the fixture`);
  p.facts.vaults[key] = readable({ ...current.value, ...change });
  return p;
}

export function withKey(p: FixtureParts, arn: string, change: Partial<KeyFact>): FixtureParts {
  const current = p.facts.keys[arn];
  if (!current?.ok || !current.value) throw new Error(`no key ${arn} in the fixture`);
  p.facts.keys[arn] = readable({ ...current.value, ...change });
  return p;
}

/** Attaches an extra SCP (document as JSON object) to targets. */
export function withScp(p: FixtureParts, id: string, name: string, document: unknown, targets: string[]): FixtureParts {
  p.org!.scps!.push({ id, name, document, targets, aws_managed: false });
  return p;
}
