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
    case "cross_account_setting":
      return type;
    case "kms_key":
      // name = the key's alias (`alias/crossvault-central`)
      return `kms_key:${where}/${parts.name}`;
    case "key_share":
      // key = the key's identity (`ACCOUNT/REGION/alias/...` for keys crossvault creates, the key ARN otherwise)
      return `key_share:${parts.key}->${parts.destination}`;
    case "backup_selection":
      return `backup_selection:${where}/${parts.plan}/${parts.name}`;
    default:
      return `${type}:${where}/${parts.name}`;
  }
}
