// The plan value assembled from a diff and what the read saw, the order its changes run in, and the exit code
// it stands for. Pure: the time and the tool version come in as inputs.
import type { DiffResult } from "./diff.js";
import { liveReferences } from "./diff-references.js";
import { PLAN_FORMAT_VERSION, hasChanges, summarize, type Finding, type Plan, type ResourceChange } from "./plan-types.js";
import { checkGraph } from "./walk.js";

export interface PlanInput {
  stack: string;
  configPath: string;
  configHash: string;
  variables: Record<string, unknown>;
  targets: string[];
  mode: "apply" | "destroy";
  diff: DiffResult;
  fingerprints: Record<string, string>;
  unreadable: Plan["unreadable"];
  toolVersion: string;
  now: Date | string;
}

export function assemblePlan(input: PlanInput): Plan {
  const unreadable = [...input.unreadable].sort((a, b) => compareText(`${a.accountId}/${a.region ?? ""}`, `${b.accountId}/${b.region ?? ""}`));
  const unread = (c: { accountId: string; region: string }): boolean =>
    unreadable.some((u) => u.accountId === c.accountId && (u.region === undefined || u.region === c.region));
  // Nothing was read there, so every desired object would look missing: changes shown for it would be guesses.
  const changes = input.diff.changes.filter((c) => !unread(c)).sort(byAddress);
  const findings: Finding[] = [...input.diff.findings];
  for (const u of unreadable) {
    const left = input.diff.changes.filter((c) => c.accountId === u.accountId && (u.region === undefined || u.region === c.region)).length;
    findings.push({
      severity: "error",
      code: "read-failed",
      message: `cannot read account ${u.accountId}${u.region ? ` in ${u.region}` : ""}: ${u.message}`,
      hint: `Fix access to the account (its role or profile) and plan again; a plan with unread accounts cannot be applied.${left > 0 ? ` ${left} change${left === 1 ? " is" : "s are"} left out of this plan for it.` : ""}`,
    });
  }
  findings.sort(compareFindings);
  const fingerprints: Record<string, string> = {};
  for (const k of Object.keys(input.fingerprints).sort(compareText)) fingerprints[k] = input.fingerprints[k]!;
  return {
    format_version: PLAN_FORMAT_VERSION,
    tool_version: input.toolVersion,
    created_at: new Date(input.now).toISOString(),
    stack: input.stack,
    config: { path: input.configPath, hash: input.configHash },
    variables: input.variables,
    targets: [...input.targets],
    mode: input.mode,
    changes,
    drift: [...input.diff.drift].sort(byAddress),
    findings,
    summary: summarize(changes),
    fingerprints,
    unreadable,
    applyable: unreadable.length === 0 && !findings.some((f) => f.severity === "error"),
  };
}

const SEVERITY_RANK: Record<Finding["severity"], number> = { error: 0, warning: 1, info: 2 };

function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareText(a.address ?? "", b.address ?? "") || compareText(a.code, b.code) || compareText(a.message, b.message);
}

/**
 * For each change, the changes that must finish before it starts: its dependencies for a create or update;
 * for a delete the reverse (what depends on an object goes before it); and an object whose live form refers to
 * one being deleted stops referring to it first. `dependsOn` keeps the desired meaning (what a resource needs);
 * this is the order apply walks.
 */
export function runAfter(changes: readonly ResourceChange[]): Map<string, string[]> {
  const byAddr = new Map(changes.map((c) => [c.address, c]));
  const after = new Map(changes.map((c) => [c.address, new Set<string>()]));
  const first = (earlier: string, later: string): void => {
    if (earlier !== later) after.get(later)!.add(earlier);
  };
  const liveRefs = liveReferences(changes);
  for (const c of changes) {
    for (const dep of c.dependsOn) {
      const d = byAddr.get(dep);
      if (!d) continue;
      if (c.action === "delete" || d.action === "delete") first(c.address, dep);
      else first(dep, c.address);
    }
    for (const dep of liveRefs.get(c.address) ?? []) if (byAddr.get(dep)?.action === "delete") first(c.address, dep);
  }
  return new Map([...after].map(([a, s]) => [a, [...s].sort(compareText)]));
}

/** The changes in an order apply may run them one by one (ties by address); throws GraphCycleError on a cycle. */
export function dependencyOrder(changes: readonly ResourceChange[]): ResourceChange[] {
  const edges = runAfter(changes);
  checkGraph([...edges].map(([id, dependsOn]) => ({ id, dependsOn, lane: "", payload: undefined })));
  const byAddr = new Map(changes.map((c) => [c.address, c]));
  const waiting = new Map([...edges].map(([a, deps]) => [a, deps.length]));
  const dependents = new Map<string, string[]>();
  for (const [a, deps] of edges) for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), a]);
  const ready = [...waiting].filter(([, n]) => n === 0).map(([a]) => a);
  const out: ResourceChange[] = [];
  while (ready.length > 0) {
    ready.sort(compareText);
    const next = ready.shift()!;
    out.push(byAddr.get(next)!);
    for (const d of dependents.get(next) ?? []) {
      const n = waiting.get(d)! - 1;
      waiting.set(d, n);
      if (n === 0) ready.push(d);
    }
  }
  return out;
}

/** `plan` exit code: 1 when the plan cannot be applied; with --detailed-exitcode, 2 when it has changes. */
export function planExitCode(plan: Plan, detailed: boolean): 0 | 1 | 2 {
  if (!plan.applyable) return 1;
  return detailed && hasChanges(plan) ? 2 : 0;
}

function byAddress<T extends { address: string }>(a: T, b: T): number {
  return compareText(a.address, b.address);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
