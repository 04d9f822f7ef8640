// Benchmark: the engine on a generated organization of N member accounts x 2 regions, against the sandbox in
// its own process with per-request latency and a per-account-region rate limit. For each N: a full apply from
// nothing, a no-change plan, and the same plan at --parallelism 10 (a Terraform-style walk, 10 calls in flight).
// Each run is the real CLI in a child process: wall time, its own CPU time, and the AWS calls the sandbox
// counted, against the lower bound max(longest chain of dependent calls x latency, calls of the busiest
// account-region / rate limit).
// Run: `npx tsx bench/engine.ts [--sizes 100,1000] [--latency-ms 50] [--rate-limit 10]`.
// Writes bench/results/engine.json and the "Engine" section of docs/performance.md.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSandboxProcess } from "./_sandbox-process.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const cli = path.join(repo, "bin", "crossvault.js");

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const sizes = arg("sizes", "100,1000").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
const latencyMs = Number(arg("latency-ms", "50"));
const rateLimit = Number(arg("rate-limit", "10"));
/** STS's own quota: AWS's default for AssumeRole is 600 requests per second per account and region. */
const rateLimitSts = Number(arg("rate-limit-sts", "600"));
/** `--cpu-prof DIR`: write a V8 CPU profile of each CLI run into DIR (for "where CPU is the limit"). */
const cpuProfDir = arg("cpu-prof", "");
const REGIONS = ["eu-west-1", "us-east-1"];
const MGMT = "111111111111";
const CENTRAL = "222222222222";

/**
 * Dependent calls, hand-counted from the code paths (the parts that must follow one another whatever the
 * parallelism). Plan: the organization walk (DescribeOrganization, ListRoots, the root's and the OU's children),
 * AssumeRole, then a central key's read (ListAliases, ListResourceTags, DescribeKey, GetKeyRotationStatus,
 * GetKeyPolicy) = 10. Apply adds its writes: trusted access, the cross-account setting, then the backup plan
 * (GetBackupPlan-free create) and its selection, in parallel with key (CreateKey, CreateAlias, EnableKeyRotation),
 * vault, vault policy (read + write) = 7 on the longest branch.
 */
const PLAN_CHAIN = 10;
const APPLY_CHAIN = PLAN_CHAIN + 7;

const member = (i: number): string => `3${String(i).padStart(11, "0")}`;

function fixture(n: number): unknown {
  return {
    organization_id: "o-benchmark01",
    management_account: MGMT,
    root_id: "r-bnch",
    organizational_units: [
      { id: "ou-bnch-members1", name: "Members", parent: "r-bnch" },
      { id: "ou-bnch-security", name: "Security", parent: "r-bnch" },
    ],
    accounts: [
      { id: MGMT, name: "management", parent: "r-bnch" },
      { id: CENTRAL, name: "central", parent: "ou-bnch-security" },
      ...Array.from({ length: n }, (_, i) => ({ id: member(i), name: `member-${i}`, parent: "ou-bnch-members1" })),
    ],
  };
}

function configuration(n: number): string {
  const members = Array.from({ length: n }, (_, i) => REGIONS.map((r) => `    "${member(i)}-${r}" = { account = "${member(i)}", region = "${r}" }`).join("\n")).join("\n");
  return `crossvault {
  stack              = "bench"
  management_account = account.management
  default_region     = "${REGIONS[0]}"
}
account "management" { id = "${MGMT}" }
account "central" { id = "${CENTRAL}" }
organization { cross_account_backup = true }
locals {
  regions = ${JSON.stringify(REGIONS)}
  members = {
${members}
  }
}
kms_key "central" {
  for_each = toset(local.regions)
  account  = account.central
  region   = each.key
  alias    = "alias/bench-central"
}
vault "central" {
  for_each = toset(local.regions)
  account  = account.central
  region   = each.key
  name     = "central"
  kms_key  = kms_key.central[each.key]
  allow_copy_from {
    organization = true
  }
}
vault "local" {
  for_each = local.members
  account  = each.value.account
  region   = each.value.region
  name     = "local"
}
backup_plan "member" {
  for_each = local.members
  account  = each.value.account
  region   = each.value.region
  rule "daily" {
    vault = vault.local[each.key]
    lifecycle {
      delete_after_days = 35
    }
    copy {
      to = vault.central[each.value.region]
    }
  }
  selection "tables" {
    iam_role_arn = "arn:aws:iam::\${each.value.account}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:dynamodb:\${each.value.region}:\${each.value.account}:table/orders"]
  }
}
`;
}

