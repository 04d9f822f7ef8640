// Policy changes as statement tables (± | Sid | Effect | Action | Principal | Resource | Condition) with a
// verdict per change: does it broaden access, narrow it, or neither. Shared by every view (plain, Markdown,
// the terminal UI), so it is pure data: no colour, no layout. A cell holding several values (actions,
// principals, conditions) puts one value per line ("\n"); in a modified statement ("~") a cell that changed
// marks each value "+ " (added), "- " (removed) or "  " (kept).
import { canonicalJson } from "../model/ownership.js";
import { normalizeStatement } from "../model/policy-normal.js";
import { isPending } from "../model/resource.js";
import type { Plan, ResourceChange } from "../core/plan-types.js";
import { statementCovers, valuesOf, type RawStatement } from "./policy-order.js";

export interface StatementRow {
  mark: "+" | "-" | "~";
  sid: string;
  effect: string;
  action: string;
  principal: string;
  resource: string;
  condition: string;
}

export type Verdict = "broadens" | "narrows" | "neutral";

export interface PolicyTable {
  address: string;
  document: "vault access policy" | "key policy" | "service control policy";
  rows: StatementRow[];
  verdict: Verdict;
}

const DOCUMENTS: Partial<Record<ResourceChange["type"], PolicyTable["document"]>> = {
  vault_policy: "vault access policy",
  key_share: "key policy",
  kms_key: "key policy",
  guardrail: "service control policy",
};

/** Where a change's attributes keep statements: a `statements` list, or a `policy` document (object or JSON text). */
const SOURCES = ["statements", "policy"] as const;

/** The statement tables of one change; [] when it holds no policy content or none of it changes. */
export function policyTables(change: ResourceChange): PolicyTable[] {
  const document = DOCUMENTS[change.type];
  if (!document || change.action === "no-op" || change.action === "read") return [];
  const tables: PolicyTable[] = [];
  for (const source of SOURCES) {
    const before = statementsIn(change.before?.[source]);
    const after = statementsIn(change.after?.[source]);
    if (before === undefined && after === undefined) continue;
    const rows = compareStatements(before ?? [], after ?? []);
    if (rows.length === 0) continue;
    tables.push({ address: change.address, document, rows: rows.map((r) => r.row), verdict: combine(rows.map((r) => r.verdict)) });
  }
  return tables;
}

/** How many changes of the plan broaden access. */
export function countBroadening(plan: Plan): number {
  return plan.changes.filter((c) => policyTables(c).some((t) => t.verdict === "broadens")).length;
}

function combine(verdicts: Verdict[]): Verdict {
  if (verdicts.includes("broadens")) return "broadens";
  return verdicts.includes("narrows") ? "narrows" : "neutral";
}

function statementsIn(v: unknown): RawStatement[] | undefined {
  if (v === undefined || v === null) return undefined;
  let doc: unknown = v;
  if (typeof v === "string") {
    try {
      doc = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  const list = Array.isArray(doc) ? doc : isRecord(doc) ? (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement]) : undefined;
  if (!list) return undefined;
  // The normal form where a statement has one (lists sorted, account ids as root ARNs), so that spelling does
  // not look like a change; a statement holding a value known only after apply stays as written.
  return list.filter(isRecord).map((s) => (normalizeStatement(s) as RawStatement | undefined) ?? s);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isPending(v);
}

const sidOf = (s: RawStatement): string => (typeof s.Sid === "string" ? s.Sid : "");
const withoutSid = (s: RawStatement): string => canonicalJson({ ...s, Sid: undefined });

/** Statements keyed by Sid (repeats numbered); those without a Sid by their content. */
function keyed(list: RawStatement[]): Map<string, RawStatement> {
  const out = new Map<string, RawStatement>();
  const seen = new Map<string, number>();
  for (const s of list) {
    const sid = sidOf(s);
    if (sid === "") {
      out.set(`\0${canonicalJson(s)}`, s);
      continue;
    }
    const n = (seen.get(sid) ?? 0) + 1;
    seen.set(sid, n);
    out.set(n === 1 ? sid : `${sid}#${n}`, s);
  }
  return out;
}

interface JudgedRow {
  key: string;
  row: StatementRow;
  verdict: Verdict;
}

function compareStatements(before: RawStatement[], after: RawStatement[]): JudgedRow[] {
  const b = keyed(before);
  const a = keyed(after);
  const out: JudgedRow[] = [];
  const removed: Array<[string, RawStatement]> = [];
  const added: Array<[string, RawStatement]> = [];
  for (const [key, s] of b) {
    const next = a.get(key);
    if (!next) removed.push([key, s]);
    else if (canonicalJson(s) !== canonicalJson(next)) out.push({ key, row: modifiedRow(s, next), verdict: modifiedVerdict(s, next) });
  }
  for (const [key, s] of a) if (!b.has(key)) added.push([key, s]);
  // A statement that only changed its Sid grants the same as before: one "~" row, no verdict of its own.
  for (const [rKey, r] of [...removed]) {
    const twin = added.findIndex(([, s]) => withoutSid(s) === withoutSid(r));
    if (twin < 0) continue;
    const [aKey, s] = added.splice(twin, 1)[0]!;
    removed.splice(removed.findIndex(([k]) => k === rKey), 1);
    out.push({ key: aKey, row: modifiedRow(r, s), verdict: "neutral" });
  }
  for (const [key, s] of removed) out.push({ key, row: { mark: "-", ...cells(s) }, verdict: effectOf(s) === "Deny" ? "broadens" : effectOf(s) === "Allow" ? "narrows" : "broadens" });
  for (const [key, s] of added) out.push({ key, row: { mark: "+", ...cells(s) }, verdict: effectOf(s) === "Deny" ? "narrows" : "broadens" });
  return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : markOrder(x.row.mark) - markOrder(y.row.mark)));
}

