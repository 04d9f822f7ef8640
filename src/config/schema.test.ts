// docs/configuration.md is the reference users read: it must keep up with the schema, the functions and the
// diagnostic codes the configuration layer can produce.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FUNCTION_DOCS } from "./expr/index.js";
import { ORG_FUNCTION_DOCS } from "./org-functions.js";
import { schema, type BlockSchema } from "./schema.js";

const docs = readFileSync(fileURLToPath(new URL("../../docs/configuration.md", import.meta.url)), "utf8");

/** The text of the docs section for a block, from its heading to the next heading of the same or higher level. */
function section(path: string): string {
  const at = docs.search(new RegExp(`^#{3,6} \`${path.replace(/[>]/g, "\\>")}( "[A-Z]+")?\``, "m"));
  expect(at, `docs/configuration.md has a section for ${path}`).toBeGreaterThanOrEqual(0);
  const body = docs.indexOf("\n", at) + 1;
  const next = docs.slice(body).search(/^#{1,6} /m);
  return next < 0 ? docs.slice(at) : docs.slice(at, body + next);
}

function walk(path: string, s: BlockSchema, out: Array<[string, BlockSchema]>): void {
  out.push([path, s]);
  for (const [name, child] of Object.entries(s.blocks)) walk(`${path} > ${name}`, child, out);
}

describe("docs/configuration.md", () => {
  const blocks: Array<[string, BlockSchema]> = [];
  for (const [name, s] of Object.entries(schema)) walk(name, s, blocks);

  it.each(blocks.map(([p, s]) => [p, s] as const))("documents %s and each of its attributes", (path, s) => {
    const text = section(path);
    for (const [attr, a] of Object.entries(s.attrs)) {
      const row = text.split("\n").find((l) => l.startsWith(`| \`${attr}\` |`));
      expect(row, `${path}.${attr}`).toBeDefined();
      if (a.rule) expect(row).toContain(a.rule);
      expect(row).toContain(a.required ? "| yes |" : "| no |");
    }
  });

  it("lists every function", () => {
    for (const f of [...FUNCTION_DOCS, ...ORG_FUNCTION_DOCS]) expect(docs).toContain(`| \`${f.signature.replace(/\|/g, "\\|")}\` |`);
  });

  it("explains every diagnostic code the configuration layer reports", () => {
    const dir = fileURLToPath(new URL(".", import.meta.url));
    const codes = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const src = readFileSync(`${dir}/${file}`, "utf8");
      for (const m of src.matchAll(/(?:code: |(?:problem|warn)\([^,()]*, )"([a-z]+(?:-[a-z]+)*)"/g)) codes.add(m[1]!);
    }
    codes.delete("upstream-error"); // internal: marks a value whose error was already reported
    expect(codes.size).toBeGreaterThan(40);
    for (const code of codes) expect(docs, code).toContain(`\`${code}\``);
  });
});
