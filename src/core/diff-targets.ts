// `--target ADDR`, as in Terraform: keep the targeted resources and what they need (their dependencies,
// transitively; for a delete, what depends on it, since that must go first), and say the plan is partial.
import type { Drift, Finding, ResourceChange } from "./plan-types.js";

export interface Targeted {
  changes: ResourceChange[];
  drift: Drift[];
  findings: Finding[];
}

/** `backup_plan.daily` targets `backup_plan.daily["prod"]` too, as a resource targets all its instances. */
export function targetMatches(target: string, address: string): boolean {
  return address === target || address.startsWith(`${target}[`) || address.startsWith(`${target}.`);
}

/**
 * `dependsOn` holds every known edge by address (changes and desired resources that have no change, such as a
 * foreign object blocking the plan), so that an error on a dependency of a target is not filtered away.
 */
export function selectTargets(result: Targeted, targets: readonly string[], dependsOn: ReadonlyMap<string, readonly string[]>): Targeted {
  if (targets.length === 0) return result;
  const deletes = new Set(result.changes.filter((c) => c.action === "delete").map((c) => c.address));
  const dependents = new Map<string, string[]>();
  for (const [address, deps] of dependsOn) for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), address]);

  const known = new Set([...dependsOn.keys(), ...result.changes.map((c) => c.address), ...result.drift.map((d) => d.address)]);
  for (const f of result.findings) if (f.address) known.add(f.address);

  const kept = new Set<string>();
  const visit = (address: string): void => {
    if (kept.has(address)) return;
    kept.add(address);
    const next = deletes.has(address) ? (dependents.get(address) ?? []) : (dependsOn.get(address) ?? []);
    for (const n of next) visit(n);
  };
  const unmatched: string[] = [];
  for (const t of targets) {
    const hits = [...known].filter((a) => targetMatches(t, a));
    if (hits.length === 0) unmatched.push(t);
    for (const a of hits) visit(a);
  }

  const findings = result.findings.filter((f) => f.address === undefined || kept.has(f.address));
  for (const t of unmatched) {
    findings.push({
      severity: "warning",
      code: "unknown-target",
      message: `--target ${t} matches no resource in the configuration or owned by this stack`,
      hint: "Check the address against the plan without --target (addresses look like vault.central or backup_plan.daily[\"prod\"]).",
    });
  }
  findings.push({
    severity: "warning",
    code: "partial-plan",
    message: `Resource targeting is in effect: this plan covers only ${targets.join(", ")} and what they depend on, so it may not show every change the configuration needs`,
    hint: "Use --target only for exceptional situations such as recovering from errors; plan without it afterwards.",
  });
  return {
    changes: result.changes.filter((c) => kept.has(c.address)),
    drift: result.drift.filter((d) => kept.has(d.address)),
    findings,
  };
}
