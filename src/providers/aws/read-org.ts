// Reading the organization: its structure (OrgFacts: accounts, OUs and their org paths, for derive and the
// route check) and the two settings [S2] crossvault manages when declared: trusted access for AWS Backup and
// the Backup global setting isCrossAccountBackupEnabled, both from the management account.
import { DescribeGlobalSettingsCommand } from "@aws-sdk/client-backup";
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
} from "@aws-sdk/client-organizations";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import { asAttributes } from "../../model/attributes.js";
import { identityOf } from "../../model/identity.js";
import { attributesHash } from "../../model/ownership.js";
import type { OrgFacts } from "../../model/org.js";
import type { LiveResource } from "../../model/resource.js";
import type { ClientPool } from "./clients.js";
import { Semaphore } from "./limiter.js";
import { allPages, type Caller } from "./read-context.js";
import { scpEnabledAt } from "./read-guardrails.js";

export const BACKUP_SERVICE_PRINCIPAL = "backup.amazonaws.com";

/** Organizations throttles hard (a few requests per second per account): a small bound for the walk. */
const ORG_CONCURRENCY = 4;

/** `call`: how each call is bounded (the engine passes the organization's lane of its read limiter). */
const bounded = (gate: Semaphore): Caller => (fn) => gate.run(fn);

export async function readOrgFacts(pool: ClientPool, call: Caller = bounded(new Semaphore(ORG_CONCURRENCY))): Promise<OrgFacts> {
  const org = pool.organizations();
  // Neither needs the other: the organization walk starts one round trip sooner.
  const [described, roots] = await Promise.all([
    call(() => org.send(new DescribeOrganizationCommand({}))),
    allPages((t) => call(() => org.send(new ListRootsCommand({ NextToken: t }))), (p) => p.Roots, (p) => p.NextToken),
  ]);
  const organizationId = described.Organization?.Id ?? "";
  const managementAccountId = described.Organization?.MasterAccountId ?? "";
  const rootId = roots[0]?.Id ?? "";

  const accountPaths: Record<string, string> = {};
  const ouPaths: Record<string, string> = {};
  const directAccounts = new Map<string, string[]>();
  const childOus = new Map<string, string[]>();

  const walk = async (parentId: string, path: string): Promise<void> => {
    const [ous, accounts] = await Promise.all([
      allPages((t) => call(() => org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: t, MaxResults: 20 }))), (p) => p.OrganizationalUnits, (p) => p.NextToken),
      allPages((t) => call(() => org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: t, MaxResults: 20 }))), (p) => p.Accounts, (p) => p.NextToken),
    ]);
    directAccounts.set(parentId, accounts.map((a) => a.Id ?? "").filter((id) => id !== ""));
    for (const id of directAccounts.get(parentId)!) accountPaths[id] = path;
    const children = ous.map((o) => o.Id ?? "").filter((id) => id !== "");
    childOus.set(parentId, children);
    await Promise.all(children.map((ou) => {
      ouPaths[ou] = `${path}${ou}/`;
      return walk(ou, ouPaths[ou]!);
    }));
  };
  if (rootId) await walk(rootId, `${organizationId}/${rootId}/`);

  const accountsByOu: Record<string, string[]> = {};
  const under = (id: string): string[] => [...(directAccounts.get(id) ?? []), ...(childOus.get(id) ?? []).flatMap(under)];
  for (const ou of Object.keys(ouPaths)) accountsByOu[ou] = under(ou).sort();
  return { organizationId, managementAccountId, rootId, accountPaths, accountsByOu, ouPaths, scpEnabled: scpEnabledAt(roots[0]) };
}

async function listEnabledPrincipals(org: OrganizationsClient): Promise<string[]> {
  const list = await allPages(
    (t) => org.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: t })),
    (p) => p.EnabledServicePrincipals,
    (p) => p.NextToken,
  );
  return list.map((p) => p.ServicePrincipal ?? "").filter((p) => p !== "");
}

export interface OrgSettingsRead {
  resources: LiveResource[];
}

/**
 * org_trust and cross_account_setting as live resources. No one owns them (nothing to tag), so their
 * ownership is "unmanaged": the config manages them by declaring them.
 */
export async function readOrgSettings(pool: ClientPool, managementAccountId: string, region: string): Promise<OrgSettingsRead> {
  const [principals, settings] = await Promise.all([
    listEnabledPrincipals(pool.organizations()),
    pool.backup(managementAccountId, region).send(new DescribeGlobalSettingsCommand({})),
  ]);
  const trusted = principals.includes(BACKUP_SERVICE_PRINCIPAL);
  const crossAccount = settings.GlobalSettings?.isCrossAccountBackupEnabled === "true";
  const trustPrint = attributesHash({ trusted });
  const settingPrint = attributesHash({ crossAccount });
  return {
    resources: [
      {
        address: "org_trust", type: "org_trust", accountId: managementAccountId, region: "global",
        identity: identityOf("org_trust", { accountId: managementAccountId, region: "global" }), id: BACKUP_SERVICE_PRINCIPAL,
        attributes: asAttributes({ service_principal: BACKUP_SERVICE_PRINCIPAL, enabled: trusted }), ownership: "unmanaged", fingerprint: trustPrint,
      },
      {
        address: "cross_account_setting", type: "cross_account_setting", accountId: managementAccountId, region,
        identity: identityOf("cross_account_setting", { accountId: managementAccountId, region }), id: "isCrossAccountBackupEnabled",
        attributes: asAttributes({ enabled: crossAccount }), ownership: "unmanaged", fingerprint: settingPrint,
      },
    ],
  };
}
