// Raw blocks: hcl2json's values joined with the position index, in source order. hcl2json knows the values
// (and has checked the syntax); the index knows where each block and attribute is and which is which.
// Nothing here is evaluated or checked against the schema.
import type { Diagnostic, SourcePos } from "./diagnostics.js";
import type { HclBody } from "./hcl.js";
import { indexSource, LineMap, type IndexedBlock } from "./positions.js";

export interface SourceText {
  name: string;
  text: string;
  lines: LineMap;
}

export interface RawAttr {
  name: string;
  /** hcl2json's JSON for the value: numbers and bools stay JSON, every expression is a `${...}` string. */
  value: unknown;
  pos: SourcePos;
  src: SourceText;
  /** Offsets of the value text in `src.text`. */
  valueStart: number;
  valueEnd: number;
}

export interface RawBlock {
  type: string;
  labels: string[];
  pos: SourcePos;
  labelPos: SourcePos[];
  attrs: Map<string, RawAttr>;
  blocks: RawBlock[];
  src: SourceText;
}

export function sourceText(name: string, text: string): SourceText {
  return { name, text, lines: new LineMap(text) };
}

export function posAt(src: SourceText, offset: number): SourcePos {
  return { file: src.name, ...src.lines.position(offset) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The hcl2json bodies for blocks of one type and label list, in source order. */
function bodiesFor(body: Record<string, unknown>, type: string, labels: string[]): unknown[] | undefined {
  let node: unknown = body[type];
  for (const label of labels) {
    if (!isPlainObject(node)) return undefined;
    node = node[label];
  }
  return Array.isArray(node) ? node : undefined;
}

function buildBlock(src: SourceText, idx: IndexedBlock, body: Record<string, unknown>, diags: Diagnostic[]): RawBlock {
  const pos = posAt(src, idx.typeStart);
  const block: RawBlock = {
    type: idx.type,
    labels: idx.labels,
    pos,
    labelPos: idx.labelStarts.map((o) => posAt(src, o)),
    attrs: new Map(),
    blocks: [],
    src,
  };
  const seen = new Set<string>();
  for (const a of idx.attrs) {
    seen.add(a.name);
    block.attrs.set(a.name, { name: a.name, value: body[a.name], pos: posAt(src, a.nameStart), src, valueStart: a.valueStart, valueEnd: a.valueEnd });
  }
  const counters = new Map<string, number>();
  for (const child of idx.blocks) {
    const key = [child.type, ...child.labels].join("\u0000");
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    const childPos = posAt(src, child.typeStart);
    if (seen.has(child.type)) {
      diags.push({
        severity: "error", code: "block-attribute-conflict", pos: childPos,
        summary: `"${child.type}" is used both as an attribute and as a block`,
        detail: `Keep one of them: "${child.type} = ..." sets an attribute, "${child.type} { ... }" declares a block.`,
      });
      continue;
    }
    const bodies = bodiesFor(body, child.type, child.labels);
    const childBody = bodies?.[n];
    block.blocks.push(buildBlock(src, child, isPlainObject(childBody) ? childBody : {}, diags));
  }
  // Keys the scanner did not see (it should see all of them): keep the values, placed at the block.
  const blockTypes = new Set(idx.blocks.map((b) => b.type));
  for (const [name, value] of Object.entries(body)) {
    if (seen.has(name) || blockTypes.has(name)) continue;
    block.attrs.set(name, { name, value, pos, src, valueStart: idx.typeStart, valueEnd: idx.typeStart });
  }
  return block;
}

/** Joins one file's parsed body with its position index; the result's root block has type "". */
export function rawFile(name: string, text: string, body: HclBody, diags: Diagnostic[]): RawBlock {
  return buildBlock(sourceText(name, text), indexSource(text), body, diags);
}
