// Carrying out a plan: the changes walk in dependency order (runAfter), independent branches in parallel under
// a global bound (--parallelism) and a bound per account-region lane (AWS rate limits are per account). Values
// known only after apply (a created key's ARN) are resolved from the results of the changes applied before.
// A failure skips what depends on it and lets independent branches finish; the outcome is a summary.
import type { ClientPool } from "../providers/aws/clients.js";
import { applyChange, type ApplyResult } from "../providers/aws/apply.js";
import { describeError, isAccessDenied, isCredentialFailure, isUnreachable } from "../providers/aws/aws-errors.js";
import { isPending, type Pending } from "../model/resource.js";
import { UserError } from "../cli/errors.js";
import type { Host } from "./events.js";
import { runAfter } from "./plan.js";
import { summarize, type Action, type Plan, type ResourceChange } from "./plan-types.js";
import { walkGraph, type NodeOutcome, type WalkNode } from "./walk.js";

// Higher than Terraform's 10: the per-lane bound already keeps each account-region under its rate limits, so the global
// bound only caps the whole run's load and the calls in flight.
export const DEFAULT_PARALLELISM = 128;
/** Writes in flight per account-region: well under the per-account rate limits of Backup and KMS. */
export const DEFAULT_PER_LANE = 4;

export interface ApplyOptions {
  stack: string;
  host: Host;
  parallelism?: number;
  perLane?: number;
  /** Stop starting new changes (SIGINT); those not started are reported as skipped. */
  signal?: AbortSignal;
  /** Bound on waiting out one propagation delay. */
  maxWaitMs?: number;
  /** Records how long a change took (a clock is an input, for tests). */
  clock?: () => number;
}

export interface ApplyOutcome {
  applied: ResourceChange[];
  failed: Array<{ change: ResourceChange; message: string }>;
  skipped: Array<{ change: ResourceChange; because: string }>;
  /** Applied changes counted as Terraform does: a replace adds and destroys. */
  counts: { added: number; changed: number; destroyed: number; adopted: number };
  interrupted: boolean;
}

const ACTS: ReadonlySet<Action> = new Set(["create", "update", "replace", "delete", "adopt"]);

/** Refuses what must not run: a plan with error findings or parts that could not be read. */
export function assertApplyable(plan: Plan): void {
  if (plan.unreadable.length > 0) {
    const where = plan.unreadable.map((u) => `${u.accountId}${u.region ? `/${u.region}` : ""}`).join(", ");
    const why = plan.unreadable.map((u) => `\n  ${u.accountId}${u.region ? `/${u.region}` : ""}: ${u.message}`).join("");
    throw new UserError(`the plan cannot be applied: it could not read ${where}${why}`, "Fix access to those accounts and plan again; crossvault never applies a plan with unknown parts.");
  }
  const errors = plan.findings.filter((f) => f.severity === "error");
  if (errors.length > 0 || !plan.applyable) {
    const list = errors.map((f) => `${f.address ? `${f.address}: ` : ""}${f.message}`).join("\n  ");
    throw new UserError(`the plan cannot be applied: it has ${errors.length} error${errors.length === 1 ? "" : "s"}${list ? `:\n  ${list}` : ""}`, "Fix the errors and plan again.");
  }
}

/**
 * The walk's nodes: the changes that do something, each after the changes it must follow. Edges through a
 * change that does nothing (a no-op between two writes) are kept by following them to the next real change.
 */
export function applyNodes(changes: readonly ResourceChange[]): Array<WalkNode<ResourceChange>> {
  const after = runAfter(changes);
  const acting = new Set(changes.filter((c) => ACTS.has(c.action)).map((c) => c.address));
  const effective = (address: string, seen = new Set<string>()): string[] => {
    const out = new Set<string>();
    for (const dep of after.get(address) ?? []) {
      if (acting.has(dep)) out.add(dep);
      else if (!seen.has(dep)) {
        seen.add(dep);
        for (const d of effective(dep, seen)) out.add(d);
      }
    }
    return [...out].sort();
  };
  return changes
    .filter((c) => acting.has(c.address))
    .map((c) => ({ id: c.address, dependsOn: effective(c.address), lane: `${c.accountId}/${c.region}`, payload: c }));
}

