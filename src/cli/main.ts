// The command-line program: argv -> one command module -> exit code.
// Only commander is loaded eagerly: each command imports what it needs (HCL parser, SDK, UI) when it runs,
// so `--help` and `--version` stay fast and load no parser, UI or SDK code.
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { reportError } from "./errors.js";

export interface GlobalOptions {
  debug: boolean;
  color: boolean;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Runs a lazily imported command and turns its outcome into an exit code. */
async function runCommand(program: Command, load: () => Promise<number>): Promise<void> {
  const globals = program.opts<GlobalOptions>();
  try {
    process.exitCode = await load();
  } catch (err) {
    process.exitCode = reportError(err, globals.debug, (s) => process.stderr.write(s));
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("crossvault")
    .description("Plan and apply AWS Backup cross-account copies across the accounts of an AWS Organization.")
    .version(packageVersion(), "-v, --version", "print the version")
    .option("--debug", "show stack traces and internal detail", false)
    .option("--no-color", "never use colour (NO_COLOR is honoured too)")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("validate")
    .description("check a configuration directory (or file) and report every problem at once")
    .argument("[dir]", "configuration directory or .hcl file", ".")
    .option("--json", "print diagnostics as JSON on stdout")
    .option("--var <name=value>", "set a variable (repeatable)", collect, [])
    .option("--var-file <file>", "read variables from an HCL or JSON file (repeatable)", collect, [])
    .action(async (dir: string, opts: { json?: boolean; var: string[]; varFile: string[] }) => {
      await runCommand(program, async () => (await import("./commands/validate.js")).validateCommand(dir, opts));
    });

  program
    .command("fmt")
    .description("rewrite configuration files in the canonical format")
    .argument("[dir]", "configuration directory or .hcl file", ".")
    .option("--check", "change nothing; exit 3 when a file would change")
    .option("--diff", "show the changes as a unified diff")
    .action(async (dir: string, opts: { check?: boolean; diff?: boolean }) => {
      await runCommand(program, async () => (await import("./commands/fmt.js")).fmtCommand(dir, opts));
    });

  program
    .command("demo")
    .description("run crossvault end to end against the built-in sandbox (no AWS account needed)")
    .action(async () => {
      await runCommand(program, async () => (await import("./commands/demo.js")).demoCommand());
    });

  program.addHelpText(
    "after",
    "\nExit codes: 0 success, 1 error, 3 (fmt --check) files would change.\nDocs: docs/commands.md, docs/configuration.md",
  );
  // Commander prints unknown options/commands itself; make sure that maps to exit code 1 without a stack.
  program.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") process.env.FORCE_COLOR = "0";
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = (err as { code?: string; exitCode?: number }).code;
    if (typeof code === "string" && code.startsWith("commander.")) {
      process.exitCode = (err as { exitCode?: number }).exitCode ?? 1;
      return;
    }
    process.exitCode = reportError(err, argv.includes("--debug"), (s) => process.stderr.write(s));
  }
}


