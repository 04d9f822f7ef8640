// `crossvault demo`: the whole product in one minute, with no AWS account. It starts the sandbox in this
// process (a local AWS endpoint holding an example organization), points the SDK at it through the standard
// AWS_ENDPOINT_URL and the sandbox's static keys (in this process only), then runs plan, apply and plan again on
// examples/basic, runs the backup plan, and follows the cross-account copy job until the copy lands in the
// destination account's vault.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SandboxHandle } from "../../sandbox/index.js";
import type { Config } from "../../config/model.js";
import { isInteractiveTerminal } from "../terminal.js";
import { applyCommand } from "./apply.js";
import { stdout } from "./engine-options.js";
import { planCommand } from "./plan.js";

export interface DemoOptions {
  autoApprove?: boolean;
  /** Set from the global --no-color. */
  color?: boolean;
}

const EXAMPLE = "examples/basic";
const JOB_DURATION_MS = 1500;
const COPY_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

interface Route {
  sourceAccount: string;
  sourceRegion: string;
  destinationArn: string;
  destinationAccount: string;
  destinationRegion: string;
  destinationVault: string;
}

/** Long lines broken at spaces to the terminal's width (continuing under their indent); off a terminal, as they are. */
function fitWidth(text: string): string {
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  if (!width) return text;
  return text.split("\n").map((line) => {
    const indent = " ".repeat(line.length - line.trimStart().length + 2);
    const out: string[] = [];
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(" ", width);
      if (cut <= rest.length - rest.trimStart().length) break;
      out.push(rest.slice(0, cut));
      rest = indent + rest.slice(cut + 1).trimStart();
    }
    return [...out, rest].join("\n");
  }).join("\n");
}

const say = (text: string): void => stdout(`${fitWidth(text)}\n`);

function step(n: number, total: number, title: string, why: string): void {
  // As wide as the terminal (a rule wider than the window wraps into two).
  const rule = "=".repeat(Math.min(100, process.stdout.columns || 100));
  say(`\n${rule}\nStep ${n}/${total}: ${title}\n  ${why}\n${rule}`);
}

