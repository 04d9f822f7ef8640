// Which live objects refer to which, read from their attributes (a vault's key ARN, a policy's vault name,
// a plan's target and copy vaults, a selection's plan id). Desired resources carry dependsOn; live objects
// read from AWS do not, yet deletes must run in reverse dependency order and an object must stop referring to
// another before that one is deleted.
import type { Attributes } from "../model/resource.js";
import type { ResourceChange } from "./plan-types.js";

type Located = Pick<ResourceChange, "address" | "type" | "accountId" | "region" | "before">;

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const where = (c: Located, name: string): string => `${c.accountId}/${c.region}/${name}`;

/** For each change whose live object (`before`) refers to another change's live object: those addresses. */
export function liveReferences(changes: readonly Located[]): Map<string, string[]> {
  const keyByArn = new Map<string, string>();
  const vaultByName = new Map<string, string>();
  const vaultByArn = new Map<string, string>();
  const planById = new Map<string, string>();
  for (const c of changes) {
    const a = c.before;
    if (!a) continue;
    if (c.type === "kms_key" && text(a.arn)) keyByArn.set(text(a.arn)!, c.address);
    if (c.type === "vault") {
      if (text(a.name)) vaultByName.set(where(c, text(a.name)!), c.address);
      if (text(a.arn)) vaultByArn.set(text(a.arn)!, c.address);
    }
    if (c.type === "backup_plan" && text(a.id)) planById.set(text(a.id)!, c.address);
  }
  const out = new Map<string, string[]>();
  for (const c of changes) {
    if (!c.before) continue;
    const refs = referencesOf(c, c.before, { keyByArn, vaultByName, vaultByArn, planById });
    const others = [...new Set(refs)].filter((r) => r !== c.address);
    if (others.length > 0) out.set(c.address, others.sort());
  }
  return out;
}

interface Indexes {
  keyByArn: Map<string, string>;
  vaultByName: Map<string, string>;
  vaultByArn: Map<string, string>;
  planById: Map<string, string>;
}

function referencesOf(c: Located, a: Attributes, ix: Indexes): string[] {
  const found: Array<string | undefined> = [];
  switch (c.type) {
    case "vault":
      found.push(ix.keyByArn.get(text(a.encryption_key_arn) ?? ""));
      break;
    case "vault_policy":
    case "vault_lock":
      found.push(ix.vaultByName.get(where(c, text(a.vault_name) ?? "")));
      break;
    case "key_share":
      found.push(ix.keyByArn.get(text(a.key_arn) ?? ""));
      break;
    case "backup_plan":
      for (const rule of Array.isArray(a.rules) ? a.rules : []) {
        if (!rule || typeof rule !== "object" || Array.isArray(rule)) continue;
        const r = rule as Record<string, unknown>;
        found.push(ix.vaultByName.get(where(c, text(r.target_vault) ?? "")));
        for (const copy of Array.isArray(r.copy_actions) ? r.copy_actions : []) {
          found.push(ix.vaultByArn.get(text((copy as Record<string, unknown> | null)?.destination_vault_arn) ?? ""));
        }
      }
      break;
    case "backup_selection":
      found.push(ix.planById.get(text(a.plan_id) ?? ""));
      break;
    default:
      break;
  }
  return found.filter((x): x is string => x !== undefined);
}
