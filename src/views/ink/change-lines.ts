// One resource change as lines: the headline (symbol, address, what happens, why, and whether it broadens
// access) and its details (changed attributes, the count of unchanged ones, policy statement tables). Used by
// the full plan and by the review, which shows the details of the resources the user opens.
import type { Action, AttributeChange, ResourceChange } from "../../core/plan-types.js";
import { ACTION_SYMBOLS } from "../../core/plan-types.js";
import { policyTables, type PolicyTable, type Verdict } from "../policy-tables.js";
import { attributeLines } from "./attribute-lines.js";
import { hang, indent, seg, type Line, type Tone } from "./lines.js";
import { tableLines, type TableRow } from "./table-lines.js";

export const ACTION_TONE: Partial<Record<Action, Tone>> = { create: "add", update: "change", delete: "remove", replace: "remove", adopt: "adopt" };

const HEADLINE: Partial<Record<Action, string>> = {
  create: "will be created",
  update: "will be updated in place",
  delete: "will be destroyed",
  replace: "must be replaced",
  adopt: "will be adopted",
};

export const VERDICT_WORDS: Record<Verdict, string> = {
  broadens: "broadens access",
  narrows: "narrows access",
  neutral: "access neither broadened nor narrowed",
};

/** The attributes whose changes a statement table shows better than attribute lines. */
const POLICY_ATTRIBUTES = new Set(["statements", "policy"]);

/** The attribute a path starts in: `rules[0].name` -> `rules`. */
const topOf = (path: string): string => path.replace(/[.[].*$/, "");

/** The symbol, right-aligned in three columns like Terraform's (`  +`, `-/+`, ` <=`). */
export function symbolOf(action: Action): string {
  return ACTION_SYMBOLS[action].padStart(3);
}

/** The verdict of a change over all its tables: broadening wins, then narrowing. */
export function verdictOf(tables: readonly PolicyTable[]): Verdict | undefined {
  if (tables.length === 0) return undefined;
  if (tables.some((t) => t.verdict === "broadens")) return "broadens";
  return tables.some((t) => t.verdict === "narrows") ? "narrows" : "neutral";
}

export function verdictSegments(verdict: Verdict | undefined): Line {
  if (verdict === "broadens") return [seg("  "), seg("! broadens access", "danger", true)];
  if (verdict === "narrows") return [seg("  "), seg("narrows access", "good")];
  return [];
}

export function headline(c: ResourceChange, verdict: Verdict | undefined): Line {
  const tone = ACTION_TONE[c.action];
  const reason = c.reason ? ` (${c.reason})` : "";
  return [seg(symbolOf(c.action), tone, true), hang(seg(" ")), seg(c.address, undefined, true), seg(` ${HEADLINE[c.action] ?? c.action}${reason}`), ...verdictSegments(verdict)];
}

/** Top-level attributes that did not change (Terraform's "unchanged attributes hidden"). */
export function unchangedCount(c: ResourceChange): number {
  if (c.action === "create" || c.action === "delete") return 0;
  const touched = new Set(c.changes.map((a) => topOf(a.path)));
  const all = new Set([...Object.keys(c.before ?? {}), ...Object.keys(c.after ?? {})]);
  return [...all].filter((k) => !touched.has(k)).length;
}

/**
 * A created (or destroyed) attribute with several nested values (a backup plan's rules) reads better as its
 * whole value than as one line per leaf; an update keeps its leaves, which say exactly what changes.
 */
export function wholeValues(c: ResourceChange, changes: readonly AttributeChange[]): AttributeChange[] {
  if (c.action !== "create" && c.action !== "delete") return [...changes];
  const out: AttributeChange[] = [];
  const done = new Set<string>();
  for (const a of changes) {
    const top = topOf(a.path);
    if (done.has(top)) continue;
    const side = c.action === "create" ? c.after?.[top] : c.before?.[top];
    if (top === a.path || side === undefined || changes.filter((x) => topOf(x.path) === top).length < 2) {
      out.push(a);
      continue;
    }
    done.add(top);
    out.push(c.action === "create" ? { path: top, after: side } : { path: top, before: side });
  }
  return out;
}

/** The details of a change, for a terminal `width` columns wide (tables fit it). */
export function detailLines(c: ResourceChange, tables: readonly PolicyTable[], width: number): Line[] {
  const out: Line[] = [];
  if (c.action === "adopt") out.push([seg("# crossvault takes ownership of the existing object", "muted")]);
  const attributes = tables.length > 0 ? c.changes.filter((a) => !POLICY_ATTRIBUTES.has(topOf(a.path))) : c.changes;
  out.push(...attributeLines(wholeValues(c, attributes)));
  const hidden = unchangedCount(c);
  if (hidden > 0) out.push([seg(`# (${hidden} unchanged attribute${hidden === 1 ? "" : "s"} hidden)`, "muted")]);
  for (const t of tables) out.push(...policyTableLines(t, width));
  return out;
}

const MARK_TONE: Record<string, Tone> = { "+": "add", "-": "remove", "~": "change" };

export function policyTableLines(t: PolicyTable, width: number): Line[] {
  const withResource = t.rows.some((r) => r.resource !== "*" && r.resource !== "");
  const headers = ["±", "Sid", "Effect", "Action", "Principal", ...(withResource ? ["Resource"] : []), "Condition"];
  const rows: TableRow[] = t.rows.map((r) => ({
    cells: [r.mark, r.sid, r.effect, r.action, r.principal, ...(withResource ? [r.resource] : []), r.condition],
    tones: [MARK_TONE[r.mark]],
  }));
  const verdict = t.verdict === "broadens" ? seg(VERDICT_WORDS.broadens, "danger", true) : seg(VERDICT_WORDS[t.verdict], t.verdict === "narrows" ? "good" : "muted");
  const title: Line = [seg(`${t.document} statements: `), ...(t.verdict === "broadens" ? [seg("! ", "danger", true)] : []), verdict];
  const note: Line[] = withResource ? [] : [[seg("(Resource is * in every statement)", "muted")]];
  return [title, ...tableLines(headers, rows, width, 2), ...note];
}

const TABLES = new WeakMap<ResourceChange, PolicyTable[]>();

/** policyTables, computed once per change (the plan view, its summary and the review all ask). */
export function tablesOf(c: ResourceChange): PolicyTable[] {
  let tables = TABLES.get(c);
  if (!tables) {
    tables = policyTables(c);
    TABLES.set(c, tables);
  }
  return tables;
}

/** Headline and, when `open`, the details indented under it; `width` is the terminal's. */
export function changeLines(c: ResourceChange, width: number, open = true): Line[] {
  const tables = tablesOf(c);
  const head = headline(c, verdictOf(tables));
  if (!open) return [head];
  const detailIndent = 6;
  return [head, ...indent(detailLines(c, tables, Math.max(20, width - detailIndent)), detailIndent)];
}
