// Adoption: the desired resources an `import` block names are marked `adopt`, so that diff takes a same-named
// object that is not ours over (action "adopt") instead of reporting it in the way. What lives inside an
// adopted object goes with it: a vault's lock, a plan's selections (the reader reports them with their
// container's ownership). Vault policies and key shares need nothing: only the stack's statements are
// managed there, whoever owns the vault or key.
import type { ImportDecl } from "../config/model.js";
import type { DesiredResource, ResourceType } from "./resource.js";

/** Kinds contained in another resource, and the kind of their container. */
const CONTAINER: Partial<Record<ResourceType, ResourceType>> = { vault_lock: "vault", backup_selection: "backup_plan" };

export function markAdoptions(imports: readonly ImportDecl[], resources: readonly DesiredResource[]): void {
  const adopted = new Set(imports.flatMap((i) => i.instances));
  if (adopted.size === 0) return;
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  for (const r of resources) {
    const container = CONTAINER[r.type];
    const inAdopted = container !== undefined && r.dependsOn.some((a) => adopted.has(a) && byAddress.get(a)?.type === container);
    if (adopted.has(r.address) || inAdopted) r.adopt = true;
  }
}
