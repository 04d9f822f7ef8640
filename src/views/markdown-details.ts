// The per-resource part of the Markdown plan: a ```diff block of the changed attributes (values that span
// lines, such as policy documents and rule lists, diffed line by line with the `diff` package), the policy
// statement tables with their verdict, and the Markdown escaping every part of the comment shares.
import { diffLines } from "diff";
import { isPending } from "../model/resource.js";
import { ACTION_SYMBOLS, type AttributeChange, type Drift, type ResourceChange } from "../core/plan-types.js";
import type { PolicyTable } from "./policy-tables.js";

/** Text that Markdown must show as written (no emphasis, links, HTML or table cells out of it). */
export function mdText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : `\\${c}`));
}

/** Inline code that survives any backticks in it. */
export function mdCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced block whose fence is longer than any run of backticks inside it. */
export function fenced(info: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

export function where(r: { accountId: string; region: string }): string {
  return r.region === "global" ? r.accountId : `${r.accountId}/${r.region}`;
}

const HEADLINE: Record<string, string> = {
  create: "will be created",
  update: "will be updated in place",
  delete: "will be destroyed",
  replace: "must be replaced",
  adopt: "will be adopted (crossvault takes ownership of the existing object)",
};

const VERDICT: Record<PolicyTable["verdict"], string> = { broadens: "**broadens access**", narrows: "narrows access", neutral: "does not change access" };

/** JSON with values known only after apply in their place, two-space indented. */
function pretty(v: unknown): string {
  if (isPending(v)) return "(known after apply)";
  if (typeof v === "string") return v.includes("\n") ? v : JSON.stringify(v);
  return JSON.stringify(v, (_k, e: unknown) => (isPending(e) ? "(known after apply)" : e), 2) ?? String(v);
}

/** A value on one line, as the plain view writes it. */
function inline(v: unknown): string {
  if (isPending(v)) return "(known after apply)";
  if (typeof v === "string") return JSON.stringify(v);
  return JSON.stringify(v, (_k, e: unknown) => (isPending(e) ? "(known after apply)" : e)) ?? String(v);
}

const spansLines = (v: unknown): boolean => v !== undefined && pretty(v).includes("\n");

function attributeLines(a: AttributeChange): string[] {
  const forces = a.forcesReplacement ? "  # forces replacement" : "";
  const after = a.knownAfterApply && a.after === undefined ? "(known after apply)" : undefined;
  if (a.before === undefined && !spansLines(a.after)) return [`+ ${a.path} = ${after ?? inline(a.after)}${forces}`];
  if (a.after === undefined && after === undefined && !spansLines(a.before)) return [`- ${a.path} = ${inline(a.before)}${forces}`];
  if (!spansLines(a.before) && !spansLines(a.after)) return [`- ${a.path} = ${inline(a.before)}`, `+ ${a.path} = ${after ?? inline(a.after)}${forces}`];
  const b = a.before === undefined ? "" : `${pretty(a.before)}\n`;
  const n = after !== undefined ? `${after}\n` : a.after === undefined ? "" : `${pretty(a.after)}\n`;
  const sym = a.before === undefined ? "+" : n === "" ? "-" : "~";
  const out = [`${sym} ${a.path} =${forces}`];
  for (const part of diffLines(b, n)) {
    const mark = part.added ? "+" : part.removed ? "-" : " ";
    for (const line of part.value.replace(/\n$/, "").split("\n")) out.push(`${mark}     ${line}`);
  }
  return out;
}

const isPolicyPath = (path: string): boolean => /^(statements|policy)([.[]|$)/.test(path);

function unchangedCount(c: ResourceChange): number {
  if (c.action === "create" || c.action === "delete") return 0;
  const touched = new Set(c.changes.map((a) => a.path.replace(/[.[].*$/, "")));
  const all = new Set([...Object.keys(c.before ?? {}), ...Object.keys(c.after ?? {})]);
  return [...all].filter((k) => !touched.has(k)).length;
}

/** One resource: a heading, the changed attributes as a diff, and its policy tables. */
export function changeDetail(c: ResourceChange, tables: readonly PolicyTable[]): string {
  const symbol = ACTION_SYMBOLS[c.action];
  const verdicts = tables.map((t) => `${t.document} ${VERDICT[t.verdict]}`);
  const head = [`##### ${mdCode(`${symbol} ${c.address}`)}`, "", [mdCode(where(c)), `${HEADLINE[c.action] ?? c.action}${c.reason ? ` (${mdText(c.reason)})` : ""}`, ...verdicts].join(" · ")];
  const body: string[] = [];
  const shownInTables = tables.length > 0;
  let policyNoted = false;
  for (const a of c.changes) {
    if (shownInTables && isPolicyPath(a.path)) {
      if (!policyNoted) body.push("  # policy statements: see the table below");
      policyNoted = true;
      continue;
    }
    body.push(...attributeLines(a));
  }
  const hidden = unchangedCount(c);
  if (hidden > 0) body.push(`  # (${hidden} unchanged attribute${hidden === 1 ? "" : "s"} hidden)`);
  const parts = [head.join("\n")];
  if (body.length > 0) parts.push(fenced("diff", body.join("\n")));
  for (const t of tables) parts.push(policyTableMarkdown(t));
  return parts.join("\n\n");
}

export function driftDetail(d: Drift): string {
  const head = `##### ${mdCode(`! ${d.address}`)}\n\n${mdCode(where(d))} · changed outside crossvault`;
  if (d.changes.length === 0) return `${head}\n\nThe attributes that changed cannot be shown: the configuration changed too.`;
  return `${head}\n\n${fenced("diff", d.changes.flatMap(attributeLines).join("\n"))}`;
}

const cell = (text: string): string => (text === "" ? " " : text.split("\n").map(mdText).join("<br>"));

export function policyTableMarkdown(t: PolicyTable): string {
  const rows = t.rows.map((r) => `| ${[r.mark, r.sid, r.effect, r.action, r.principal, r.resource, r.condition].map(cell).join(" | ")} |`);
  return [
    `${t.document[0]!.toUpperCase()}${t.document.slice(1)} statements: ${VERDICT[t.verdict]}`,
    "",
    "| ± | Sid | Effect | Action | Principal | Resource | Condition |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}
