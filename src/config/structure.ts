// The structure check: every block and attribute against the schema (unknown names with a "did you mean",
// label counts, missing required attributes and blocks, duplicates, which HCL merges silently) and the
// resulting declarations by name. Values are not looked at here.
import type { Diagnostic } from "./diagnostics.js";
import { emptyDeclarations, isResourceKind, type Declarations } from "./declarations.js";
import { suggest } from "./expr/suggest.js";
import type { RawBlock } from "./raw.js";
import { schema, type BlockSchema, type NestedBlockSchema } from "./schema.js";

function hint(name: string, candidates: string[], fallback: string): string {
  const s = suggest(name, candidates);
  return s === undefined ? fallback : `Did you mean "${s}"?`;
}

function labelText(labels: string[]): string {
  return labels.map((l) => ` "${l}"`).join("");
}

/** Address of a nested block: `backup_plan.daily.rule.daily`, `....copy[1]`, `vault.central.lock`. */
export function nestedAddress(parent: string, block: RawBlock, index: number, s: NestedBlockSchema): string {
  if (block.labels.length > 0) return `${parent}.${block.type}.${block.labels.join(".")}`;
  return s.single ? `${parent}.${block.type}` : `${parent}.${block.type}[${index}]`;
}

function checkBody(block: RawBlock, s: BlockSchema, address: string, diags: Diagnostic[]): void {
  if (!s.anyAttrs) {
    for (const attr of block.attrs.values()) {
      if (s.attrs[attr.name]) continue;
      if (s.blocks[attr.name]) {
        diags.push({ severity: "error", code: "unknown-attribute", pos: attr.pos, address, summary: `"${attr.name}" is a block, not an attribute`, detail: `Write it as a block: ${attr.name} { ... }` });
        continue;
      }
      diags.push({
        severity: "error", code: "unknown-attribute", pos: attr.pos, address,
        summary: `unknown attribute "${attr.name}" in ${block.type}`,
        detail: hint(attr.name, [...Object.keys(s.attrs), ...Object.keys(s.blocks)], `${block.type} accepts: ${Object.keys(s.attrs).join(", ") || "no attributes"}.`),
      });
    }
  }
  for (const [name, a] of Object.entries(s.attrs)) {
    if (a.required && !block.attrs.has(name)) {
      diags.push({ severity: "error", code: "missing-attribute", pos: block.pos, address, summary: `${block.type} needs the attribute "${name}"`, detail: `Add ${name} = ... (${a.doc})` });
    }
  }
  const seen = new Map<string, RawBlock>();
  const counts = new Map<string, number>();
  for (const child of block.blocks) {
    const cs = s.blocks[child.type];
    if (!cs) {
      if (s.attrs[child.type]) {
        diags.push({ severity: "error", code: "unknown-block", pos: child.pos, address, summary: `"${child.type}" is an attribute, not a block`, detail: `Write it as an attribute: ${child.type} = { ... }` });
        continue;
      }
      diags.push({
        severity: "error", code: "unknown-block", pos: child.pos, address, summary: `unknown block "${child.type}" in ${block.type}`,
        detail: hint(child.type, [...Object.keys(s.blocks), ...Object.keys(s.attrs)], Object.keys(s.blocks).length > 0 ? `${block.type} contains the blocks: ${Object.keys(s.blocks).join(", ")}.` : `${block.type} contains no blocks.`),
      });
      continue;
    }
    const index = counts.get(child.type) ?? 0;
    counts.set(child.type, index + 1);
    const childAddress = nestedAddress(address, child, index, cs);
    if (!checkLabels(child, cs, childAddress, diags)) continue;
    const key = [child.type, ...child.labels].join("\u0000");
    const first = seen.get(key);
    if (first && (cs.single || child.labels.length > 0)) {
      diags.push({
        severity: "error", code: "duplicate-block", pos: child.pos, address: childAddress,
        summary: cs.single ? `only one ${child.type} block is allowed here` : `${child.type}${labelText(child.labels)} is declared twice`,
        detail: `The first one is at ${first.pos.file}:${first.pos.line}:${first.pos.column}; merge them or rename one.`,
      });
      continue;
    }
    seen.set(key, child);
    checkBody(child, cs, childAddress, diags);
  }
  for (const [name, cs] of Object.entries(s.blocks)) {
    if (cs.required && !counts.has(name)) {
      diags.push({ severity: "error", code: "missing-block", pos: block.pos, address, summary: `${block.type} needs at least one ${name} block`, detail: `Add ${name}${cs.labels.map((l) => ` "${l}"`).join("")} { ... } (${cs.doc})` });
    }
  }
}

