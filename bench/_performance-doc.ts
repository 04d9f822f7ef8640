// docs/performance.md is written by the benchmarks, one section each between `<!-- bench:NAME:begin -->` and
// `<!-- bench:NAME:end -->`; text outside the markers is left as it is.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const file = fileURLToPath(new URL("../docs/performance.md", import.meta.url));

export function sectionMarkers(name: string): { begin: string; end: string } {
  return { begin: `<!-- bench:${name}:begin -->`, end: `<!-- bench:${name}:end -->` };
}

/** Replaces the section `name` (markers included in `section`), or appends it where there is none yet. */
export function writePerformanceSection(name: string, section: string): void {
  const { begin, end } = sectionMarkers(name);
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Performance\n\nMeasured figures; each section is written by its benchmark in `bench/`.\n";
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  text = a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text);
}
