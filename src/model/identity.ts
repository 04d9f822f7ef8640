// Identities: what makes a desired resource and a live one the same AWS object. Addresses are the config's
// names and can change (a rename in HCL); identities are AWS's (account, region, name), so diff matches on them.
import type { ResourceType } from "./resource.js";

export function vaultIdentity(accountId: string, region: string, vaultName: string): string {
  return `vault:${accountId}/${region}/${vaultName}`;
}

export function identityOf(type: ResourceType, parts: { accountId: string; region: string; name?: string; plan?: string; key?: string; destination?: string }): string {
  const where = `${parts.accountId}/${parts.region}`;
  switch (type) {
    case "org_trust":
      // Trusted access is `org_trust`; a policy type enabled at the root is `org_trust:policy_type/TYPE`.
      return parts.name === undefined ? type : `${type}:${parts.name}`;
    case "cross_account_setting":
      return type;
    case "kms_key":
      // name = the key's alias (`alias/crossvault-central`)
      return `kms_key:${where}/${parts.name}`;
    case "key_share":
      // key = the key's identity (`ACCOUNT/REGION/alias/...` for keys crossvault creates, the key ARN otherwise).
      // Without a destination: the stack's share alias alone on a key whose policy holds none of its statements
      // (an apply stopped between the alias and the statement); never desired, so it is deleted.
      return parts.destination === undefined ? `key_share:${parts.key}` : `key_share:${parts.key}->${parts.destination}`;
    case "backup_selection":
      return `backup_selection:${where}/${parts.plan}/${parts.name}`;
    case "guardrail":
      // One SCP name per organization (AWS refuses a second policy of the type with the same name).
      return `guardrail:${where}/${parts.name}`;
    default:
      return `${type}:${where}/${parts.name}`;
  }
}

/** The identity of a policy type enabled at the root (`SERVICE_CONTROL_POLICY`), an org_trust resource. */
export function policyTypeIdentity(managementAccountId: string, policyType: string): string {
  return identityOf("org_trust", { accountId: managementAccountId, region: "global", name: `policy_type/${policyType}` });
}

/** Whether a key_share identity is that of a key crossvault did not create (named by its ARN in the config). */
export function sharesExistingKey(identity: string): boolean {
  return identity.startsWith("key_share:arn:");
}

/** The key part of a key_share identity (`key_share:KEY->DESTINATION` or `key_share:KEY`). */
export function shareKeyOf(identity: string): string | undefined {
  if (!identity.startsWith("key_share:")) return undefined;
  const rest = identity.slice("key_share:".length);
  const arrow = rest.lastIndexOf("->");
  return arrow < 0 ? rest : rest.slice(0, arrow);
}
