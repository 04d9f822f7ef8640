// Which files make up a configuration: a directory's `*.hcl` files (sorted, not recursive) or one file.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileErrorReason, UserError } from "../cli/errors.js";

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
  let entries;
  try {
    entries = await readdir(target, { withFileTypes: true });
  } catch (e) {
    throw new UserError(`${target}: cannot list the directory: ${fileErrorReason(e)}`, "Check the directory's permissions.");
  }
  // Files only (a directory that happens to end in .hcl is not part of the configuration); links are followed.
  const files = entries.filter((e) => e.name.endsWith(".hcl") && (e.isFile() || e.isSymbolicLink())).map((e) => path.resolve(target, e.name)).sort();
  if (files.length === 0) {
    throw new UserError(`${target}: no .hcl files in this directory`, "A configuration is a directory of *.hcl files; see docs/configuration.md.");
  }
  return files;
}

export async function readConfigFiles(target: string): Promise<SourceFile[]> {
  const paths = await configFilePaths(target);
  return Promise.all(paths.map(async (p) => {
    try {
      return { name: displayPath(p), path: p, text: await readFile(p, "utf8") };
    } catch (e) {
      throw new UserError(`${displayPath(p)}: cannot read the file: ${fileErrorReason(e)}`, "Check the file's permissions (crossvault only reads the configuration).");
    }
  }));
}
