// Which files make up a configuration: a directory's `*.hcl` files (sorted, not recursive) or one file.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../cli/errors.js";

export interface SourceFile {
  /** Path as the user should see it (relative to the working directory when inside it). */
  name: string;
  path: string;
  text: string;
}

export function displayPath(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

export async function configFilePaths(target: string): Promise<string[]> {
  let info;
  try {
    info = await stat(target);
  } catch {
    throw new UserError(`${target}: no such file or directory`, "Pass a directory of .hcl files or a single .hcl file.");
  }
  if (info.isFile()) return [path.resolve(target)];
  const entries = await readdir(target);
  const files = entries.filter((e) => e.endsWith(".hcl")).sort().map((e) => path.resolve(target, e));
  if (files.length === 0) {
    throw new UserError(`${target}: no .hcl files in this directory`, "A configuration is a directory of *.hcl files; see docs/configuration.md.");
  }
  return files;
}

export async function readConfigFiles(target: string): Promise<SourceFile[]> {
  const paths = await configFilePaths(target);
  return Promise.all(paths.map(async (p) => ({ name: displayPath(p), path: p, text: await readFile(p, "utf8") })));
}
