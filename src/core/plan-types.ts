// The plan: a versioned data value. The same object the views render, `plan --out` saves and `apply` executes.
// Changing its shape incompatibly means bumping PLAN_FORMAT_VERSION (apply refuses plans of another major).
import type { Attributes, ResourceType } from "../model/resource.js";

export const PLAN_FORMAT_VERSION = "1.0";

export type Action =
  | "create"
  | "update"
  /** Delete then create (a vault's key or name, any selection change). Counted as add and destroy. */
  | "replace"
  | "delete"
  /** Take ownership of an existing same-named resource the user asked to adopt. */
  | "adopt"
  /** Referenced, not managed (an existing key by ARN, the organization). */
  | "read"
  | "no-op";

export const ACTION_SYMBOLS: Record<Action, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  adopt: "<=",
  read: "?",
  "no-op": " ",
};

export interface AttributeChange {
  /** Dotted path into the attributes: `tags.team`, `rules[0].lifecycle.delete_after_days`. */
  path: string;
  before?: unknown;
  after?: unknown;
  /** The new value is known only after apply (shown as "(known after apply)"). */
  knownAfterApply?: boolean;
  /** This change is why the resource is replaced. */
  forcesReplacement?: boolean;
}

export interface ResourceChange {
  address: string;
  type: ResourceType;
  accountId: string;
  region: string;
  action: Action;
  /** Live attributes (null for create). */
  before: Attributes | null;
  /** Desired attributes (null for delete). */
  after: Attributes | null;
  /** Changed attributes only. */
  changes: AttributeChange[];
  /** Physical id of the live object this change acts on. */
  id?: string;
  dependsOn: string[];
  /** Why, in words, where the action alone does not say ("key changed", "selections are immutable"). */
  reason?: string;
  /** The identity desired and live were matched on (identity.ts); also the key of its fingerprint. */
  identity?: string;
  /** kms_key delete or replace: the waiting period of the scheduled deletion, in days. */
  deletionWindowDays?: number;
}

/** Changed outside crossvault since it last applied (tag hash differs from the live attributes). */
export interface Drift {
  address: string;
  type: ResourceType;
  accountId: string;
  region: string;
  changes: AttributeChange[];
}

export interface Finding {
  severity: "error" | "warning" | "info";
  /** Stable code: `vault-has-recovery-points`, `foreign-resource`, `read-failed`, `compliance-lock` ... */
  code: string;
  /** Seed rule id ([S3], [C5], ...) where one applies. */
  rule?: string;
  address?: string;
  message: string;
  /** What to do. */
  hint?: string;
}

/** One end of a copy route. */
export interface RouteEnd {
  accountId: string;
  region: string;
  /** Vault name. */
  vault: string;
  /** Config address of the vault, where the config declares it (`vault.central`). */
  address?: string;
}

export type RouteStatus = "ok" | "fail" | "unknown";

/** Why a route fails (or cannot be decided): the rule, the policy and statement that decide it, and the fix. */
export interface RouteFailure {
  /** Seed rule id: "S1" ... "X4". */
  rule: string;
  message: string;
  /** The deciding policy: `vault_policy.central`, `key_share.local->333333333333`, `scp p-abc123 (deny-foreign-copies)`. */
  policy?: string;
  /** Sid, or `#index` when the statement has none. */
  statement?: string;
  fix: string;
  /** "now" = the live state only; "after-apply" = the planned state only; absent = both. */
  when?: "now" | "after-apply";
}

/** The copy-route check's verdict on one route (source vault -> destination vault), on both states. */
export interface RouteVerdict {
  /** `222222222222/eu-west-1/local -> 333333333333/eu-west-1/central`: stable, sortable. */
  id: string;
  /** The backup plan rule whose copy action this is (`backup_plan.daily["prod"].rule.daily`). */
  address?: string;
  source: RouteEnd;
  destination: RouteEnd;
  /** On the live state, as it is now. */
  now: RouteStatus;
  /** On the planned state, as it will be after apply. */
  afterApply: RouteStatus;
  /** How the plan changes the route itself. */
  change: "new" | "changed" | "removed" | "unchanged";
  failures: RouteFailure[];
  /** Not failures: [X3] no deny-leave guardrail, Principal "*" without an org condition, ForAllValues on CopyTargets. */
  warnings: RouteFailure[];
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  adopt: number;
}

export interface Plan {
  format_version: typeof PLAN_FORMAT_VERSION;
  tool_version: string;
  created_at: string;
  stack: string;
  /** The configuration the plan was made from. */
  config: { path: string; hash: string };
  variables: Record<string, unknown>;
  /** `--target` addresses, when the plan is partial. */
  targets: string[];
  mode: "apply" | "destroy";
  changes: ResourceChange[];
  drift: Drift[];
  findings: Finding[];
  summary: PlanSummary;
  /** Every live object the plan read, by a key naming it (`vault:222222222222/eu-west-1/central`), to its hash. */
  fingerprints: Record<string, string>;
  /** Accounts (or account-regions) that could not be read: apply refuses while this is not empty. */
  unreadable: Array<{ accountId: string; region?: string; message: string }>;
  /** The copy-route check on the live and the planned state (absent in plans made before the check existed). */
  routes?: RouteVerdict[];
  /** No error findings and nothing unreadable. */
  applyable: boolean;
}

export function summarize(changes: readonly ResourceChange[]): PlanSummary {
  const s: PlanSummary = { add: 0, change: 0, destroy: 0, adopt: 0 };
  for (const c of changes) {
    if (c.action === "create") s.add++;
    else if (c.action === "update") s.change++;
    else if (c.action === "delete") s.destroy++;
    else if (c.action === "replace") { s.add++; s.destroy++; }
    else if (c.action === "adopt") s.adopt++;
  }
  return s;
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== "no-op" && c.action !== "read");
}
