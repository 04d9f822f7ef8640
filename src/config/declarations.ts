// What the configuration declares, by name: the first block of each type and label (duplicates are
// reported by the structure check), the locals, and how instances of `for_each` blocks are addressed.
import type { ResourceKind } from "./model.js";
import type { RawAttr, RawBlock } from "./raw.js";

export const resourceKinds: readonly ResourceKind[] = ["account", "kms_key", "vault", "backup_plan", "guardrail"];

export function isResourceKind(s: string): s is ResourceKind {
  return (resourceKinds as readonly string[]).includes(s);
}

export interface Declarations {
  settings?: RawBlock;
  organization?: RawBlock;
  variables: Map<string, RawBlock>;
  locals: Map<string, RawAttr>;
  resources: Map<ResourceKind, Map<string, RawBlock>>;
  /** `import` blocks, in source order. */
  imports: RawBlock[];
}

export function emptyDeclarations(): Declarations {
  return { variables: new Map(), locals: new Map(), resources: new Map(resourceKinds.map((k) => [k, new Map()])), imports: [] };
}

/** `backup_plan.daily`, `backup_plan.daily["prod"]`; `[*]` for the not-yet-known instances of a deferred set. */
export function instanceAddress(kind: string, label: string, key?: string | null): string {
  if (key === undefined) return `${kind}.${label}`;
  return key === null ? `${kind}.${label}[*]` : `${kind}.${label}[${JSON.stringify(key)}]`;
}
