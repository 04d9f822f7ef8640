// Changed attributes as lines, Terraform-like: `+ path = value`, `- path = value`, `~ path = old -> new`.
// A value that spans lines (a statement, a rule, a list of objects, text with newlines) is shown as a line diff
// of its two versions (the `diff` package), with long unchanged runs folded, so the change stands out.
import { diffLines } from "diff";
import type { AttributeChange } from "../../core/plan-types.js";
import { isPending } from "../../model/resource.js";
import { formatValue } from "../plain.js";
import { seg, type Line, type Tone } from "./lines.js";

/** Unchanged lines kept around each changed run in a multi-line diff. */
const CONTEXT = 2;
/** A structured value longer than this on one line is shown as a block. */
const INLINE_LIMIT = 60;
const KNOWN_AFTER_APPLY = "(known after apply)";

type Kind = "add" | "remove" | "change";

const MARK: Record<Kind, [string, Tone]> = { add: ["+", "add"], remove: ["-", "remove"], change: ["~", "change"] };

function kindOf(a: AttributeChange): Kind {
  if (a.before === undefined) return "add";
  if (a.after === undefined && !a.knownAfterApply) return "remove";
  return "change";
}

function pretty(v: unknown): string {
  if (typeof v === "string") return v;
  return JSON.stringify(v, (_k, e: unknown) => (isPending(e) ? KNOWN_AFTER_APPLY : e), 2);
}

function spansLines(v: unknown): boolean {
  if (v === undefined || isPending(v)) return false;
  if (typeof v === "string") return v.includes("\n");
  if (typeof v !== "object" || v === null) return false;
  const compact = formatValue(v);
  return compact.length > INLINE_LIMIT && pretty(v).includes("\n");
}

export function isBlockChange(a: AttributeChange): boolean {
  return spansLines(a.before) || spansLines(a.after);
}

function afterText(a: AttributeChange): string {
  return a.knownAfterApply && a.after === undefined ? KNOWN_AFTER_APPLY : formatValue(a.after);
}

function forces(a: AttributeChange): Line {
  return a.forcesReplacement ? [seg("  # forces replacement", "danger", true)] : [];
}

/** Paths are aligned up to this width; a longer path is not padded to, so one long path cannot push every "=" off-screen. */
const ALIGN_LIMIT = 32;

/** The lines of a set of changed attributes, paths aligned like Terraform's. */
export function attributeLines(changes: readonly AttributeChange[]): Line[] {
  const inline = changes.filter((a) => !isBlockChange(a));
  const width = Math.max(0, ...inline.map((a) => a.path.length).filter((n) => n <= ALIGN_LIMIT));
  const out: Line[] = [];
  for (const a of changes) {
    const kind = kindOf(a);
    const [mark, tone] = MARK[kind];
    if (isBlockChange(a)) {
      out.push([seg(mark, tone, true), seg(` ${a.path}:`), ...forces(a)]);
      out.push(...blockLines(a.before, a.knownAfterApply && a.after === undefined ? KNOWN_AFTER_APPLY : a.after));
      continue;
    }
    const value = kind === "add" ? afterText(a) : kind === "remove" ? formatValue(a.before) : `${formatValue(a.before)} -> ${afterText(a)}`;
    out.push([seg(mark, tone, true), seg(` ${a.path.padEnd(width)} = ${value}`), ...forces(a)]);
  }
  return out;
}

/**
 * Two versions of a value as a line diff: `-` removed lines, `+` added lines, unchanged lines as context, and
 * runs of unchanged lines longer than the context folded into one `# (N unchanged lines)` line.
 */
export function blockLines(before: unknown, after: unknown): Line[] {
  const parts = diffLines(before === undefined ? "" : `${pretty(before)}\n`, after === undefined ? "" : `${pretty(after)}\n`);
  const rows: Array<{ mark: " " | "+" | "-"; text: string }> = [];
  for (const p of parts) {
    const mark = p.added ? "+" : p.removed ? "-" : " ";
    const texts = p.value.split("\n");
    if (texts.at(-1) === "") texts.pop();
    for (const text of texts) rows.push({ mark, text });
  }
  const changed = rows.map((r) => r.mark !== " ");
  const near = (i: number): boolean => {
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(rows.length - 1, i + CONTEXT); j++) if (changed[j]) return true;
    return false;
  };
  const out: Line[] = [];
  let folded = 0;
  const flush = (): void => {
    if (folded > 0) out.push([seg(`    # (${folded} unchanged line${folded === 1 ? "" : "s"})`, "muted")]);
    folded = 0;
  };
  rows.forEach((r, i) => {
    if (r.mark === " " && !near(i)) {
      folded++;
      return;
    }
    flush();
    if (r.mark === " ") out.push([seg(`    ${r.text}`, "muted")]);
    else out.push([seg(`  ${r.mark} `, r.mark === "+" ? "add" : "remove", true), seg(r.text, r.mark === "+" ? "add" : "remove")]);
  });
  flush();
  return out;
}
