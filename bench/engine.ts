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
import { writePerformanceSection as replaceDocSection } from "./_performance-doc.js";

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
 * parallelism). Plan: the organization walk (DescribeOrganization with ListRoots, the root's children, then
 * the members OU's account pages one after another: ceil(N / 20) of them), AssumeRole, then a central key's
 * read (ListAliases, ListResourceTags, DescribeKey, GetKeyRotationStatus, GetKeyPolicy). Apply adds its
 * writes: trusted access, the cross-account setting, then the backup plan and its selection, in parallel with
 * key (CreateKey, CreateAlias, EnableKeyRotation), vault, vault policy (read + write) = 7 on the longest branch.
 */
const planChain = (n: number): number => 2 + Math.ceil(n / 20) + 1 + 5;
const applyChain = (n: number): number => planChain(n) + 7;

/**
 * The minimal batched count of a no-change plan of the generated stack, from what the stack holds (not from the
 * reader's code): per account-region (members, central and management, each in both regions) three lists
 * (ListKeys only where a key is created: the central account);
 * per vault its tags and access policy; per plan its tags and selection list (its document is still the version
 * the stack wrote, which its tags prove, and its selection was created from the desired attributes, which its
 * token proves: neither is read); per central key its tags, metadata,
 * rotation and policy; the organization walk (20 accounts a page), its two settings and its SCPs; one
 * AssumeRole per account reached through a role. The copy-route check reuses what the live read fetched.
 */
function minimalPlanCalls(n: number): Record<string, number> {
  const lanes = (n + 2) * REGIONS.length;
  const members = n * REGIONS.length;
  const central = REGIONS.length;
  return {
    "backup:ListBackupVaults": lanes, "backup:ListBackupPlans": lanes, "kms:ListAliases": lanes, "kms:ListKeys": central,
    "backup:ListTags": members * 2 + central, "backup:GetBackupVaultAccessPolicy": members + central,
    "backup:ListBackupSelections": members,
    "kms:ListResourceTags": central, "kms:DescribeKey": central, "kms:GetKeyRotationStatus": central, "kms:GetKeyPolicy": central,
    "organizations:DescribeOrganization": 1, "organizations:ListRoots": 1,
    "organizations:ListOrganizationalUnitsForParent": 3, "organizations:ListAccountsForParent": 2 + Math.max(1, Math.ceil(n / 20)),
    "organizations:ListAWSServiceAccessForOrganization": 1, "backup:DescribeGlobalSettings": 1,
    // The organization's SCPs, for guardrails and the route check: the only one is FullAWSAccess (no tags to list).
    "organizations:ListPolicies": 1, "organizations:DescribePolicy": 1,
    // FullAWSAccess is attached to the root, both OUs and every account: its targets come 20 a page.
    "organizations:ListTargetsForPolicy": Math.ceil((1 + 2 + n + 2) / 20),
    "sts:AssumeRole": n + 1,
  };
}

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

interface Stats { total: number; byAccount: Record<string, number>; byLane: Record<string, number>; byOperation: Record<string, number>; errors: Record<string, number>; cpuMs: number }

async function control(url: string, op: string, method = "POST"): Promise<Stats> {
  return (await (await fetch(`${url}/_sandbox/${op}`, { method })).json()) as Stats;
}

const preload = "data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>{const u=process.resourceUsage();writeFileSync(process.env.CROSSVAULT_BENCH_USAGE_FILE,JSON.stringify([u.maxRSS,u.userCPUTime+u.systemCPUTime]))});";

interface Run { wallMs: number; cpuMs: number; sandboxCpuMs: number; peakRssMiB: number; code: number | null; calls: number; throttled: number; busiestLane: string; busiestLaneCalls: number; chain: number; boundMs: number; byOperation: Record<string, number> }

/**
 * The least time the rate limit allows for the calls the sandbox counted in one lane (service, account,
 * Region): a token bucket that starts full holds `rate` calls, then lets `rate` through per second.
 */
function laneMs(lane: string, calls: number): number {
  const rate = lane.startsWith("sts|") ? rateLimitSts : rateLimit;
  return rate > 0 ? (Math.max(0, calls - rate) / rate) * 1000 : 0;
}

async function runCli(args: string[], env: Record<string, string>, scratch: string, url: string, chain: number): Promise<Run> {
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
  // The busiest lane by the time its calls need under the rate limit (throttled attempts included: few).
  const [busiestLane, busiestLaneCalls] = Object.entries(stats.byLane ?? {}).reduce<[string, number]>((best, [lane, calls]) => (laneMs(lane, calls) > laneMs(best[0], best[1]) ? [lane, calls] : best), ["none", 0]);
  const boundMs = Math.max(chain * latencyMs, laneMs(busiestLane, busiestLaneCalls));
  return { wallMs: Math.round(wallMs), cpuMs: Math.round(cpuUs / 1000), sandboxCpuMs: stats.cpuMs, peakRssMiB: Math.round(rssKiB / 1024), code, calls: stats.total, throttled, busiestLane, busiestLaneCalls, chain, boundMs: Math.round(boundMs), byOperation: stats.byOperation ?? {} };
}

interface SizeResult { members: number; lanes: number; apply: Run; plan: Run; plan_parallelism_10: Run; minimal_plan_calls: Record<string, number>; beyond_minimal: Record<string, number> }

/** Counted minus minimal, per operation, where they differ (throttled attempts, retried, show here too). */
function beyondMinimal(counted: Record<string, number>, minimal: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const op of new Set([...Object.keys(counted), ...Object.keys(minimal)])) {
    const d = (counted[op] ?? 0) - (minimal[op] ?? 0);
    if (d !== 0) out[op] = d;
  }
  return out;
}

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
      const apply = await runCli(["apply", dir, "--auto-approve"], env, scratch, sandbox.url, applyChain(n));
      process.stdout.write(`  ${apply.wallMs} ms, ${apply.calls} calls; plan...\n`);
      const plan = await runCli(["plan", dir, "--detailed-exitcode"], env, scratch, sandbox.url, planChain(n));
      process.stdout.write(`  ${plan.wallMs} ms, ${plan.calls} calls; plan --parallelism 10...\n`);
      const p10 = await runCli(["plan", dir, "--detailed-exitcode", "--parallelism", "10"], env, scratch, sandbox.url, planChain(n));
      process.stdout.write(`  ${p10.wallMs} ms, ${p10.calls} calls\n`);
      const minimal = minimalPlanCalls(n);
      return { members: n, lanes: (n + 2) * REGIONS.length, apply, plan, plan_parallelism_10: p10, minimal_plan_calls: minimal, beyond_minimal: beyondMinimal(plan.byOperation, minimal) };
    } finally {
      await sandbox.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Both processes' CPU time spread perfectly over this machine's CPUs: no run of that work ends sooner. */
function cpuFloorMs(r: Run): number {
  return Math.round((r.cpuMs + r.sandboxCpuMs) / cpus().length);
}

function row(n: number, what: string, r: Run): string {
  return `| ${n.toLocaleString("en")} | ${what} | ${r.code} | ${r.wallMs} ms | ${r.cpuMs} ms | ${r.sandboxCpuMs} ms | ${r.calls} | ${r.throttled} | ${r.boundMs} ms | ${(r.wallMs / r.boundMs).toFixed(1)}x |`;
}

/** The issue's targets, each with the measured figure and whether it was met. */
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
  return out;
}

