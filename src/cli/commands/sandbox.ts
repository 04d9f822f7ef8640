// `crossvault sandbox`: runs the local AWS-compatible endpoint until SIGINT/SIGTERM, printing the shell
// exports that point AWS clients at it. Shutdown is clean: connections closed, state file flushed.
import { fileErrorReason, UserError } from "../errors.js";

export interface SandboxCommandOptions {
  host: string;
  port: string;
  org?: string;
  state?: string;
  latencyMs?: string;
  jitterMs?: string;
  rateLimit?: string;
  rateLimitSts?: string;
  throttleRate?: string;
  errorRate?: string;
  consistencyDelayMs?: string;
  jobDurationMs?: string;
  seed?: string;
  allowNonLoopback?: boolean;
}

function number(flag: string, raw: string | undefined, opts: { min: number; max?: number; integer?: boolean }): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad = raw.trim() === "" || !Number.isFinite(n) || n < opts.min || (opts.max !== undefined && n > opts.max) || (opts.integer === true && !Number.isInteger(n));
  if (bad) {
    const range = opts.max !== undefined ? `between ${opts.min} and ${opts.max}` : `>= ${opts.min}`;
    throw new UserError(`${flag}: "${raw}" is not ${opts.integer ? "an integer" : "a number"} ${range}.`, `Pass ${flag} <${opts.integer ? "integer" : "number"}> ${range}.`);
  }
  return n;
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function sandboxCommand(opts: SandboxCommandOptions): Promise<number> {
  const port = number("--port", opts.port, { min: 0, max: 65535, integer: true })!;
  if (!isLoopbackHost(opts.host) && !opts.allowNonLoopback) {
    throw new UserError(
      `--host ${opts.host}: the sandbox accepts any credentials and would let anyone on the network change its world.`,
      "Keep the default 127.0.0.1, or pass --allow-non-loopback if you really mean to expose it.",
    );
  }
  const { startSandbox, FixtureError, StateFileError } = await import("../../sandbox/index.js");
  let sandbox;
  try {
    sandbox = await startSandbox({
      host: opts.host,
      port,
      org: opts.org,
      statePath: opts.state,
      latencyMs: number("--latency-ms", opts.latencyMs, { min: 0 }),
      jitterMs: number("--jitter-ms", opts.jitterMs, { min: 0 }),
      rateLimit: number("--rate-limit", opts.rateLimit, { min: 0 }),
      rateLimitSts: number("--rate-limit-sts", opts.rateLimitSts, { min: 0 }),
      throttleRate: number("--throttle-rate", opts.throttleRate, { min: 0, max: 1 }),
      errorRate: number("--error-rate", opts.errorRate, { min: 0, max: 1 }),
      consistencyDelayMs: number("--consistency-delay-ms", opts.consistencyDelayMs, { min: 0 }),
      jobDurationMs: number("--job-duration-ms", opts.jobDurationMs, { min: 0 }),
      seed: number("--seed", opts.seed, { min: 0, integer: true }),
    });
  } catch (err) {
    if (err instanceof FixtureError) throw new UserError(err.message, "Fix the organization fixture (format: docs/sandbox.md, schema: docs/sandbox-org.schema.json).");
    if (err instanceof StateFileError) throw new UserError(err.message, "Pass a --state file the sandbox may read and write (it is made if missing), or leave --state out to keep the state in memory.");
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`--port ${port}: ${opts.host}:${port} is already in use.`, "Stop what listens there, or pass another --port (0 picks a free one).");
    if (code === "EACCES" && (err as NodeJS.ErrnoException).syscall === "listen") throw new UserError(`--port ${port}: not allowed to listen there (ports below 1024 need privileges).`, "Pass a port from 1024 up, or 0 to pick a free one.");
    if ((err as NodeJS.ErrnoException).path !== undefined) throw new UserError(`--state ${opts.state ?? ""}: ${fileErrorReason(err)}`, "Pass a --state file in a directory the sandbox may write to.");
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UserError(`--host ${opts.host}: no local address to listen on.`, "Use 127.0.0.1 (the default).");
    throw err;
  }

  if (!isLoopbackHost(opts.host)) process.stderr.write(`WARNING: the sandbox listens on ${opts.host}, reachable from other machines. Anyone who can reach it can read and change its state.\n`);
  const world = sandbox.world();
  const mgmt = world.org.managementAccountId;
  const key = Object.entries(world.identity.staticKeys).find(([, account]) => account === mgmt)?.[0] ?? "AKIASANDBOX000000000";
  process.stdout.write(
    [
      `# crossvault sandbox: AWS Backup, KMS, Organizations and STS on ${sandbox.url}`,
      `# organization ${world.org.organizationId}, management account ${mgmt}; state: ${opts.state ?? "in memory only"}`,
      "# In another shell, point AWS clients here:",
      `export AWS_ENDPOINT_URL=${sandbox.url}`,
      `export AWS_ACCESS_KEY_ID=${key}`,
      "export AWS_SECRET_ACCESS_KEY=sandbox",
      "export AWS_REGION=us-east-1",
      "# Stop with Ctrl-C.",
      "",
    ].join("\n"),
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      process.stdout.write(`# ${signal}: stopping the sandbox\n`);
      resolve();
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
  });
  await sandbox.stop();
  process.stdout.write("# sandbox stopped\n");
  return 0;
}