function startSandbox(orgFile: string): Promise<{ url: string; stop: () => Promise<void> }> {
  return startSandboxProcess(["--org", orgFile, "--latency-ms", String(latencyMs), "--rate-limit", String(rateLimit), "--rate-limit-sts", String(rateLimitSts)]);
}

interface Stats { total: number; byAccount: Record<string, number>; byOperation: Record<string, number>; errors: Record<string, number> }

async function control(url: string, op: string, method = "POST"): Promise<Stats> {
  return (await (await fetch(`${url}/_sandbox/${op}`, { method })).json()) as Stats;
}

const preload = "data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>{const u=process.resourceUsage();writeFileSync(process.env.CROSSVAULT_BENCH_USAGE_FILE,JSON.stringify([u.maxRSS,u.userCPUTime+u.systemCPUTime]))});";

interface Run { wallMs: number; cpuMs: number; peakRssMiB: number; code: number | null; calls: number; throttled: number; busiestLaneCalls: number; boundMs: number; byOperation: Record<string, number> }

/** `roles`: accounts reached through AssumeRole (the members and the central account), one call each at least. */
async function runCli(args: string[], env: Record<string, string>, scratch: string, url: string, chain: number, roles: number): Promise<Run> {
  await control(url, "stats/reset");
  const usageFile = path.join(scratch, "usage.json");
  const started = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ["--import", preload, ...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(cpuProfDir), "--cpu-prof-name", `${args[0]}-${Date.now()}.cpuprofile`] : []), cli, ...args], { env: { ...process.env, ...env, CROSSVAULT_BENCH_USAGE_FILE: usageFile }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (c) => {
      if (c !== 0 && c !== 2) process.stderr.write(err.slice(-4000));
      resolve(c);
    });
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const [rssKiB, cpuUs] = JSON.parse(readFileSync(usageFile, "utf8")) as [number, number];
  const stats = await control(url, "stats", "GET");
  const throttled = Object.entries(stats.errors ?? {}).filter(([k]) => /Throttl|TooManyRequests/.test(k)).reduce((n, [, c]) => n + c, 0);
  // The sandbox counts per account; an account's calls spread over its two regions (and two services, which
  // the bound leaves aside, so it errs low). One lane is known exactly: every AssumeRole is the management
  // account's, in the home region, at STS, one per account reached through a role (retries of throttled
  // calls are the cost of the limit, not part of the bound).
  const busiestLaneCalls = Math.max(roles, ...Object.values(stats.byAccount ?? { none: 0 }).map((c) => c / REGIONS.length));
  const boundMs = Math.max(chain * latencyMs, (busiestLaneCalls / rateLimit) * 1000);
  return { wallMs: Math.round(wallMs), cpuMs: Math.round(cpuUs / 1000), peakRssMiB: Math.round(rssKiB / 1024), code, calls: stats.total, throttled, busiestLaneCalls: Math.round(busiestLaneCalls), boundMs: Math.round(boundMs), byOperation: stats.byOperation ?? {} };
}

interface SizeResult { members: number; lanes: number; apply: Run; plan: Run; plan_parallelism_10: Run }

