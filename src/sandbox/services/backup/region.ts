// The caller's AWS Backup state: every Backup operation acts on the caller's own account-region, and finds
// its vaults there (BEHAVIOUR.md §2.2: the vault name is looked up in the caller's own account).
import type { OperationContext } from "../../service.js";
import type { BackupRegionState, Vault } from "./state.js";
import { regionState } from "../../world.js";
import { notFound } from "./errors.js";

export function backupRegion(ctx: OperationContext): BackupRegionState {
  return regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).backup;
}

export function findVault(ctx: OperationContext, name: unknown): Vault {
  const vault = typeof name === "string" ? backupRegion(ctx).vaults[name] : undefined;
  if (!vault) {
    throw notFound(`Backup vault ${String(name)} does not exist in account ${ctx.caller.accountId} in ${ctx.region}.`, String(name));
  }
  return vault;
}
