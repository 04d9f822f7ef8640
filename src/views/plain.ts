// The plan as plain text, Terraform-like: drift first, a legend of the symbols used, the changes sorted by
// address with their changed attributes only (and, for policies, the statement table and whether access
// broadens), findings, the copy routes' verdicts, and the closing summary line with the broadening count.
// Colour only adds to what symbols and words already say, so the text means the same without it.
import { isPending } from "../model/resource.js";
import { ACTION_SYMBOLS, hasChanges, type Action, type AttributeChange, type Drift, type Finding, type Plan, type ResourceChange } from "../core/plan-types.js";
import { renderRoutesText } from "./plain-routes.js";
import { policyTables, type PolicyTable, type StatementRow } from "./policy-tables.js";

export interface PlainOptions {
  color: boolean;
}

export type Paint = (style: keyof typeof STYLES, text: string) => string;

const STYLES = { bold: "1", red: "31", green: "32", yellow: "33", cyan: "36", dim: "2" } as const;

const SHOWN: readonly Action[] = ["create", "update", "delete", "replace", "adopt"];

const LEGEND: Record<string, string> = {
  create: "create",
  update: "update in place",
  delete: "destroy",
  replace: "destroy and then create replacement",
  adopt: "adopt (take ownership of an existing object)",
};

const HEADLINE: Record<string, string> = {
  create: "will be created",
  update: "will be updated in place",
  delete: "will be destroyed",
  replace: "must be replaced",
  adopt: "will be adopted",
};

const ACTION_STYLE: Record<string, keyof typeof STYLES> = { create: "green", update: "yellow", delete: "red", replace: "red", adopt: "cyan" };

export function renderPlanText(plan: Plan, opts: PlainOptions): string {
  const paint: Paint = opts.color ? (style, text) => `\x1b[${STYLES[style]}m${text}\x1b[0m` : (_style, text) => text;
  const blocks: string[] = [];
  if (plan.drift.length > 0) blocks.push(renderDrift(plan.drift, paint));

  const shown = plan.changes.filter((c) => SHOWN.includes(c.action));
  const tables = new Map(shown.map((c) => [c, policyTables(c)]));
  const tablesOf = (c: ResourceChange): PolicyTable[] => tables.get(c) ?? [];
  if (shown.length > 0) {
    const used = SHOWN.filter((a) => shown.some((c) => c.action === a));
    const legend = used.map((a) => `${paint(ACTION_STYLE[a]!, ACTION_SYMBOLS[a].padStart(3))} ${LEGEND[a]}`);
    blocks.push(["Resource actions are indicated with the following symbols:", ...legend].join("\n"));
    const intro = plan.mode === "destroy" ? `crossvault will destroy the following objects of stack ${plan.stack}:` : "crossvault will perform the following actions:";
    blocks.push([intro, ...[...shown].sort(byAddress).map((c) => renderChange(c, tablesOf(c), paint))].join("\n\n"));
  }

  if (plan.findings.length > 0) blocks.push(plan.findings.map((f) => renderFinding(f, paint)).join("\n\n"));
  if (plan.routes && plan.routes.length > 0) blocks.push(renderRoutesText(plan.routes, paint));
  if (!plan.applyable) blocks.push(paint("bold", "This plan cannot be applied: fix the errors above and plan again."));
  // Counted from the tables shown above (policyTables of the same changes), not computed twice.
  const broadening = shown.filter((c) => tablesOf(c).some((t) => t.verdict === "broadens")).length;
  blocks.push(summaryLine(plan, broadening, paint));
  return `${blocks.join("\n\n")}\n`;
}

function summaryLine(plan: Plan, broadening: number, paint: Paint): string {
  if (!hasChanges(plan) && plan.applyable) {
    const tail = plan.mode === "destroy" ? "No objects need to be destroyed." : "Your infrastructure matches the configuration.";
    return `${paint("bold", "No changes.")} ${tail}`;
  }
  const s = plan.summary;
  const adopt = s.adopt > 0 ? `, ${s.adopt} to adopt` : "";
  const access = broadening > 0 ? ` ${paint("yellow", `${broadening} ${broadening === 1 ? "change broadens" : "changes broaden"} access.`)}` : "";
  return `${paint("bold", `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy${adopt}.`)}${access}`;
}

function renderDrift(drift: readonly Drift[], paint: Paint): string {
  const lines = [
    paint("bold", "Objects changed outside crossvault"),
    "",
    "crossvault found these changes made outside crossvault since it last applied them:",
  ];
  for (const d of [...drift].sort(byAddress)) {
    lines.push("", `  # ${paint("bold", d.address)} in ${where(d)} has changed`);
    if (d.changes.length === 0) {
      lines.push("    (the attributes that changed cannot be shown: the configuration changed too)");
      continue;
    }
    lines.push(`  ${paint("yellow", "~")} ${d.address} {`, ...attributeLines(d.changes, paint), "    }");
  }
  lines.push("", "Unless the configuration is changed to match, the actions below undo these changes.");
  return lines.join("\n");
}

