// The HCL syntax layer: @cdktf/hcl2json (HashiCorp's own HCL parser compiled to WebAssembly) turns a file
// into JSON; its syntax errors come back as one flat message, which we split into positioned diagnostics.
// Why this parser and not hcl2-parser: docs/decisions.md.
import type { Diagnostic } from "./diagnostics.js";

/** The JSON form hcl2json produces: blocks become maps of label -> list of bodies; expressions become `${...}` strings. */
export type HclBody = Record<string, unknown>;

export interface HclParseResult {
  body?: HclBody;
  diagnostics: Diagnostic[];
}

let parser: Promise<typeof import("@cdktf/hcl2json")> | undefined;
function loadParser() {
  parser ??= import("@cdktf/hcl2json");
  return parser;
}

// One error inside hcl2json's message: `FILE:LINE,COL-[LINE,]COL: Summary; Detail.`
const errorPattern = /(?:^|\s)(\S+?):(\d+),(\d+)-(?:\d+,)?\d+: ([^;]+?); /g;

/** Splits hcl2json's combined error text into diagnostics with file:line:col. Exported for tests. */
export function syntaxDiagnostics(file: string, message: string): Diagnostic[] {
  const text = message.replace(/^parse config: \[/, "").replace(/\]$/, "");
  const starts: Array<{ index: number; end: number; line: number; column: number; summary: string }> = [];
  for (const m of text.matchAll(errorPattern)) {
    const lead = m[0].length - m[0].trimStart().length;
    starts.push({ index: m.index + lead, end: m.index + m[0].length, line: Number(m[2]), column: Number(m[3]), summary: m[4]! });
  }
  if (starts.length === 0) {
    return [{ severity: "error", code: "syntax", summary: text.trim() || "invalid HCL syntax", pos: { file, line: 1, column: 1 },
      detail: "Fix the syntax error; `crossvault fmt` refuses to format a file that does not parse." }];
  }
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  starts.forEach((s, i) => {
    const detail = text.slice(s.end, i + 1 < starts.length ? starts[i + 1]!.index : undefined).trim();
    const key = `${s.line}:${s.column}:${s.summary}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ severity: "error", code: "syntax", summary: `${s.summary}`, detail: detail || undefined, pos: { file, line: s.line, column: s.column } });
  });
  return out;
}

/** Parses one HCL file. Never throws for bad input: syntax problems come back as diagnostics. */
export async function parseHcl(file: string, source: string): Promise<HclParseResult> {
  const { parse } = await loadParser();
  try {
    const body = (await parse(file, source)) as HclBody;
    return { body, diagnostics: [] };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { diagnostics: syntaxDiagnostics(file, message) };
  }
}
