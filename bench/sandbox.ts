// Benchmark: requests per second the sandbox sustains for a read-heavy mix of AWS calls, and their latency.
// The sandbox runs in its own process (the built CLI, as users run it); this process drives it twice: with the
// real SDK clients (what an engine run sees) and with raw signed HTTP (what the sandbox itself sustains, without
// the SDK's own CPU cost). Run: `npx tsx bench/sandbox.ts [--seconds N] [--concurrency N]`.
// Writes bench/results/sandbox.json and the "Sandbox" section of docs/performance.md.
import { execFileSync } from "node:child_process";
import { Agent, request } from "node:http";
import { cpus, loadavg } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startSandboxProcess } from "./_sandbox-process.js";
import { BackupClient, CreateBackupVaultCommand, DescribeBackupVaultCommand, ListBackupVaultsCommand, ListRecoveryPointsByBackupVaultCommand, TagResourceCommand } from "@aws-sdk/client-backup";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { DescribeOrganizationCommand, ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { writePerformanceSection as replaceDocSection } from "./_performance-doc.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "1";
const root = fileURLToPath(new URL("..", import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const seconds = arg("seconds", 10);
const concurrency = arg("concurrency", 16);

async function startChild(): Promise<{ url: string; stop: () => Promise<void> }> {
  execFileSync(process.execPath, [fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  return startSandboxProcess();
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const sandbox = await startChild();
  const config = { endpoint: sandbox.url, region: "us-east-1", credentials: { accessKeyId: "AKIASANDBOX111111111", secretAccessKey: "sandbox" }, maxAttempts: 1 };
  const backup = new BackupClient(config);
  const kms = new KMSClient(config);
  const orgs = new OrganizationsClient(config);
  const sts = new STSClient(config);

  // A world with something to read: 20 vaults and 5 keys in the management account.
  const vaults: string[] = [];
  for (let i = 0; i < 20; i++) vaults.push((await backup.send(new CreateBackupVaultCommand({ BackupVaultName: `bench-${i}` }))).BackupVaultArn!);
  const keys: string[] = [];
  for (let i = 0; i < 5; i++) keys.push((await kms.send(new CreateKeyCommand({ Description: `bench ${i}` }))).KeyMetadata!.KeyId!);

  let n = 0;
  const pick = <T>(xs: T[]): T => xs[n++ % xs.length]!;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=AKIASANDBOX111111111/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
  const http = (method: string, path: string, service: string, body = "", headers: Record<string, string> = {}): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(new URL(path, sandbox.url), { method, agent, headers: { Authorization: auth(service), ...headers } }, (res) => {
        res.resume();
        res.on("end", () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(body);
    });
  const json = (service: "kms" | "organizations", op: string, body: unknown) =>
    http("POST", "/", service, JSON.stringify(body), { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `${service === "kms" ? "TrentService" : "AWSOrganizationsV20161128"}.${op}` });

  // Weights out of 100: 90 reads, 10 writes; each entry: name, weight, SDK call, raw HTTP call.
  const mix: Array<[string, number, () => Promise<unknown>, () => Promise<unknown>]> = [
    ["backup:ListBackupVaults", 20, () => backup.send(new ListBackupVaultsCommand({})), () => http("GET", "/backup-vaults", "backup")],
    ["backup:DescribeBackupVault", 20, () => backup.send(new DescribeBackupVaultCommand({ BackupVaultName: `bench-${n++ % 20}` })), () => http("GET", `/backup-vaults/bench-${n++ % 20}`, "backup")],
    ["backup:ListRecoveryPointsByBackupVault", 5, () => backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: `bench-${n++ % 20}` })), () => http("GET", `/backup-vaults/bench-${n++ % 20}/recovery-points`, "backup")],
    ["kms:DescribeKey", 15, () => kms.send(new DescribeKeyCommand({ KeyId: pick(keys) })), () => json("kms", "DescribeKey", { KeyId: pick(keys) })],
    ["kms:ListAliases", 5, () => kms.send(new ListAliasesCommand({})), () => json("kms", "ListAliases", {})],
    ["organizations:ListAccounts", 10, () => orgs.send(new ListAccountsCommand({})), () => json("organizations", "ListAccounts", {})],
    ["organizations:DescribeOrganization", 10, () => orgs.send(new DescribeOrganizationCommand({})), () => json("organizations", "DescribeOrganization", {})],
    ["sts:GetCallerIdentity", 5, () => sts.send(new GetCallerIdentityCommand({})), () => http("POST", "/", "sts", "Action=GetCallerIdentity&Version=2011-06-15", { "Content-Type": "application/x-www-form-urlencoded" })],
    ["backup:TagResource (write)", 10, () => backup.send(new TagResourceCommand({ ResourceArn: pick(vaults), Tags: { bench: String(n++) } })), () => http("POST", `/tags/${encodeURIComponent(pick(vaults))}`, "backup", JSON.stringify({ Tags: { bench: String(n++) } }), { "Content-Type": "application/json" })],
  ];

  const run = async (wheel: Array<() => Promise<unknown>>, ms: number): Promise<{ latencies: number[]; errors: number; elapsed: number }> => {
    const latencies: number[] = [];
    let errors = 0;
    let i = 0;
    const start = performance.now();
    const end = start + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const call = wheel[(i++ * 37) % wheel.length]!;
          const t0 = performance.now();
          try {
            await call();
          } catch {
            errors++;
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    return { latencies, errors, elapsed: (performance.now() - start) / 1000 };
  };

  const measure = async (client: "sdk" | "raw"): Promise<Measurement> => {
    const wheel = mix.flatMap(([, w, sdk, rawCall]) => Array.from({ length: w }, () => (client === "sdk" ? sdk : rawCall)));
    await run(wheel, 1000); // warm-up: JIT, connection pools
    await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST" });
    const { latencies, errors, elapsed } = await run(wheel, seconds * 1000);
    const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { total: number };
    latencies.sort((a, b) => a - b);
    return {
      client,
      seconds: round(elapsed),
      requests: latencies.length,
      serverCounted: stats.total,
      errors,
      requestsPerSecond: round(latencies.length / elapsed, 1),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
    };
  };

  const sdk = await measure("sdk");
  const rawHttp = await measure("raw");
  agent.destroy();
  await sandbox.stop();

  const result: BenchResult = {
    benchmark: "sandbox read-heavy mix",
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage1m: round(loadavg()[0]!),
    concurrency,
    mix: Object.fromEntries(mix.map(([name, w]) => [name, w])),
    runs: [sdk, rawHttp],
  };
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(new URL("./results/sandbox.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  writePerformanceSection(result);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

interface Measurement {
  client: "sdk" | "raw";
  seconds: number;
  requests: number;
  serverCounted: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface BenchResult {
  benchmark: string;
  date: string;
  node: string;
  cpus: number;
  loadAverage1m: number;
  concurrency: number;
  mix: Record<string, number>;
  runs: Measurement[];
}

function writePerformanceSection(r: BenchResult): void {
  const begin = "<!-- bench:sandbox:begin -->";
  const end = "<!-- bench:sandbox:end -->";
  const rows = r.runs.map(
    (m) => `| ${m.client === "sdk" ? "AWS SDK v3 clients" : "raw signed HTTP"} | ${m.requests} in ${m.seconds} s | ${m.errors} | ${m.requestsPerSecond} | ${m.p50Ms} ms | ${m.p99Ms} ms |`,
  );
  const section = [
    begin,
    "## Sandbox throughput",
    "",
    "`npx tsx bench/sandbox.ts` starts `crossvault sandbox` in its own process and drives it from another with a",
    "read-heavy mix (90% reads: ListBackupVaults, DescribeBackupVault, ListRecoveryPointsByBackupVault, DescribeKey,",
    `ListAliases, ListAccounts, DescribeOrganization, GetCallerIdentity; 10% TagResource writes), ${r.concurrency} requests`,
    "in flight: once through the AWS SDK v3 clients (what an engine run sees; the SDK's own CPU cost is included,",
    "as both processes share the machine) and once as raw signed HTTP (what the sandbox itself sustains).",
    "",
    `Measured ${r.date.slice(0, 10)}, Node ${r.node}, ${r.cpus} CPUs, 1-minute load average ${r.loadAverage1m} at the end of the run.`,
    "",
    "| Client | Requests | Errors | Requests/s | p50 | p99 |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "Raw result: `bench/results/sandbox.json`.",
    end,
  ].join("\n");
  replaceDocSection("sandbox", section);
}

await main();