function renderChange(c: ResourceChange, tables: readonly PolicyTable[], paint: Paint): string {
  const reason = c.reason ? ` (${c.reason})` : "";
  const adopting = c.action === "adopt" ? " (crossvault takes ownership of the existing object)" : "";
  const head = `  # ${paint("bold", c.address)} in ${where(c)} ${HEADLINE[c.action]}${reason}${adopting}`;
  const symbol = paint(ACTION_STYLE[c.action]!, ACTION_SYMBOLS[c.action].padStart(3));
  const lines = [head, `${symbol} ${c.address} {`, ...attributeLines(c.changes, paint)];
  const hidden = c.action === "create" || c.action === "delete" ? 0 : unchangedCount(c);
  if (hidden > 0) lines.push(paint("dim", `        # (${hidden} unchanged attribute${hidden === 1 ? "" : "s"} hidden)`));
  lines.push("    }");
  for (const table of tables) lines.push("", ...renderPolicyTable(table, paint));
  return lines.join("\n");
}

const VERDICT_TEXT: Record<PolicyTable["verdict"], string> = { broadens: "broadens access", narrows: "narrows access", neutral: "does not change access" };
const COLUMNS: ReadonlyArray<[keyof StatementRow, string]> = [["mark", "±"], ["sid", "Sid"], ["effect", "Effect"], ["action", "Action"], ["principal", "Principal"], ["resource", "Resource"], ["condition", "Condition"]];
const MARK_STYLE: Record<string, keyof typeof STYLES> = { "+": "green", "-": "red", "~": "yellow" };

/** A statement table as aligned text; a cell of several values takes several lines. */
function renderPolicyTable(table: PolicyTable, paint: Paint): string[] {
  const verdict = table.verdict === "broadens" ? paint("bold", paint("yellow", VERDICT_TEXT.broadens)) : VERDICT_TEXT[table.verdict];
  const grid = [COLUMNS.map(([, title]) => [title]), ...table.rows.map((r) => COLUMNS.map(([k]) => r[k].split("\n")))];
  const widths = COLUMNS.map((_, i) => Math.max(...grid.map((row) => Math.max(...row[i]!.map((l) => l.length)))));
  const out = [`    ${table.document} statements: ${verdict}`];
  for (const [n, row] of grid.entries()) {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let l = 0; l < height; l++) {
      const parts = row.map((cell, i) => {
        const text = cell[l] ?? "";
        // The mark column, and the added / removed values inside a modified statement's cells.
        const style = n === 0 ? undefined : i === 0 ? MARK_STYLE[text] : /^[+-] /.test(text) ? MARK_STYLE[text[0]!] : undefined;
        return (style ? paint(style, text) : text) + " ".repeat(widths[i]! - text.length);
      });
      out.push(`      ${parts.join("  ")}`.trimEnd());
    }
  }
  return out;
}

function unchangedCount(c: ResourceChange): number {
  const touched = new Set(c.changes.map((a) => a.path.replace(/[.[].*$/, "")));
  const all = new Set([...Object.keys(c.before ?? {}), ...Object.keys(c.after ?? {})]);
  return [...all].filter((k) => !touched.has(k)).length;
}

function attributeLines(changes: readonly AttributeChange[], paint: Paint): string[] {
  const width = Math.max(0, ...changes.map((a) => a.path.length));
  return changes.map((a) => {
    const removed = a.after === undefined && !a.knownAfterApply;
    const added = a.before === undefined;
    const [sym, style] = added ? ["+", "green"] as const : removed ? ["-", "red"] as const : ["~", "yellow"] as const;
    const after = a.knownAfterApply && a.after === undefined ? "(known after apply)" : formatValue(a.after);
    const value = added ? after : removed ? formatValue(a.before) : `${formatValue(a.before)} -> ${after}`;
    const forces = a.forcesReplacement ? paint("red", " # forces replacement") : "";
    return `      ${paint(style, sym)} ${a.path.padEnd(width)} = ${value}${forces}`;
  });
}

/** Values as HCL-ish literals; anything known only after apply says so in its place. */
export function formatValue(v: unknown): string {
  if (isPending(v)) return "(known after apply)";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v) || (v && typeof v === "object")) return JSON.stringify(v, (_k, e: unknown) => (isPending(e) ? "(known after apply)" : e));
  return String(v);
}

function renderFinding(f: Finding, paint: Paint): string {
  const label = f.severity === "error" ? paint("red", paint("bold", "Error:")) : f.severity === "warning" ? paint("yellow", paint("bold", "Warning:")) : paint("bold", "Note:");
  const rule = f.rule ? ` ${f.rule}` : "";
  const lines = [`${label} ${f.message}${rule}`];
  if (f.hint) lines.push(...f.hint.split("\n").map((l) => `  ${l}`));
  return lines.join("\n");
}

function where(r: { accountId: string; region: string }): string {
  return r.region === "global" ? r.accountId : `${r.accountId}/${r.region}`;
}

function byAddress<T extends { address: string }>(a: T, b: T): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}
