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
    .command("plan")
    .description("read the live state of every account involved and show what apply would change")
    .argument("[dir]", "configuration directory or .hcl file", ".")
    .option("--out <file>", "save the plan, to apply exactly it later with `crossvault apply FILE`")
    .option("--json", "print the plan as JSON (the format of saved plans)")
    .option("--markdown", "print the plan as a pull-request comment (Markdown, at most 65,536 characters)")
    .option("--detailed-exitcode", "exit 0 when there are no changes, 1 on error, 2 when there are changes")
    .option("--destroy", "plan the destruction of everything the stack owns")
    .option("--target <address>", "plan only this resource and what it depends on (repeatable)", collect, [])
    .option("--parallelism <n>", "most AWS reads in flight at once (default 128; at most 4 per account-region)")
    .option("--var <name=value>", "set a variable (repeatable)", collect, [])
    .option("--var-file <file>", "read variables from an HCL or JSON file (repeatable)", collect, [])
    .action(async (dir: string, opts: import("./commands/plan.js").PlanCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/plan.js")).planCommand(dir, { ...opts, color: program.opts<GlobalOptions>().color }));
    });

  program
    .command("apply")
    .description("make the accounts match the configuration (or carry out a plan saved with plan --out)")
    .argument("[dir-or-plan]", "configuration directory, .hcl file, or saved plan file", ".")
    .option("--auto-approve", "do not ask for approval")
    .option("--allow-failing-routes", "apply even when copy routes would fail after apply (crossvault check shows why)")
    .option("--target <address>", "apply only this resource and what it depends on (repeatable)", collect, [])
    .option("--lock-timeout <duration>", "wait this long (30s, 5m) for the stack lock while another apply or destroy holds it (default 0s: refuse)")
    .option("--parallelism <n>", "most changes in flight at once (default 128; at most 4 per account-region)")
    .option("--var <name=value>", "set a variable (repeatable)", collect, [])
    .option("--var-file <file>", "read variables from an HCL or JSON file (repeatable)", collect, [])
    .action(async (target: string, opts: import("./commands/apply.js").ApplyCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/apply.js")).applyCommand(target, { ...opts, color: program.opts<GlobalOptions>().color }));
    });

  program
    .command("check")
    .description("check that every copy route will work: each verdict with the rule, policy and statement that decide it")
    .argument("[dir]", "configuration directory or .hcl file", ".")
    .option("--live", "check the routes as they are now, not as they will be after apply")
    .option("--json", "print the verdicts as JSON")
    .option("--markdown", "print the verdicts as Markdown (for a pull-request comment)")
    .option("--parallelism <n>", "most AWS reads in flight at once (default 128; at most 4 per account-region)")
    .option("--var <name=value>", "set a variable (repeatable)", collect, [])
    .option("--var-file <file>", "read variables from an HCL or JSON file (repeatable)", collect, [])
    .action(async (dir: string, opts: import("./commands/check.js").CheckCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/check.js")).checkCommand(dir, { ...opts, color: program.opts<GlobalOptions>().color }));
    });

  program
    .command("status")
    .description("show how each copy route is doing: its last copy jobs, the last failure, the newest copy, the check's verdict")
    .argument("[dir]", "configuration directory or .hcl file", ".")
    .option("--json", "print the report as JSON (format_version 1.0)")
    .option("--canary", "start one on-demand copy per route (a real copy: in AWS it costs one) and follow it to its end")
    .option("--canary-timeout <duration>", "longest wait for a canary copy to end, e.g. 15m, 90s, 1h (default 15m)")
    .option("--parallelism <n>", "most AWS reads in flight at once (default 128; at most 4 per account-region)")
    .option("--var <name=value>", "set a variable (repeatable)", collect, [])
    .option("--var-file <file>", "read variables from an HCL or JSON file (repeatable)", collect, [])
    .addHelpText("after", "\nExit codes: 0 every route healthy, 2 a route is failing, 1 error or a route that could not be judged.")
    .action(async (dir: string, opts: import("./commands/status.js").StatusCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/status.js")).statusCommand(dir, { ...opts, color: program.opts<GlobalOptions>().color }));
    });

  program
    .command("destroy")
    .description("delete everything the stack owns (never recovery points; trusted access and the cross-account setting stay on)")
    .argument("[dir]", "configuration directory or .hcl file", ".")
    .option("--auto-approve", "do not ask for approval")
    .option("--target <address>", "destroy only this resource and what depends on it (repeatable)", collect, [])
    .option("--lock-timeout <duration>", "wait this long (30s, 5m) for the stack lock while another apply or destroy holds it (default 0s: refuse)")
    .option("--parallelism <n>", "most deletions in flight at once (default 128; at most 4 per account-region)")
    .option("--var <name=value>", "set a variable (repeatable)", collect, [])
    .option("--var-file <file>", "read variables from an HCL or JSON file (repeatable)", collect, [])
    .action(async (dir: string, opts: import("./commands/apply.js").ApplyCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/destroy.js")).destroyCommand(dir, { ...opts, color: program.opts<GlobalOptions>().color }));
    });

  program
    .command("show")
    .description("show a plan saved with plan --out, without reading AWS")
    .argument("<planfile>", "saved plan file")
    .option("--json", "print the plan as JSON, exactly as saved")
    .option("--markdown", "print the plan as a pull-request comment (Markdown, at most 65,536 characters)")
    .action(async (file: string, opts: import("./commands/show.js").ShowCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/show.js")).showCommand(file, { ...opts, color: program.opts<GlobalOptions>().color }));
    });

  program
    .command("graph")
    .description("print the dependency graph of the configured resources (from the configuration alone, without AWS)")
    .argument("[dir]", "configuration directory or .hcl file", ".")
    .option("--format <format>", "dot (Graphviz) or mermaid", "dot")
    .option("--var <name=value>", "set a variable (repeatable)", collect, [])
    .option("--var-file <file>", "read variables from an HCL or JSON file (repeatable)", collect, [])
    .addHelpText("after", "\nEdges point from a resource to what depends on it (the order apply creates them in). Blocks whose\ninstances come from the live organization (accounts_in_ou) are left out, each named on stderr.")
    .action(async (dir: string, opts: import("./commands/graph.js").GraphCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/graph.js")).graphCommand(dir, opts));
    });

  program
    .command("demo")
    .description("run crossvault end to end against the built-in sandbox (no AWS account needed)")
    .option("--auto-approve", "do not ask before the apply (never asked when not at a terminal)")
    .action(async (opts: { autoApprove?: boolean }) => {
      await runCommand(program, async () => (await import("./commands/demo.js")).demoCommand({ ...opts, color: program.opts<GlobalOptions>().color }));
    });

  program
    .command("sandbox")
    .description("run the local AWS-compatible endpoint (Backup, KMS, Organizations, STS) until Ctrl-C")
    .option("--host <host>", "address to listen on (loopback only unless --allow-non-loopback)", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 = any free port)", "4566")
    .option("--org <file>", "organization fixture (JSON, see docs/sandbox.md); default: the built-in organization")
    .option("--state <file>", "persist the sandbox world to this file (atomic writes); default: memory only")
    .option("--latency-ms <n>", "added latency per request")
    .option("--jitter-ms <n>", "random extra latency per request, up to n ms")
    .option("--rate-limit <n>", "requests per second per account-region per service; beyond it: throttling errors")
    .option("--rate-limit-sts <n>", "STS's own rate per account-region (AWS's default: 600/s); default: --rate-limit")
    .option("--throttle-rate <p>", "probability (0-1) that a request is throttled")
    .option("--error-rate <p>", "probability (0-1) that a request fails with a 500 or 503")
    .option("--consistency-delay-ms <n>", "eventual-consistency delay before copy jobs see settings and policy changes")
    .option("--job-duration-ms <n>", "sandbox time a backup or copy job runs before it ends (default 2000)")
    .option("--seed <n>", "seed for the random faults")
    .option("--allow-non-loopback", "allow --host to be an address other machines can reach")
    .action(async (opts: import("./commands/sandbox.js").SandboxCommandOptions) => {
      await runCommand(program, async () => (await import("./commands/sandbox.js")).sandboxCommand(opts));
    });

  program.addHelpText(
    "after",
    "\nExit codes: 0 success, 1 error, 2 (plan --detailed-exitcode) changes to make or (status) a failing route, 3 (fmt --check) files would change, 130 interrupted.\nDocs: docs/commands.md, docs/configuration.md",
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