function checkLabels(block: RawBlock, s: BlockSchema, address: string, diags: Diagnostic[]): boolean {
  if (block.labels.length === s.labels.length) {
    const bad = block.labels.findIndex((l) => !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(l));
    if (bad < 0) return true;
    diags.push({
      severity: "error", code: "invalid-label", pos: block.labelPos[bad] ?? block.pos, address,
      summary: `"${block.labels[bad]}" is not a valid ${block.type} name`,
      detail: "Names start with a letter or underscore and contain only letters, digits, underscores and dashes.",
    });
    return false;
  }
  const want = s.labels.length === 0 ? "no labels" : `${s.labels.length} label${s.labels.length > 1 ? "s" : ""} (${s.labels.join(", ")})`;
  diags.push({
    severity: "error", code: "block-labels", pos: block.labelPos[s.labels.length] ?? block.pos, address,
    summary: `${block.type} takes ${want}, found ${block.labels.length}`,
    detail: s.labels.length === 0 ? `Write ${block.type} { ... }` : `Write ${block.type}${s.labels.map((l) => ` "${l}"`).join("")} { ... }`,
  });
  return false;
}

/** Checks every file's blocks and collects the declarations (first occurrence of each name). */
export function checkStructure(files: RawBlock[]): { decls: Declarations; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const decls = emptyDeclarations();
  const firsts = new Map<string, RawBlock>();
  const localPos = new Map<string, string>();
  for (const file of files) {
    for (const attr of file.attrs.values()) {
      diags.push({
        severity: "error", code: "unknown-attribute", pos: attr.pos, summary: `attribute "${attr.name}" outside of any block`,
        detail: hint(attr.name, Object.keys(schema), "Attributes belong inside a block; top-level values go into a locals { } block."),
      });
    }
    for (const block of file.blocks) {
      const s = schema[block.type];
      if (!s) {
        diags.push({
          severity: "error", code: "unknown-block", pos: block.pos, summary: `unknown block type "${block.type}"`,
          detail: hint(block.type, Object.keys(schema), `Block types: ${Object.keys(schema).join(", ")}.`),
        });
        continue;
      }
      const address = block.labels.length > 0 ? `${block.type}.${block.labels.join(".")}` : block.type;
      if (!checkLabels(block, s, address, diags)) continue;
      // Blocks without labels that may repeat (locals, import) have no name to collide on.
      const key = s.labels.length === 0 && !s.single ? undefined : [block.type, ...block.labels].join("\u0000");
      const first = key === undefined ? undefined : firsts.get(key);
      if (first) {
        diags.push({
          severity: "error", code: "duplicate-block", pos: block.pos, address,
          summary: s.single ? `only one ${block.type} block is allowed` : `${block.type}${labelText(block.labels)} is declared twice`,
          detail: `The first one is at ${first.pos.file}:${first.pos.line}:${first.pos.column}; merge them or rename one.`,
        });
        continue;
      }
      if (key !== undefined) firsts.set(key, block);
      checkBody(block, s, address, diags);
      if (block.type === "crossvault") decls.settings = block;
      else if (block.type === "organization") decls.organization = block;
      else if (block.type === "variable") decls.variables.set(block.labels[0]!, block);
      else if (block.type === "import") decls.imports.push(block);
      else if (block.type === "locals") {
        for (const attr of block.attrs.values()) {
          const prev = localPos.get(attr.name);
          if (prev !== undefined) {
            diags.push({ severity: "error", code: "duplicate-local", pos: attr.pos, address: `local.${attr.name}`, summary: `local value "${attr.name}" is defined twice`, detail: `The first one is at ${prev}; keep one.` });
            continue;
          }
          localPos.set(attr.name, `${attr.pos.file}:${attr.pos.line}:${attr.pos.column}`);
          decls.locals.set(attr.name, attr);
        }
      } else if (isResourceKind(block.type)) decls.resources.get(block.type)!.set(block.labels[0]!, block);
    }
  }
  if (!decls.settings) {
    const first = files[0];
    diags.push({
      severity: "error", code: "missing-block", pos: first ? { file: first.src.name, line: 1, column: 1 } : undefined,
      summary: "the configuration has no crossvault block",
      detail: 'Add one: crossvault { stack = "my-stack"  management_account = account.management }',
    });
  }
  return { decls, diagnostics: diags };
}
