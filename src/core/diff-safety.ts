// Findings about what a change would do that cannot be undone or is not allowed: a vault holding recovery
// points, a plan holding someone else's selections, a compliance-mode lock past its grace time, a KMS key
// deletion, prevent_destroy.
import type { DesiredResource, LiveResource } from "../model/resource.js";
import type { Finding, ResourceChange } from "./plan-types.js";

export interface SafetyInput {
  changes: readonly ResourceChange[];
  desiredByAddress: ReadonlyMap<string, DesiredResource>;
  /** The live object each change acts on, by the change's address. */
  liveByAddress: ReadonlyMap<string, LiveResource>;
  /** Without a clock, a lock date counts as passed: the side that refuses rather than the one that surprises. */
  now?: Date;
}

const VERB: Partial<Record<ResourceChange["action"], string>> = { delete: "delete", replace: "replace", update: "change" };

export function safetyFindings(input: SafetyInput): Finding[] {
  const findings: Finding[] = [];
  const goingAway = new Set(input.changes.filter((c) => c.action === "delete" || c.action === "replace").map((c) => c.address));
  for (const c of input.changes) {
    const live = input.liveByAddress.get(c.address);
    const desired = input.desiredByAddress.get(c.address);
    const destroys = c.action === "delete" || c.action === "replace";
    const verb = VERB[c.action] ?? c.action;

    const points = live?.facts?.recoveryPoints ?? 0;
    if (c.type === "vault" && destroys && points > 0) {
      findings.push({
        severity: "error",
        code: "vault-has-recovery-points",
        address: c.address,
        message: `cannot ${verb} ${c.address}: ${points} recovery point${points === 1 ? "" : "s"}`,
        hint: "crossvault never deletes recovery points. Delete them in AWS Backup (or let their lifecycle expire them) first, or keep the vault as it is.",
      });
    }

    const others = live?.facts?.othersStatements ?? 0;
    if (c.type === "vault" && destroys && others > 0) {
      findings.push({
        severity: "warning",
        code: "vault-policy-statements-lost",
        address: c.address,
        message: `${c.address}: ${c.action === "replace" ? "replacing" : "deleting"} the vault deletes its access policy, with ${others} statement${others === 1 ? "" : "s"} others put there${c.action === "replace" ? "; the new vault gets only the stack's" : ""}`,
        hint: "Tell their owners, or keep a copy of the policy (aws backup get-backup-vault-access-policy) to put their statements back afterwards.",
      });
    }

    const theirs = live?.facts?.foreignSelections ?? [];
    if (c.type === "backup_plan" && destroys && theirs.length > 0) {
      findings.push({
        severity: "error",
        code: "plan-has-foreign-selections",
        address: c.address,
        message: `cannot ${verb} ${c.address}: it holds ${theirs.length === 1 ? "selection" : "selections"} ${theirs.map((n) => `"${n}"`).join(", ")} that the stack did not create`,
        hint: "crossvault never deletes what is not the stack's, and AWS deletes a plan only once it has no selections. Delete or move those selections (aws backup delete-backup-selection), or declare them in the plan's configuration to manage them, then plan again.",
      });
    }

    lockFindings(c, live, input.now, goingAway, findings);

    if (c.type === "kms_key" && destroys) {
      const days = c.deletionWindowDays;
      findings.push({
        severity: "warning",
        code: "kms-key-deletion",
        address: c.address,
        message: `${c.address}: the key will be scheduled for deletion${days ? ` in ${days} days` : ""}; after that it is deleted for good and anything still encrypted with it can never be decrypted`,
        hint: "Until then the deletion can be cancelled (kms:CancelKeyDeletion).",
      });
    }

    if (desired?.preventDestroy && destroys) {
      findings.push({
        severity: "error",
        code: "prevent-destroy",
        address: c.address,
        message: `${c.address} has prevent_destroy set, and this plan would ${verb} it${c.reason ? ` (${c.reason})` : ""}`,
        hint: "Change the configuration so it is kept, or remove prevent_destroy from its lifecycle block if you really mean it.",
      });
    }
  }
  return findings;
}

/**
 * A compliance-mode lock past its lock date cannot change or go. An empty vault can still be deleted ("a vault
 * can be deleted only if it is empty"), and its lock goes with it: that is not the lock changing.
 */
function lockFindings(c: ResourceChange, live: LiveResource | undefined, now: Date | undefined, goingAway: ReadonlySet<string>, findings: Finding[]): void {
  if (c.type !== "vault_lock") return;
  const lockDate = live?.facts?.lockDate;
  if (lockDate) {
    const passed = now === undefined || !(Date.parse(lockDate) > now.getTime());
    const withItsVault = c.action !== "update" && c.dependsOn.some((a) => goingAway.has(a));
    if (passed && !withItsVault && (c.action === "update" || c.action === "delete" || c.action === "replace")) {
      findings.push({
        severity: "error",
        code: "compliance-lock",
        address: c.address,
        message: `cannot ${VERB[c.action] ?? c.action} ${c.address}: its vault lock is in compliance mode and became immutable on ${lockDate}`,
        hint: "No one can change or remove a compliance-mode lock after its grace time, not even the root user. Keep the configuration as it is for this vault.",
      });
    } else if (!passed) {
      findings.push({
        severity: "warning",
        code: "compliance-lock-pending",
        address: c.address,
        message: `${c.address}: the compliance-mode lock becomes immutable on ${lockDate}; after that it can never be changed or removed`,
        hint: "Make any change to the lock before that date.",
      });
    }
    return;
  }
  const days = c.after?.changeable_for_days;
  if (typeof days === "number" && (c.action === "create" || c.action === "update" || c.action === "replace" || c.action === "adopt")) {
    findings.push({
      severity: "warning",
      code: "compliance-lock-pending",
      address: c.address,
      message: `${c.address}: compliance mode: ${days} day${days === 1 ? "" : "s"} after apply the lock becomes immutable; after that it can never be changed or removed`,
      hint: "Use the grace time to check the retention values; drop changeable_for_days for a governance-mode lock.",
    });
  }
}
