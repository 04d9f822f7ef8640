// `crossvault destroy [DIR]`: plan the deletion of every object the stack owns (what depends on an object
// goes first), show it, ask, and carry it out under the stack lock. The plan refuses what must not go: a vault
// that still holds recovery points (crossvault never deletes them) and anything with prevent_destroy. Trusted
// access and the cross-account setting are left on: no one owns them, and other stacks may rely on them.
import { planAndApply, type ApplyCommandOptions } from "./apply.js";

export async function destroyCommand(dir: string, opts: ApplyCommandOptions): Promise<number> {
  return planAndApply(dir, opts, "destroy");
}
