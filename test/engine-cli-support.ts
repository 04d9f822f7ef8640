// What the engine's end-to-end tests share: a sandbox in the test process that the real CLI (a child process)
// reaches through AWS_ENDPOINT_URL and the management account's static keys, SDK clients acting as each
// account's root (to look behind crossvault's back and to change things behind it), and configurations
// written to temporary directories.
import { BackupClient, ListBackupVaultsCommand, ListCopyJobsCommand } from "@aws-sdk/client-backup";
import { KMSClient, ListKeysCommand, ListResourceTagsCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle, SandboxOptions } from "../src/sandbox/index.js";
import { cliPath, runCli, type CliResult } from "./cli.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export const MGMT = "111111111111";
export const PROD = "222222222222";
export const VAULT = "333333333333";
export const STAGING = "444444444444";
export const REGION = "eu-west-1";

/** The built-in organization maps these keys to each account's root. */
const ROOT_KEYS: Record<string, string> = {
  [MGMT]: "AKIASANDBOX111111111",
  [PROD]: "AKIASANDBOX222222222",
  [VAULT]: "AKIASANDBOX333333333",
  [STAGING]: "AKIASANDBOX444444444",
};

export interface EngineWorld {
  sandbox: SandboxHandle;
  /** Scratch directory: configurations, plans, locks. */
  dir: string;
  /** Environment of every CLI run: the sandbox and nothing of this machine's AWS set-up. */
  env: Record<string, string | undefined>;
  cli(args: string[], opts?: { cwd?: string; input?: string; timeoutMs?: number; env?: Record<string, string | undefined> }): Promise<CliResult>;
  backup(accountId: string, region?: string): BackupClient;
  kms(accountId: string, region?: string): KMSClient;
  control(op: string, body?: unknown): Promise<unknown>;
  /** A CLI run to watch and signal while it works. */
  spawn(args: string[], opts?: { cwd?: string }): RunningCli;
  stop(): Promise<void>;
}

export interface RunningCli {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

export async function startEngineWorld(options: SandboxOptions = {}): Promise<EngineWorld> {
  const sandbox = await startSandbox({ log: () => undefined, jobDurationMs: 400, ...options });
  const dir = mkdtempSync(path.join(tmpdir(), "crossvault-e2e-"));
  const none = path.join(dir, "no-aws-config");
  const env: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: ROOT_KEYS[MGMT],
    AWS_SECRET_ACCESS_KEY: "sandbox",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: none,
    AWS_SHARED_CREDENTIALS_FILE: none,
    CROSSVAULT_LOCK_DIR: path.join(dir, "locks"),
  };
  const clients: Array<{ destroy(): void }> = [];
  const credentials = (accountId: string) => ({ accessKeyId: ROOT_KEYS[accountId] ?? ROOT_KEYS[MGMT]!, secretAccessKey: "sandbox" });
  return {
    sandbox,
    dir,
    env,
    cli: (args, opts = {}) => runCli(args, { cwd: opts.cwd ?? dir, env: { ...env, ...opts.env }, ...(opts.input !== undefined ? { input: opts.input } : {}), timeoutMs: opts.timeoutMs ?? 120_000 }),
    backup(accountId, region = REGION) {
      const c = new BackupClient({ region, endpoint: sandbox.url, credentials: credentials(accountId), maxAttempts: 10 });
      clients.push(c);
      return c;
    },
    kms(accountId, region = REGION) {
      const c = new KMSClient({ region, endpoint: sandbox.url, credentials: credentials(accountId), maxAttempts: 10 });
      clients.push(c);
      return c;
    },
    async control(op, body) {
      const r = await fetch(`${sandbox.url}/_sandbox/${op}`, { method: "POST", body: JSON.stringify(body ?? {}) });
      return r.json();
    },
    spawn(args, opts = {}) {
      const child = spawn(process.execPath, [cliPath, ...args], { cwd: opts.cwd ?? dir, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let err = "";
      const watchers: Array<() => void> = [];
      child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr!.on("data", (d: Buffer) => {
        err += d.toString();
        for (const w of watchers.splice(0)) w();
      });
      child.on("close", () => {
        for (const w of watchers.splice(0)) w();
      });
      child.stdin!.end();
      const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
      });
      return {
        child,
        stdout: () => out,
        stderr: () => err,
        done,
        waitFor(pattern, timeoutMs = 60_000) {
          return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`stderr never matched ${pattern}:\n${err}`)), timeoutMs);
            const check = (): void => {
              if (pattern.test(err)) {
                clearTimeout(timer);
                resolve();
              } else if (child.exitCode !== null || child.signalCode !== null) {
                clearTimeout(timer);
                reject(new Error(`the CLI ended before stderr matched ${pattern}:\n${err}`));
              } else watchers.push(check);
            };
            check();
          });
        },
      };
    },
    async stop() {
      for (const c of clients) c.destroy();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes files (name -> text) into a new directory under the world's scratch directory. */
export function writeConfig(world: EngineWorld, name: string, files: Record<string, string>): string {
  const dir = path.join(world.dir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

export async function vaultNames(world: EngineWorld, accountId: string, region = REGION): Promise<string[]> {
  const out = await world.backup(accountId, region).send(new ListBackupVaultsCommand({}));
  return (out.BackupVaultList ?? []).map((v) => v.BackupVaultName ?? "").sort();
}

/** Keys of an account-region tagged with the stack (any state but pending deletion, unless asked). */
export async function stackKeys(world: EngineWorld, stack: string, accountId: string, region = REGION, opts: { includePendingDeletion?: boolean } = {}): Promise<string[]> {
  const kms = world.kms(accountId, region);
  const keys = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys ?? [];
  const out: string[] = [];
  for (const k of keys) {
    const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId! }))).Tags ?? [];
    if (!tags.some((t) => t.TagKey === "crossvault:stack" && t.TagValue === stack)) continue;
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId! }))).KeyMetadata;
    if (!opts.includePendingDeletion && meta?.KeyState === "PendingDeletion") continue;
    out.push(k.KeyArn!);
  }
  return out.sort();
}

/** Polls ListCopyJobs in the source account until a copy into the vault ends; returns the last state seen. */
export async function awaitCopy(world: EngineWorld, sourceAccount: string, destinationVaultArn: string, timeoutMs = 30_000): Promise<{ state: string; message?: string }> {
  const client = world.backup(sourceAccount);
  const deadline = Date.now() + timeoutMs;
  let last: { state: string; message?: string } = { state: "NONE" };
  while (Date.now() < deadline) {
    const jobs = (await client.send(new ListCopyJobsCommand({ ByDestinationVaultArn: destinationVaultArn }))).CopyJobs ?? [];
    const ended = jobs.find((j) => j.State === "COMPLETED" || j.State === "FAILED");
    if (ended) return { state: ended.State!, ...(ended.StatusMessage ? { message: ended.StatusMessage } : {}) };
    if (jobs[0]) last = { state: jobs[0].State ?? "?" };
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

/** The addresses a text plan lists, with their symbol: `+ vault.central`. */
export function planLines(stdout: string): string[] {
  return stdout.split("\n").map((l) => /^\s*(\+|~|-|-\/\+|<=) (\S+) \{$/.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => `${m[1]} ${m[2]}`).sort();
}
