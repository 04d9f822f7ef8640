// The lifecycle of a route: recovery points in cold storage cannot be copied [C4] (a copy starts when its backup
// completes, so only a rule that moves points to cold storage at once breaks it); a copy kept in cold storage
// stays there at least 90 days [C5]; and the copy's retention must fit the destination vault's Vault Lock (the
// copy job fails otherwise; reported under [C5], the lifecycle rule).
import { destinationVault, fail, ok, type RouteContext, type RuleOutcome } from "./outcome.js";
import type { Lifecycle } from "./types.js";

function ninetyDays(l: Lifecycle | undefined): boolean {
  const { moveToColdStorageAfterDays: cold, deleteAfterDays: del } = l ?? {};
  return cold === undefined || del === undefined || del >= cold + 90;
}

export function checkLifecycle(ctx: RouteContext): RuleOutcome[] {
  const { route, carried } = ctx;
  const out: RuleOutcome[] = [];
  const where = `${route.address}`;

  const cold = route.ruleLifecycle?.moveToColdStorageAfterDays;
  const coldTypes = carried.families.filter((f) => f.coldStorage).map((f) => f.type);
  if (cold === 0 && (coldTypes.length > 0 || carried.unknown)) {
    out.push(fail({
      rule: "C4", policy: where,
      message: `rule ${route.rule} moves recovery points to cold storage at once (move_to_cold_storage_after_days = 0)${coldTypes.length > 0 ? ` for ${coldTypes.join(", ")}` : ""}: cold recovery points cannot be copied`,
      fix: "Keep recovery points warm until the copy has run: move_to_cold_storage_after_days of at least 1, or none.",
    }));
  } else out.push(ok("C4"));

  const copy = route.copyLifecycle ?? route.ruleLifecycle;
  for (const [what, l] of [["the rule's lifecycle", route.ruleLifecycle], ["the copy's lifecycle", route.copyLifecycle]] as const) {
    if (ninetyDays(l)) continue;
    out.push(fail({
      rule: "C5", policy: where,
      message: `${what} deletes after ${l!.deleteAfterDays} days but moves to cold storage after ${l!.moveToColdStorageAfterDays}: cold storage lasts at least 90 days, so AWS rejects it`,
      fix: `Set delete_after_days to at least ${l!.moveToColdStorageAfterDays! + 90}.`,
    }));
  }

  const vault = destinationVault(ctx);
  if (vault.ok && vault.value) {
    const v = vault.value;
    const days = copy?.deleteAfterDays;
    const kept = days === undefined ? "never expire" : `are kept ${days} days`;
    const where = v.address ?? `vault ${v.accountId}/${v.region}/${v.name}`;
    if (v.minRetentionDays !== undefined && (days === undefined || days < v.minRetentionDays)) {
      out.push(fail({ rule: "C5", policy: `vault lock of ${where}`, message: `copies ${kept}, outside the Vault Lock of ${where} (min_retention_days ${v.minRetentionDays})`, fix: `Keep copies at least ${v.minRetentionDays} days (copy { lifecycle { delete_after_days = ... } }), or lower the lock's min_retention_days.` }));
    } else if (v.maxRetentionDays !== undefined && (days === undefined || days > v.maxRetentionDays)) {
      out.push(fail({ rule: "C5", policy: `vault lock of ${where}`, message: `copies ${kept}, outside the Vault Lock of ${where} (max_retention_days ${v.maxRetentionDays})`, fix: `Keep copies at most ${v.maxRetentionDays} days, or raise the lock's max_retention_days.` }));
    }
  }
  if (!out.some((o) => o.rule === "C5")) out.push(ok("C5"));
  return out;
}
