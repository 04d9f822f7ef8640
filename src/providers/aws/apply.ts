// One planned change carried out against AWS. Pending values are resolved from what was applied before; each
// resource type has its writer. Actions:
// - create, update, delete as planned; "read" and "no-op" do nothing;
// - replace = delete then create, here (so the walk treats it as one step; a vault with recovery points fails
//   at the delete and nothing is created);
// - adopt = take ownership (ownership tags; a key also gets the stack's marker alias) and make the object
//   match the configuration.
import type { ResourceChange } from "../../core/plan-types.js";
import type { Attributes } from "../../model/resource.js";
import type { ClientPool } from "./clients.js";
import { createKey, deleteKey, DEFAULT_DELETION_WINDOW_DAYS, updateKey } from "./write-keys.js";
import { createGuardrail, deleteGuardrail, enablePolicyType, updateGuardrail } from "./write-guardrails.js";
import { leaveOrgSetting, writeCrossAccountSetting, writeOrgTrust } from "./write-org.js";
import { createPlan, createSelection, deletePlan, deleteSelection, updatePlan } from "./write-plans.js";
import { shareKeyId, statementsIn, vaultPolicyTarget, writeKeyShare, writeVaultPolicy } from "./write-policies.js";
import { createVault, deleteVault, deleteVaultLock, putVaultLock, updateVault } from "./write-vaults.js";
import { ApplyError, resolveAttributes, str, Write } from "./write-context.js";
import type { ApplyContext, ApplyResult } from "./write-context.js";

export type { ApplyContext, ApplyResult } from "./write-context.js";
export { ApplyError } from "./write-context.js";

interface Writer {
  create(w: Write, after: Attributes): Promise<ApplyResult>;
  update(w: Write, before: Attributes, after: Attributes, adopting: boolean): Promise<ApplyResult>;
  delete(w: Write, before: Attributes): Promise<void>;
}

function idOf(w: Write): string {
  if (!w.change.id) throw new ApplyError(w.address, "the plan does not name the live object to change; run plan again");
  return w.change.id;
}

function windowOf(c: ResourceChange): number {
  const fromConfig = c.after?.deletion_window_days;
  return c.deletionWindowDays ?? (typeof fromConfig === "number" ? fromConfig : DEFAULT_DELETION_WINDOW_DAYS);
}

const WRITERS: Record<ResourceChange["type"], Writer | undefined> = {
  vault: {
    create: createVault,
    update: (w, before, after) => updateVault(w, before, after, w.change.id),
    delete: deleteVault,
  },
  vault_lock: {
    create: putVaultLock,
    update: (w, _before, after) => putVaultLock(w, after),
    delete: deleteVaultLock,
  },
  vault_policy: {
    create: (w, after) => writeVaultPolicy(w, vaultPolicyTarget(after), statementsIn(after)),
    update: (w, _before, after) => writeVaultPolicy(w, vaultPolicyTarget(after), statementsIn(after)),
    delete: async (w, before) => void (await writeVaultPolicy(w, vaultPolicyTarget(before), [])),
  },
  kms_key: {
    create: createKey,
    update: (w, before, after, adopting) => updateKey(w, before, after, idOf(w), adopting),
    delete: (w, before) => deleteKey(w, before, idOf(w), windowOf(w.change)),
  },
  key_share: {
    create: (w, after) => writeKeyShare(w, shareKeyId(str(after.key_arn), undefined), str(after.key_arn), str(after.destination_account), statementsIn(after)),
    update: (w, _before, after) => writeKeyShare(w, shareKeyId(str(after.key_arn), w.change.id), str(after.key_arn), str(after.destination_account), statementsIn(after)),
    delete: async (w, before) => void (await writeKeyShare(w, shareKeyId(str(before.key_arn), w.change.id), str(before.key_arn), str(before.destination_account), [])),
  },
  backup_plan: {
    create: createPlan,
    update: (w, before, after, adopting) => updatePlan(w, before, after, idOf(w), adopting),
    delete: (w) => deletePlan(w, idOf(w)),
  },
  backup_selection: {
    create: createSelection,
    // Selections are immutable: a change is a new selection in place of the old one.
    update: async (w, before, after) => {
      await deleteSelection(w, before, idOf(w));
      return createSelection(w, after);
    },
    delete: (w, before) => deleteSelection(w, before, idOf(w)),
  },
  // Trusted access, or a policy type enabled at the root (`org_trust.scp_policy_type`, for guardrails).
  org_trust: {
    create: (w, after) => (after.policy_type !== undefined ? enablePolicyType(w, after) : writeOrgTrust(w, after)),
    update: (w, _before, after) => (after.policy_type !== undefined ? enablePolicyType(w, after) : writeOrgTrust(w, after)),
    delete: async (w) => void leaveOrgSetting(w),
  },
  cross_account_setting: {
    create: writeCrossAccountSetting,
    update: (w, _before, after) => writeCrossAccountSetting(w, after),
    delete: async (w) => void leaveOrgSetting(w),
  },
  guardrail: {
    create: createGuardrail,
    update: (w, before, after) => updateGuardrail(w, before, after, idOf(w)),
    delete: (w) => deleteGuardrail(w, idOf(w)),
  },
};

export async function applyChange(pool: ClientPool, change: ResourceChange, ctx: ApplyContext): Promise<ApplyResult> {
  if (change.action === "read" || change.action === "no-op") return {};
  const writer = WRITERS[change.type];
  if (!writer) throw new ApplyError(change.address, `applying ${change.type} resources is not supported yet`);
  const w = new Write(pool, change, ctx);
  const after = change.after ? resolveAttributes(change.after, ctx, change.address) : null;
  const before = change.before;
  const need = <T>(v: T | null, what: string): T => {
    if (v === null) throw new ApplyError(change.address, `a ${change.action} needs the ${what} attributes; the plan is malformed, run plan again`);
    return v;
  };
  switch (change.action) {
    case "create":
      return writer.create(w, need(after, "desired"));
    case "update":
      return writer.update(w, need(before, "live"), need(after, "desired"), false);
    case "adopt":
      return writer.update(w, need(before, "live"), need(after, "desired"), true);
    case "delete":
      await writer.delete(w, need(before, "live"));
      return {};
    case "replace":
      await writer.delete(w, need(before, "live"));
      return writer.create(w, need(after, "desired"));
  }
}
