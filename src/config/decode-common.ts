// Shared pieces of decoding blocks into declarations: the decode context, region and tag handling.
import type { Diagnostic } from "./diagnostics.js";
import type { Evaluator } from "./evaluation.js";
import { suggest } from "./expr/suggest.js";
import type { BlockReader } from "./reader.js";
import { isRegion, REGIONS, tagProblems } from "./rules.js";

export interface DecodeContext {
  ev: Evaluator;
  diags: Diagnostic[];
  defaultRegion?: string;
  /** default_region is set, even if to something invalid (reported once, at the setting). */
  defaultRegionSet?: boolean;
  /** Declared account name -> id, once the accounts are decoded. */
  accountIds: Map<string, string>;
  /** The reader each declaration was decoded with, so later checks can point at its attributes. */
  readers: WeakMap<object, BlockReader>;
}

/** Checks a region name; undefined when it is not known to AWS. */
export function checkRegion(r: BlockReader, name: string, region: string): string | undefined {
  if (isRegion(region)) return region;
  const s = suggest(region, REGIONS);
  r.problem(name, "unknown-region", `"${region}" is not an AWS Region`, s ? `Did you mean "${s}"?` : "Use a Region code such as eu-west-1 or us-east-1.");
  return undefined;
}

/** The block's `region`, else the stack's default_region; reports when there is neither. */
export function regionOf(ctx: DecodeContext, r: BlockReader): string | undefined {
  const own = r.string("region");
  if (own !== undefined) return checkRegion(r, "region", own);
  if (r.has("region")) return undefined;
  if (ctx.defaultRegion !== undefined) return ctx.defaultRegion;
  if (!r.deferred && !ctx.defaultRegionSet) {
    r.problem(undefined, "missing-attribute", `${r.block.type} needs a region`, 'Set region = "eu-west-1" here, or default_region in the crossvault block.');
  }
  return undefined;
}

/** `reserved`: how many tags of its own crossvault adds to the resource (OWN_TAGS). */
export function tagsOf(r: BlockReader, name: string, reserved = 0): Record<string, string> {
  const tags = r.stringMap(name);
  const hint = reserved > 0
    ? `AWS allows at most 50 tags, of which crossvault uses ${reserved} (prefix crossvault:), keys up to 128 characters, values up to 256, and reserves the aws: prefix.`
    : "AWS allows at most 50 tags, keys up to 128 characters, values up to 256, and reserves the aws: prefix.";
  for (const p of tagProblems(tags, reserved)) r.problem(name, "invalid-tags", p, hint);
  return tags;
}

/** Only the attributes of `allowed` may be set (for choices such as an existing key vs a created one). */
export function onlyAttributes(r: BlockReader, allowed: string[], why: string): void {
  for (const name of r.block.attrs.keys()) {
    if (!allowed.includes(name)) r.problem(name, "conflicting-attributes", `${name} cannot be set ${why}`, `Remove ${name}, or the attribute that makes it not apply.`);
  }
}