function writeDocs(results: SizeResult[], measuredAt: string): void {
  const begin = "<!-- bench:engine:begin -->";
  const end = "<!-- bench:engine:end -->";
  const lines = [
    begin,
    "## Engine: plan and apply on a generated organization",
    "",
    `\`npx tsx bench/engine.ts\` generates an organization of N member accounts x ${REGIONS.length} regions (a local vault, a`,
    "backup plan with a copy route to a central vault, and a selection in each member account-region; a key and a",
    "vault open to the organization in the central account), starts `crossvault sandbox` in its own process with",
    `\`--latency-ms ${latencyMs} --rate-limit ${rateLimit} --rate-limit-sts ${rateLimitSts}\` (STS at AWS's default AssumeRole quota; see`,
    "below), and runs the real CLI in a child process: a full apply from nothing, a no-change plan at the default",
    "parallelism, and the same plan at `--parallelism 10` (a Terraform-style walk: 10 calls in flight). Calls are",
    "the AWS requests the sandbox counted (throttled ones included); CPU is each process's own user + system",
    "time (the sandbox reports its own in its stats). The CPU floor of a run is both processes' CPU time spread",
    "perfectly over the machine's CPUs: no schedule of that work finishes sooner on this machine. The bound is max(longest chain of dependent calls x latency, the busiest lane's calls under the rate",
    "limit), where a lane is what the sandbox limits (a service in one account and Region, a token bucket that",
    "starts full: k calls need (k - rate) / rate seconds) and the chain is hand-counted from the code: the",
    "organization walk pages its accounts 20 at a time, one page after the other, so it grows with N.",
    "",
    `Measured ${measuredAt}, Node ${process.version}, ${cpus().length} CPUs shared with other work, 1-minute load average ${loadavg()[0]!.toFixed(2)} at the end.`,
    "",
    "| N | Run | Exit | Wall | CPU (CLI) | CPU (sandbox) | Calls | Throttled | Bound | Wall / bound |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.flatMap((r) => [row(r.members, "apply", r.apply), row(r.members, "no-change plan", r.plan), row(r.members, "plan --parallelism 10", r.plan_parallelism_10)]),
    "",
    ...results.map((r) => `- N = ${r.members.toLocaleString("en")} (${r.lanes} account-regions): the no-change plan made ${r.plan.calls} calls (${(r.plan.calls / r.lanes).toFixed(1)} per account-region) and was ${(r.plan_parallelism_10.wallMs / r.plan.wallMs).toFixed(1)}x faster than the parallelism-10 walk; the CLI's CPU time was ${Math.round((100 * r.plan.cpuMs) / r.plan.wallMs)}% of the plan's wall time${r.plan.cpuMs > 0.7 * r.plan.wallMs ? " (CPU, not the network, is the limit)" : ""}.`),
    ...results.flatMap((r) => ([["no-change plan", r.plan], ["apply", r.apply]] as const).map(([what, run]) => {
      const floor = cpuFloorMs(run);
      return `- N = ${r.members.toLocaleString("en")} ${what}: CPU floor ${floor} ms = ${(floor / run.boundMs).toFixed(1)}x its bound ((${run.cpuMs} ms CLI + ${run.sandboxCpuMs} ms sandbox) / ${cpus().length} CPUs).`;
    })),
    ...results.filter((r) => r.members >= 1000).map((r) => {
      const allowed = r.plan_parallelism_10.wallMs / 10;
      return `- N = ${r.members.toLocaleString("en")}: 10x faster than the parallelism-10 walk means ${Math.round(allowed)} ms; the bound alone is ${r.plan.boundMs} ms (${Math.round((100 * r.plan.boundMs) / allowed)}% of it), which leaves ${Math.max(0, Math.round(allowed - r.plan.boundMs))} ms for everything that cannot overlap the busiest lane: start-up and loading the configuration before the first call, and the route check after the last.`;
    }),
    ...(results.length >= 2 ? [`- time(${results.at(-1)!.members}) / time(${results[0]!.members}) for the no-change plan: ${(results.at(-1)!.plan.wallMs / results[0]!.plan.wallMs).toFixed(1)} (organization ${results.at(-1)!.members / results[0]!.members}x larger).`] : []),
    ...results.map((r) => `- N = ${r.members.toLocaleString("en")}: busiest lane of the plan \`${r.plan.busiestLane}\` (${r.plan.busiestLaneCalls} calls); chain ${r.plan.chain} calls. Calls beyond the minimal batched count (\`minimal_plan_calls\` in the results): ${Object.keys(r.beyond_minimal).length === 0 ? "none" : Object.entries(r.beyond_minimal).map(([op, d]) => `${op} ${d > 0 ? "+" : ""}${d}`).join(", ")}.`),
    "",
    ...targets(results),
    "",
    "Raw results: `bench/results/engine.json`.",
    end,
  ];
  replaceDocSection("engine", lines.join("\n"));
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: repo, stdio: "inherit" });
  const results: SizeResult[] = [];
  for (const n of sizes) results.push(await measure(n));
  const measuredAt = new Date().toISOString().slice(0, 10);
  mkdirSync(path.join(repo, "bench", "results"), { recursive: true });
  writeFileSync(path.join(repo, "bench", "results", "engine.json"), `${JSON.stringify({ measured_at: measuredAt, node: process.version, cpus: cpus().length, latency_ms: latencyMs, rate_limit: rateLimit, rate_limit_sts: rateLimitSts, results }, null, 2)}\n`);
  writeDocs(results, measuredAt);
  for (const r of results) {
    process.stdout.write(`${[row(r.members, "apply", r.apply), row(r.members, "no-change plan", r.plan), row(r.members, "plan --parallelism 10", r.plan_parallelism_10)].join("\n")}\n`);
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
