// The route world as it is now: the documents the check read at the routes' ends (whole policies, vaults and
// keys whoever owns them), the organization's facts and SCPs, and the routes of the backup plans the live read
// found. Config addresses (`vault.central`, `vault_policy.central`, `key_share.local->333...`) come from the
// live resources and the plan's changes, so that failures name what the configuration calls them.
import type { BackupPlanAttributes, BackupSelectionAttributes } from "../../model/attributes.js";
import type { OrgFacts } from "../../model/org.js";
import { sidPrefix } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import { enumerateRoutes, type PlanRecord, type SelectionRecord, type ShareKeysOf } from "./enumerate.js";
import {
  readable, unreadable,
  type KeyFact, type PolicyStatements, type Readable, type RouteFacts, type RouteWorld, type ScpState, type VaultFact, type WorldKey, type WorldVault,
} from "./types.js";

/** What the check needs of a resource, live or planned: enough of LiveResource and ResourceChange. */
export interface ResourceView {
  address: string;
  type: string;
  accountId: string;
  region: string;
  id?: string;
  attributes: Attributes;
}

export interface LiveWorldInput {
  stack: string;
  /** The live read's resources (the stack's plans, selections, vaults, policies, keys, shares, guardrails). */
  live: readonly ResourceView[];
  /** Resources the plan would create or change: only their addresses are used here (to name things). */
  planned?: readonly ResourceView[];
  org: OrgFacts | undefined;
  facts: RouteFacts;
  shareKeysOf: ShareKeysOf;
}

/** A policy document's statements as written; a document that does not parse stays as its text (unknown). */
export function statementsOf(text: string): PolicyStatements {
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    if (doc && typeof doc === "object" && !Array.isArray(doc)) {
      const s = doc.Statement;
      return s === undefined ? [] : Array.isArray(s) ? s : [s];
    }
  } catch {
    // falls through: the evaluator reports the text as unreadable, and the route is unknown
  }
  return [text];
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/.+$/;

export function keyAccount(arn: string): string {
  return KEY_ARN.exec(arn)?.[2] ?? "";
}

export function keyRegion(arn: string): string {
  return KEY_ARN.exec(arn)?.[1] ?? "";
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Addresses by what they name: vaults and vault policies by ACCOUNT/REGION/NAME, keys and shares by key ARN. */
export class Addresses {
  readonly vaults = new Map<string, string>();
  readonly vaultPolicies = new Map<string, string>();
  readonly keys = new Map<string, string>();
  readonly shares = new Map<string, Record<string, string>>();
  readonly guardrails = new Map<string, string>();

  /** `keep`: do not replace a name already known (live names win over planned ones). */
  add(r: ResourceView, keep = false): void {
    const a = r.attributes;
    const set = (map: Map<string, string>, k: string, v: string): void => {
      if (!keep || !map.has(k)) map.set(k, v);
    };
    const where = (name: string | undefined): string | undefined => (name === undefined ? undefined : `${r.accountId}/${r.region}/${name}`);
    switch (r.type) {
      case "vault": {
        const k = where(text(a.name));
        if (k) set(this.vaults, k, r.address);
        break;
      }
      case "vault_policy": {
        const k = where(text(a.vault_name));
        if (k) set(this.vaultPolicies, k, r.address);
        break;
      }
      case "kms_key": {
        const arn = text(a.arn);
        if (arn) set(this.keys, arn, r.address);
        break;
      }
      case "key_share": {
        const arn = text(a.key_arn);
        const destination = text(a.destination_account);
        const known = this.shares.get(arn ?? "") ?? {};
        if (arn && destination && (!keep || known[destination] === undefined)) this.shares.set(arn, { ...known, [destination]: r.address });
        break;
      }
      case "guardrail": {
        const name = text(a.name);
        if (name) set(this.guardrails, name, r.address);
        break;
      }
      default:
        break;
    }
  }
}

function worldVault(key: string, fact: VaultFact | null, names: Addresses): WorldVault | null {
  if (fact === null) return null;
  const [accountId, region, ...rest] = key.split("/");
  const name = rest.join("/");
  const v: WorldVault = { accountId: accountId!, region: region!, name, arn: fact.arn, keyRef: fact.encryptionKeyArn, tags: { ...fact.tags } };
  if (fact.policy !== undefined) v.policy = statementsOf(fact.policy);
  if (fact.minRetentionDays !== undefined) v.minRetentionDays = fact.minRetentionDays;
  if (fact.maxRetentionDays !== undefined) v.maxRetentionDays = fact.maxRetentionDays;
  const address = names.vaults.get(key);
  if (address) v.address = address;
  const policyAddress = names.vaultPolicies.get(key);
  if (policyAddress) v.policyAddress = policyAddress;
  return v;
}

function worldKey(fact: KeyFact | null, names: Addresses): WorldKey | null {
  if (fact === null) return null;
  const k: WorldKey = { arn: fact.arn, accountId: keyAccount(fact.arn), manager: fact.manager, state: fact.state, shares: { ...(names.shares.get(fact.arn) ?? {}) } };
  if (fact.policy !== undefined) k.policy = statementsOf(fact.policy);
  const address = names.keys.get(fact.arn);
  if (address) k.address = address;
  return k;
}

export function scpStateOf(org: OrgFacts | undefined, names: Addresses): Readable<ScpState> {
  if (!org) return unreadable("the organization could not be read");
  if (org.scps === undefined) return unreadable("the organization's service control policies were not read");
  return readable({
    enabled: org.scpEnabled ?? true,
    policies: org.scps.map((p) => {
      const address = names.guardrails.get(p.name);
      return { id: p.id, name: p.name, document: p.document, targets: [...p.targets], ...(address ? { address } : {}) };
    }),
  });
}

export function planRecords(resources: readonly ResourceView[]): { plans: PlanRecord[]; selections: SelectionRecord[] } {
  const plans: PlanRecord[] = [];
  const selections: SelectionRecord[] = [];
  for (const r of resources) {
    if (r.type === "backup_plan") {
      const id = text(r.attributes.id) ?? r.id;
      plans.push({ address: r.address, accountId: r.accountId, region: r.region, ...(id ? { id } : {}), attributes: r.attributes as unknown as BackupPlanAttributes });
    } else if (r.type === "backup_selection") {
      selections.push({ address: r.address, attributes: r.attributes as unknown as BackupSelectionAttributes });
    }
  }
  return { plans, selections };
}

export function buildLiveWorld(input: LiveWorldInput): RouteWorld {
  const names = new Addresses();
  for (const r of input.live) names.add(r);
  // Planned names only where nothing live names it yet: a vault policy the plan writes has no live address.
  for (const r of input.planned ?? []) names.add(r, true);
  const vaults = new Map<string, Readable<WorldVault | null>>();
  for (const [key, fact] of Object.entries(input.facts.vaults)) {
    vaults.set(key, fact.ok ? readable(worldVault(key, fact.value, names)) : unreadable(fact.reason));
  }
  const keys = new Map<string, Readable<WorldKey | null>>();
  for (const [arn, fact] of Object.entries(input.facts.keys)) {
    keys.set(arn, fact.ok ? readable(worldKey(fact.value, names)) : unreadable(fact.reason));
  }
  const { plans, selections } = planRecords(input.live);
  return {
    org: input.org,
    scps: scpStateOf(input.org, names),
    settings: input.facts.settings,
    vaults,
    keys,
    routes: enumerateRoutes(plans, selections, input.shareKeysOf),
    sidPrefix: sidPrefix(input.stack),
  };
}
