// The HCL syntax layer: @cdktf/hcl2json (HashiCorp's own HCL parser compiled to WebAssembly) turns a file
// into JSON; its syntax errors come back as one flat message, which we split into positioned diagnostics.
// Why this parser and not hcl2-parser: docs/decisions.md.
import v8 from "node:v8";
import type { Diagnostic } from "./diagnostics.js";
import { indexSource, LineMap, type IndexedBlock } from "./positions.js";

/** The JSON form hcl2json produces: blocks become maps of label -> list of bodies; expressions become `${...}` strings. */
export type HclBody = Record<string, unknown>;

export interface HclParseResult {
  body?: HclBody;
  diagnostics: Diagnostic[];
}

let parser: Promise<typeof import("@cdktf/hcl2json")> | undefined;
function loadParser() {
  if (!parser) {
    // The parser is a large WebAssembly module that a command runs once or a few times. V8 would also compile
    // its hot functions again with its optimising tier, on background threads: measured on 2 cores, that
    // costs more than it saves (loading a 0.92 MB file of 11,000 blocks: 3.0-3.5 s with it, 1.8-2.0 s without).
    // The flag only concerns WebAssembly, and must be set before the module is compiled.
    v8.setFlagsFromString("--liftoff-only");
    parser = import("@cdktf/hcl2json");
  }
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

function* allBlocks(b: IndexedBlock): Generator<IndexedBlock> {
  for (const child of b.blocks) {
    yield child;
    yield* allBlocks(child);
  }
}

/**
 * hcl2json parses valid HCL that it then cannot turn into JSON: blocks of one type with and without labels
 * (or with different label counts) side by side. Its message names the block type but no position; the
 * position index finds the blocks. Undefined when the message is not one of these.
 */
export function conversionDiagnostics(file: string, source: string, message: string): Diagnostic[] | undefined {
  const mixed = /invalid HCL detected for "([^"]+)" block, cannot have blocks with and without labels/.exec(message);
  const unconvertible = /Unable to convert Block to JSON: ([^\s\]]+)/.exec(message);
  if (!mixed && !unconvertible) return undefined;
  const type = mixed ? mixed[1]! : unconvertible![1]!.split(".")[0]!;
  const lines = new LineMap(source);
  const blocks = [...allBlocks(indexSource(source))].filter((b) => b.type === type);
  const firstCount = blocks[0]?.labels.length ?? 0;
  const odd = blocks.filter((b) => b.labels.length !== firstCount);
  return (odd.length > 0 ? odd : blocks.slice(0, 1)).map((b) => ({
    severity: "error" as const, code: "block-labels", pos: { file, ...lines.position(b.typeStart) },
    summary: `"${type}" blocks are declared with different numbers of labels`,
    detail: `Every ${type} block here needs the same labels (the first one has ${firstCount}); see docs/configuration.md for the block's labels.`,
  }));
}

/** Parses one HCL file. Never throws for bad input: syntax problems come back as diagnostics. */
export async function parseHcl(file: string, source: string): Promise<HclParseResult> {
  const { parse } = await loadParser();
  try {
    const body = (await parse(file, source)) as HclBody;
    return { body, diagnostics: [] };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { diagnostics: conversionDiagnostics(file, source, message) ?? syntaxDiagnostics(file, message) };
  }
}