/** The SDK's own settings, pointed at the sandbox for this process; returns how to undo it. */
function pointSdkAt(url: string, lockDir: string): () => void {
  const keys = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "CROSSVAULT_LOCK_DIR", "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"];
  const saved = new Map(keys.map((k) => [k, process.env[k]]));
  const none = path.join(lockDir, "no-aws-config");
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: "AKIASANDBOX111111111",
    AWS_SECRET_ACCESS_KEY: "sandbox",
    AWS_REGION: "us-east-1",
    // The machine's own AWS profiles must not take part: the sandbox is all there is.
    AWS_CONFIG_FILE: none,
    AWS_SHARED_CREDENTIALS_FILE: none,
    CROSSVAULT_LOCK_DIR: lockDir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function routesOf(config: Config): Route[] {
  const accountId = (t: { kind: string; name?: string; id?: string }): string => (t.kind === "account_id" ? t.id! : config.accounts.find((a) => a.name === t.name)?.id ?? "");
  const out: Route[] = [];
  for (const route of config.copyRoutes) {
    const plan = config.backupPlans.find((p) => p.address === route.source.planAddress);
    if (!plan) continue;
    const d = route.destination;
    const vault = d.kind === "vault" ? config.vaults.find((v) => v.name === d.vault.name && v.key === d.vault.key) : undefined;
    const dest = d.kind === "vault_arn"
      ? { arn: d.arn, account: d.account, region: d.region, name: d.vaultName }
      : vault ? { arn: vault.arn, account: accountId(vault.account), region: vault.region, name: vault.vaultName } : undefined;
    if (!dest) continue;
    out.push({ sourceAccount: accountId(plan.account), sourceRegion: plan.region, destinationArn: dest.arn, destinationAccount: dest.account, destinationRegion: dest.region, destinationVault: dest.name });
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function demoCommand(opts: DemoOptions = {}): Promise<number> {
  const example = fileURLToPath(new URL(`../../../${EXAMPLE}`, import.meta.url));
  const total = 5;
  say("crossvault demo: plan and apply AWS Backup cross-account copies on a local AWS organization.");
  say("No AWS account is used: crossvault's sandbox speaks the AWS APIs (Backup, KMS, Organizations, STS) on 127.0.0.1.");

  const { startSandbox } = await import("../../sandbox/index.js");
  const sandbox: SandboxHandle = await startSandbox({ jobDurationMs: JOB_DURATION_MS, log: () => undefined });
  const scratch = mkdtempSync(path.join(tmpdir(), "crossvault-demo-"));
  const restore = pointSdkAt(sandbox.url, scratch);
  say(`\nThe sandbox runs at ${sandbox.url} with organization ${sandbox.world().org.organizationId}: management 111111111111, prod 222222222222, vault 333333333333, staging 444444444444.`);
  say(`crossvault reaches it through the standard AWS_ENDPOINT_URL, like any AWS client; member accounts through sts:AssumeRole.`);
  const stopped = (n: number, code: number): number => {
    say(`\nThe demo stopped at step ${n} (exit code ${code}).`);
    return 1;
  };
  try {
    const color = opts.color === false ? { color: false } : {};
    // At a terminal the demo asks, as `apply DIR` does (showing the plan again with the question). With no one to
    // ask (a pipe, a CI log, --auto-approve) it takes the other reviewed path instead: plan saved with --out, then
    // `apply FILE`, where the saved plan is the approval, so the plan is printed once.
    const ask = opts.autoApprove !== true && isInteractiveTerminal();
    const saved = path.join(scratch, "basic.plan");
    const why = "Read the live state of every account the configuration names and show what apply would do";
    step(1, total, `crossvault plan ${EXAMPLE}${ask ? "" : ` --out ${saved}`}`, ask ? `${why}.` : `${why}; save the plan for apply.`);
    let code = await planCommand(example, { ...color, ...(ask ? {} : { out: saved }) });
    if (code !== 0) return stopped(1, code);

    const order = "Carry it out in dependency order: trust and setting, key, vaults, vault policy, backup plan, selection.";
    step(2, total, `crossvault apply ${ask ? EXAMPLE : saved}`, ask ? `${order} Review the changes, then answer yes.` : `${order} The saved plan is the approval; apply first checks that nothing it read has changed since.`);
    code = await applyCommand(ask ? example : saved, { ...color });
    if (code !== 0) return stopped(2, code);

    step(3, total, `crossvault plan ${EXAMPLE} --detailed-exitcode`, "Plan again: everything matches now, so there is nothing to do (exit code 0, not 2).");
    code = await planCommand(example, { detailedExitcode: true, ...color });
    if (code !== 0) return stopped(3, code);

    const { loadConfig } = await import("../../config/load.js");
    const loaded = await loadConfig(example, { env: {} });
    const routes = loaded.config ? routesOf(loaded.config) : [];
    if (!loaded.config || routes.length === 0) {
      say(`${EXAMPLE} declares no copy route to follow.`);
      return stopped(4, 1);
    }
    step(4, total, "run the backup plan now", "The sandbox starts every backup plan's rules at once instead of waiting for the schedule.");
    const run = await fetch(`${sandbox.url}/_sandbox/run-due-plans`, { method: "POST" });
    const ran = (await run.json()) as { result?: { backupJobs?: Array<{ accountId: string; region: string; backupJobId: string; resourceArn: string }> } };
    for (const j of ran.result?.backupJobs ?? []) say(`  backup job ${j.backupJobId} started in ${j.accountId}/${j.region} for ${j.resourceArn}`);

    step(5, total, "follow the cross-account copy", "When the backup completes, its rule's copy action starts a copy job into the other account's vault.");
    const { clientPoolFor } = await import("../../core/engine.js");
    const pool = clientPoolFor(loaded.config, process.env);
    try {
      for (const route of routes) {
        const ok = await followCopy(pool, route);
        if (!ok) return stopped(5, 1);
      }
    } finally {
      pool.destroy();
    }
    say("\nDone: the configuration was planned, applied and verified, and a recovery point crossed accounts.");
    say("Next: `crossvault sandbox` runs the same sandbox in a shell of its own, to try your own configuration against it.");
    return 0;
  } finally {
    restore();
    await sandbox.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

type Pool = import("../../providers/aws/clients.js").ClientPool;

/** Polls ListCopyJobs in the source account until a copy to the route's vault ends; shows the copy. */
async function followCopy(pool: Pool, route: Route): Promise<boolean> {
  const { ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand } = await import("@aws-sdk/client-backup");
  const source = pool.backup(route.sourceAccount, route.sourceRegion);
  say(`  route ${route.sourceAccount}/${route.sourceRegion} -> ${route.destinationArn}`);
  const seen = new Map<string, string>();
  const deadline = Date.now() + COPY_TIMEOUT_MS;
  let final: { id: string; state: string; message?: string } | undefined;
  while (Date.now() < deadline && !final) {
    const jobs = (await source.send(new ListCopyJobsCommand({ ByDestinationVaultArn: route.destinationArn }))).CopyJobs ?? [];
    for (const j of jobs) {
      const id = j.CopyJobId ?? "?";
      const state: string = j.State ?? "?";
      if (seen.get(id) !== state) {
        seen.set(id, state);
        say(`  ListCopyJobs in ${route.sourceAccount}: copy job ${id} is ${state}`);
      }
      if (state === "COMPLETED" || state === "FAILED" || state === "ABORTED") final = { id, state, ...(j.StatusMessage ? { message: j.StatusMessage } : {}) };
    }
    if (!final) await sleep(POLL_MS);
  }
  if (!final) {
    say(`  no copy job ended within ${COPY_TIMEOUT_MS / 1000} s`);
    return false;
  }
  if (final.state !== "COMPLETED") {
    say(`  the copy ${final.state}: ${final.message ?? "(no message)"}`);
    return false;
  }
  const dest = pool.backup(route.destinationAccount, route.destinationRegion);
  const points = (await dest.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: route.destinationVault }))).RecoveryPoints ?? [];
  say(`\n  In account ${route.destinationAccount}, vault ${route.destinationVault} now holds:`);
  for (const p of points) {
    const life = p.Lifecycle ? ` (cold after ${p.Lifecycle.MoveToColdStorageAfterDays ?? "-"} days, deleted after ${p.Lifecycle.DeleteAfterDays ?? "-"} days)` : "";
    say(`    ${p.RecoveryPointArn} ${p.Status ?? ""}: ${p.ResourceType ?? ""} ${p.ResourceArn ?? ""}, copied from ${p.SourceBackupVaultArn ?? "?"}${life}`);
  }
  return points.length > 0;
}