async function measure(n: number): Promise<SizeResult> {
  const scratch = mkdtempSync(path.join(tmpdir(), `crossvault-bench-engine-${n}-`));
  try {
    const orgFile = path.join(scratch, "org.json");
    writeFileSync(orgFile, JSON.stringify(fixture(n)));
    const dir = path.join(scratch, "stack");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "main.hcl"), configuration(n));
    const sandbox = await startSandbox(orgFile);
    const none = path.join(scratch, "no-aws-config");
    const env = {
      AWS_ENDPOINT_URL: sandbox.url, AWS_ACCESS_KEY_ID: "AKIASANDBOX111111111", AWS_SECRET_ACCESS_KEY: "sandbox", AWS_REGION: "us-east-1",
      AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, CROSSVAULT_LOCK_DIR: path.join(scratch, "locks"), NO_COLOR: "1",
    };
    try {
      process.stdout.write(`N = ${n}: apply...\n`);
      const apply = await runCli(["apply", dir, "--auto-approve"], env, scratch, sandbox.url, APPLY_CHAIN, n + 1);
      process.stdout.write(`  ${apply.wallMs} ms, ${apply.calls} calls; plan...\n`);
      const plan = await runCli(["plan", dir, "--detailed-exitcode"], env, scratch, sandbox.url, PLAN_CHAIN, n + 1);
      process.stdout.write(`  ${plan.wallMs} ms, ${plan.calls} calls; plan --parallelism 10...\n`);
      const p10 = await runCli(["plan", dir, "--detailed-exitcode", "--parallelism", "10"], env, scratch, sandbox.url, PLAN_CHAIN, n + 1);
      process.stdout.write(`  ${p10.wallMs} ms, ${p10.calls} calls\n`);
      return { members: n, lanes: (n + 2) * REGIONS.length, apply, plan, plan_parallelism_10: p10 };
    } finally {
      await sandbox.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function row(n: number, what: string, r: Run): string {
  return `| ${n.toLocaleString("en")} | ${what} | ${r.code} | ${r.wallMs} ms | ${r.cpuMs} ms | ${r.calls} | ${r.throttled} | ${r.boundMs} ms | ${(r.wallMs / r.boundMs).toFixed(1)}x |`;
}

/** The targets, each with the measured figure and whether it was met. */
function targets(results: SizeResult[]): string[] {
  const ratio = (r: Run): number => r.wallMs / r.boundMs;
  const mark = (ok: boolean): string => (ok ? "met" : "not met");
  const small = results.find((r) => r.members === 100);
  const large = results.find((r) => r.members === 1000);
  const out = ["| Target | Measured | |", "| --- | --- | --- |"];
  if (small) {
    out.push(`| N = 100: no-change plan <= 2x its bound | ${ratio(small.plan).toFixed(1)}x | ${mark(ratio(small.plan) <= 2)} |`);
    out.push(`| N = 100: apply <= 2.5x its bound | ${ratio(small.apply).toFixed(1)}x | ${mark(ratio(small.apply) <= 2.5)} |`);
  }
  if (large) {
    const faster = large.plan_parallelism_10.wallMs / large.plan.wallMs;
    out.push(`| N = 1,000: plan >= 10x faster than the parallelism-10 walk | ${faster.toFixed(1)}x | ${mark(faster >= 10)} |`);
  }
  if (small && large) {
    const growth = large.plan.wallMs / small.plan.wallMs;
    out.push(`| time(1,000) / time(100) <= 10 | ${growth.toFixed(1)} | ${mark(growth <= 10)} |`);
  }
  out.push(
    "",
    "What limits it: at 10 requests per second per account-region and service, the management account's",
    "AssumeRole calls (one per account reached, all from one account-region at STS) take N / 10 seconds however the",
    "rest is parallelised. Every run waits on that lane, the parallelism-10 walk included, which is why the walk is",
    "not 10x slower: the 10x target presumes a bound set by the latency chain, not by one rate-limited lane.",
    "Where the CLI's CPU time is a small share of the wall time, the network (latency and rate limit), not the CPU,",
    "is the limit.",
  );
  return out;
}

function writeDocs(results: SizeResult[], measuredAt: string): void {
  const file = path.join(repo, "docs", "performance.md");
  const begin = "<!-- bench:engine:begin -->";
  const end = "<!-- bench:engine:end -->";
  const lines = [
    begin,
    "## Engine: plan and apply on a generated organization",
    "",
    `\`npx tsx bench/engine.ts\` generates an organization of N member accounts x ${REGIONS.length} regions (a local vault, a`,
    "backup plan with a copy route to a central vault, and a selection in each member account-region; a key and a",
    "vault open to the organization in the central account), starts `crossvault sandbox` in its own process with",
    `\`--latency-ms ${latencyMs} --rate-limit ${rateLimit}\`, and runs the real CLI in a child process: a full apply from nothing, a`,
    "no-change plan (default parallelism: 32 calls in flight, 4 per account-region), and the same plan at",
    "`--parallelism 10` (a Terraform-style walk). Calls are the AWS requests the sandbox counted (throttled ones",
    "included); CPU is the CLI process's own user + system time. The bound is max(longest chain of dependent calls x",
    `latency, calls of the busiest account-region / rate limit), with chains hand-counted from the code (${PLAN_CHAIN} calls for`,
    `a plan, ${APPLY_CHAIN} for an apply), an account's calls split evenly over its regions, and the management account's`,
    "AssumeRole calls (one per member account, all at STS in the home region) as one account-region of their own:",
    "at this rate limit they are the busiest lane, and so the bound.",
    "",
    `Measured ${measuredAt}, Node ${process.version}, ${cpus().length} CPUs shared with other work, 1-minute load average ${loadavg()[0]!.toFixed(2)} at the end.`,
    "",
    "| N | Run | Exit | Wall | CPU (CLI) | Calls | Throttled | Bound | Wall / bound |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.flatMap((r) => [row(r.members, "apply", r.apply), row(r.members, "no-change plan", r.plan), row(r.members, "plan --parallelism 10", r.plan_parallelism_10)]),
    "",
    ...results.map((r) => `- N = ${r.members.toLocaleString("en")} (${r.lanes} account-regions): the no-change plan made ${r.plan.calls} calls (${(r.plan.calls / r.lanes).toFixed(1)} per account-region) and was ${(r.plan_parallelism_10.wallMs / r.plan.wallMs).toFixed(1)}x faster than the parallelism-10 walk; the CLI's CPU time was ${Math.round((100 * r.plan.cpuMs) / r.plan.wallMs)}% of the plan's wall time${r.plan.cpuMs > 0.7 * r.plan.wallMs ? " (CPU, not the network, is the limit)" : ""}.`),
    ...(results.length >= 2 ? [`- time(${results.at(-1)!.members}) / time(${results[0]!.members}) for the no-change plan: ${(results.at(-1)!.plan.wallMs / results[0]!.plan.wallMs).toFixed(1)} (organization ${results.at(-1)!.members / results[0]!.members}x larger).`] : []),
    "",
    ...targets(results),
    "",
    "Raw results: `bench/results/engine.json`.",
    end,
  ];
  let text = readFileSync(file, "utf8");
  const section = lines.join("\n");
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  text = a >= 0 && b > a ? `${text.slice(0, a)}${section}${text.slice(b + end.length)}` : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text);
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: repo, stdio: "inherit" });
  const results: SizeResult[] = [];
  for (const n of sizes) results.push(await measure(n));
  const measuredAt = new Date().toISOString().slice(0, 10);
  mkdirSync(path.join(repo, "bench", "results"), { recursive: true });
  writeFileSync(path.join(repo, "bench", "results", "engine.json"), `${JSON.stringify({ measured_at: measuredAt, node: process.version, cpus: cpus().length, latency_ms: latencyMs, rate_limit: rateLimit, plan_chain: PLAN_CHAIN, apply_chain: APPLY_CHAIN, results }, null, 2)}\n`);
  writeDocs(results, measuredAt);
  for (const r of results) {
    process.stdout.write(`${[row(r.members, "apply", r.apply), row(r.members, "no-change plan", r.plan), row(r.members, "plan --parallelism 10", r.plan_parallelism_10)].join("\n")}\n`);
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