/** The value of a Pending attribute: from what apply just wrote, else from what the plan already knew. */
function resolver(changes: readonly ResourceChange[], results: ReadonlyMap<string, ApplyResult>): (p: Pending) => unknown {
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  return (p) => {
    const { address, attribute } = p.$pending;
    const applied = results.get(address)?.attributes?.[attribute];
    if (applied !== undefined) return applied;
    const planned = byAddress.get(address);
    for (const v of [planned?.after?.[attribute], planned?.before?.[attribute]]) if (v !== undefined && !isPending(v)) return v;
    return undefined;
  };
}

function countApplied(applied: readonly ResourceChange[]): ApplyOutcome["counts"] {
  const s = summarize(applied);
  return { added: s.add, changed: s.change, destroyed: s.destroy, adopted: s.adopt };
}

export async function applyPlan(pool: ClientPool, plan: Plan, opts: ApplyOptions): Promise<ApplyOutcome> {
  assertApplyable(plan);
  const clock = opts.clock ?? Date.now;
  const nodes = applyNodes(plan.changes);
  const results = new Map<string, ApplyResult>();
  const resolve = resolver(plan.changes, results);
  const failures = new Map<string, string>();

  const outcomes = await walkGraph(nodes, async (node) => {
    const change = node.payload;
    const started = clock();
    opts.host.notify({ type: "apply-start", address: change.address, action: change.action });
    try {
      const result = await applyChange(pool, change, {
        stack: opts.stack,
        resolve,
        notify: (e) => opts.host.notify(e),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
      });
      results.set(change.address, result);
    } catch (e) {
      const message = failureMessage(change, e);
      failures.set(change.address, message);
      opts.host.notify({ type: "apply-failed", address: change.address, action: change.action, message });
      throw e;
    }
    opts.host.notify({ type: "apply-done", address: change.address, action: change.action, durationMs: clock() - started });
  }, { parallelism: opts.parallelism ?? DEFAULT_PARALLELISM, perLane: opts.perLane ?? DEFAULT_PER_LANE, ...(opts.signal ? { signal: opts.signal } : {}) });

  return summarise(nodes, outcomes, failures, opts);
}

/**
 * One line per failure: an ApplyError says all itself; an AWS error gets where it happened (the account and
 * Region: the address alone does not say which credentials were used) and, for the kinds a user fixes, what to do.
 */
function failureMessage(change: ResourceChange, e: unknown): string {
  if (e instanceof Error && e.name === "ApplyError") {
    return e.message.startsWith(`${change.address}:`) ? e.message.slice(change.address.length + 1).trim() : e.message;
  }
  const where = `${change.accountId}${change.region && change.region !== "global" ? `/${change.region}` : ""}`;
  const todo = isCredentialFailure(e) ? "Check how crossvault reaches that account (its role_arn, assume_role_name or profile; `aws sso login` when a session expired), then run apply again."
    : isAccessDenied(e) ? "Allow that action to the identity crossvault uses in that account, then run apply again."
    : isUnreachable(e) ? "AWS did not answer: check the network and AWS_ENDPOINT_URL, then run apply again."
    : "";
  return `${describeError(e)} (in ${where})${todo ? `. ${todo}` : ""}`;
}

function summarise(nodes: ReadonlyArray<WalkNode<ResourceChange>>, outcomes: Map<string, NodeOutcome>, failures: Map<string, string>, opts: ApplyOptions): ApplyOutcome {
  const applied: ResourceChange[] = [];
  const failed: ApplyOutcome["failed"] = [];
  const skipped: ApplyOutcome["skipped"] = [];
  for (const node of nodes) {
    const o = outcomes.get(node.id);
    if (!o || o.status === "skipped") {
      const because = o?.status === "skipped" ? o.because : "interrupted";
      skipped.push({ change: node.payload, because });
      opts.host.notify({ type: "apply-skipped", address: node.id, because });
    } else if (o.status === "failed") {
      failed.push({ change: node.payload, message: failures.get(node.id) ?? describeError(o.error) });
    } else {
      applied.push(node.payload);
    }
  }
  opts.host.notify({ type: "apply-summary", applied: applied.length, failed: failed.length, skipped: skipped.length });
  return { applied, failed, skipped, counts: countApplied(applied), interrupted: opts.signal?.aborted === true };
}
