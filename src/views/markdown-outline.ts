// The outline of the Markdown plan: every address the plan acts on, with its symbol, grouped by account (one
// ```diff block each, so GitHub colours additions and deletions). Under a size budget each account lists at most
// `quota` addresses, the broadening, destroyed and replaced ones first, and counts the rest by action.
import { ACTION_SYMBOLS, type Action } from "../core/plan-types.js";
import { fenced, mdCode } from "./markdown-details.js";

export interface OutlineEntry {
  accountId: string;
  region: string;
  address: string;
  action: Action;
  note: string;
  /** When the outline is shortened, lower ranks are listed first (0: broadens access, 1: destroyed or replaced). */
  rank: number;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function line(e: OutlineEntry, width: number): string {
  const region = e.region === "global" ? "" : e.region;
  return `${ACTION_SYMBOLS[e.action].padEnd(3)} ${e.address.padEnd(width)}  ${region}${e.note ? `  ${e.note}` : ""}`.trimEnd();
}

function counts(entries: readonly OutlineEntry[]): string {
  const by = new Map<string, number>();
  for (const e of entries) by.set(ACTION_SYMBOLS[e.action], (by.get(ACTION_SYMBOLS[e.action]) ?? 0) + 1);
  return [...by].sort(([a], [b]) => compare(a, b)).map(([symbol, n]) => `${symbol} ${n}`).join(", ");
}

/**
 * The outline; `quota` bounds the addresses listed per account (Infinity: all). With quota 0 each account is
 * one line of counts. Drifted addresses come first, in a group of their own.
 */
export function outlineMarkdown(entries: readonly OutlineEntry[], drifted: readonly string[], quota: number): string {
  if (entries.length === 0 && drifted.length === 0) return "";
  const parts = ["#### Changes by account"];
  if (drifted.length > 0) {
    const listedDrift = quota === Infinity ? drifted : drifted.slice(0, Math.max(quota, 1));
    const rest = drifted.length - listedDrift.length;
    parts.push(`Changed outside crossvault (the plan undoes this unless the configuration is changed to match):\n\n${fenced("diff", [...listedDrift.map((a) => `!   ${a}`), ...(rest > 0 ? [`    … and ${rest} more`] : [])].join("\n"))}`);
  }
  const accounts = new Map<string, OutlineEntry[]>();
  for (const e of entries) {
    const list = accounts.get(e.accountId);
    if (list) list.push(e);
    else accounts.set(e.accountId, [e]);
  }
  const ids = [...accounts.keys()].sort(compare);
  if (quota === 0) {
    parts.push(fenced("", ids.map((id) => `${id}  ${counts(accounts.get(id)!)}`).join("\n")));
    return parts.join("\n\n");
  }
  for (const id of ids) {
    const all = accounts.get(id)!;
    const listed = new Set(all.length > quota ? [...all].sort((a, b) => a.rank - b.rank || compare(a.address, b.address)).slice(0, quota) : all);
    const sorted = all.filter((e) => listed.has(e)).sort((a, b) => compare(a.address, b.address));
    const width = Math.min(60, Math.max(...sorted.map((e) => e.address.length)));
    const lines = sorted.map((e) => line(e, width));
    const rest = all.filter((e) => !listed.has(e));
    if (rest.length > 0) lines.push(`    … and ${rest.length} more (${counts(rest)})`);
    parts.push(`Account ${mdCode(id)}\n\n${fenced("diff", lines.join("\n"))}`);
  }
  return parts.join("\n\n");
}
