// `npm run bench`: runs every benchmark in bench/ one after the other (never in parallel: they measure time),
// each in its own process. Pass names to run some: `npm run bench -- validate sandbox`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = fileURLToPath(new URL(".", import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".test.ts") && !f.startsWith("_"))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();
const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : all;
const tsx = path.join(here, "..", "node_modules", ".bin", "tsx");
let failed = 0;
for (const name of names) {
  const file = path.join(here, `${name}.ts`);
  if (!existsSync(file)) {
    process.stderr.write(`no benchmark named ${name} (have: ${all.join(", ")})\n`);
    failed++;
    continue;
  }
  process.stdout.write(`\n== bench/${name}.ts ==\n`);
  const r = spawnSync(tsx, [file], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