const markOrder = (m: StatementRow["mark"]): number => ["-", "~", "+"].indexOf(m);
const effectOf = (s: RawStatement): string => (typeof s.Effect === "string" ? s.Effect : "");

/**
 * A statement kept under its Sid but changed. An Allow that covers more (or a Deny that covers less) broadens;
 * the opposite narrows. When neither version covers the other the change cannot be ordered (say one action
 * swapped for another): it is called "broadens", because something is now allowed that was not, and a
 * reviewer must look rather than be told it is safe.
 */
function modifiedVerdict(before: RawStatement, after: RawStatement): Verdict {
  const was = effectOf(before);
  const is = effectOf(after);
  if (was !== is) return was === "Allow" && is === "Deny" ? "narrows" : "broadens";
  const wider = statementCovers(after, before);
  const narrower = statementCovers(before, after);
  if (wider && narrower) return "neutral";
  if (wider) return is === "Deny" ? "narrows" : "broadens";
  if (narrower) return is === "Deny" ? "broadens" : "narrows";
  return "broadens";
}

type Cells = Omit<StatementRow, "mark">;

function cells(s: RawStatement): Cells {
  return {
    sid: sidOf(s),
    effect: effectOf(s),
    action: notList(s, "Action").join("\n"),
    principal: principalLines(s).join("\n"),
    resource: notList(s, "Resource").join("\n"),
    condition: conditionLines(s.Condition).join("\n"),
  };
}

function modifiedRow(before: RawStatement, after: RawStatement): StatementRow {
  const lines = (s: RawStatement): Record<keyof Cells, string[]> => ({
    sid: [sidOf(s)],
    effect: [effectOf(s)],
    action: notList(s, "Action"),
    principal: principalLines(s),
    resource: notList(s, "Resource"),
    condition: conditionLines(s.Condition),
  });
  const b = lines(before);
  const a = lines(after);
  const cell = (k: keyof Cells): string => {
    if (canonicalJson(b[k]) === canonicalJson(a[k])) return a[k].join("\n");
    const kept = a[k].filter((v) => b[k].includes(v));
    return [
      ...b[k].filter((v) => !a[k].includes(v)).map((v) => `- ${v}`),
      ...kept.map((v) => `  ${v}`),
      ...a[k].filter((v) => !b[k].includes(v)).map((v) => `+ ${v}`),
    ].join("\n");
  };
  return { mark: "~", sid: cell("sid"), effect: cell("effect"), action: cell("action"), principal: cell("principal"), resource: cell("resource"), condition: cell("condition") };
}

function shown(v: string): string {
  return v.includes('"$pending"') ? "(known after apply)" : v;
}

function notList(s: RawStatement, field: "Action" | "Resource"): string[] {
  if (s[`Not${field}`] !== undefined) return valuesOf(s[`Not${field}`]).map((v) => `not ${shown(v)}`);
  return valuesOf(s[field]).map(shown);
}

function principalLines(s: RawStatement): string[] {
  const block = (p: unknown, prefix: string): string[] => {
    if (p === undefined) return [];
    if (p === "*" || isPending(p) || typeof p !== "object" || p === null || Array.isArray(p)) return valuesOf(p).map((v) => `${prefix}${shown(v)}`);
    return Object.entries(p).flatMap(([kind, values]) => valuesOf(values).map((v) => `${prefix}${kind}: ${shown(v)}`));
  };
  return [...block(s.Principal, ""), ...block(s.NotPrincipal, "not ")];
}

function conditionLines(c: unknown): string[] {
  if (!isRecord(c)) return c === undefined ? [] : [shown(canonicalJson(c))];
  const out: string[] = [];
  for (const [operator, block] of Object.entries(c)) {
    if (!isRecord(block)) {
      out.push(`${operator} ${shown(canonicalJson(block))}`);
      continue;
    }
    for (const [key, values] of Object.entries(block)) out.push(`${operator} ${key}: ${valuesOf(values).map(shown).join(", ")}`);
  }
  return out;
}
