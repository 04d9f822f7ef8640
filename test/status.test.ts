// End to end, the real CLI against the sandbox: `crossvault status` on a route before any backup (healthy, nothing
// copied yet; a canary has nothing to copy), after the backup plans ran (the completed copy job and the copy in the
// destination vault), after the route was broken behind crossvault's back (the failed job's message, the same
// failing verdict `check --live` gives, exit 2), and `--canary` over the repaired route (one on-demand copy,
// followed to COMPLETED).
import { DescribeCopyJobCommand, ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusReport } from "../src/check/health.js";
import { sidPrefix } from "../src/model/ownership.js";
import { MGMT, PROD, REGION, startEngineWorld, VAULT, writeConfig, type EngineWorld } from "./engine-cli-support.js";

const STACK = "st";
const CENTRAL = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:st-central`;
const ROUTE = `${PROD}/${REGION}/st-local -> ${VAULT}/${REGION}/st-central`;
const ROLE = `arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`;

const CONFIG = {
  "main.hcl": `
crossvault {
  stack              = "${STACK}"
  management_account = account.management
  default_region     = "${REGION}"
}
account "management" { id = "${MGMT}" }
account "prod"       { id = "${PROD}" }
account "vault"      { id = "${VAULT}" }
organization { cross_account_backup = true }
kms_key "central" {
  account = account.vault
  alias   = "alias/st-central"
}
kms_key "prod" {
  account = account.prod
  alias   = "alias/st-prod"
}
vault "central" {
  account = account.vault
  name    = "st-central"
  kms_key = kms_key.central
}
vault "local" {
  account = account.prod
  name    = "st-local"
  kms_key = kms_key.prod
}
backup_plan "prod" {
  account = account.prod
  rule "nightly" {
    vault = vault.local
    lifecycle { delete_after_days = 35 }
    copy { to = vault.central }
  }
  selection "tables" {
    iam_role_arn = "${ROLE}"
    resources    = ["arn:aws:dynamodb:${REGION}:${PROD}:table/orders"]
  }
}
`,
};

describe("crossvault status", () => {
  let w: EngineWorld;
  let dir: string;

  beforeAll(async () => {
    w = await startEngineWorld();
    dir = writeConfig(w, "stack", CONFIG);
    const applied = await w.cli(["apply", dir, "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await w?.stop();
  });

  async function status(...args: string[]): Promise<{ code: number | null; report: StatusReport; stderr: string }> {
    const r = await w.cli(["status", dir, "--json", ...args]);
    expect(r.stderr).not.toMatch(/Internal error/);
    return { code: r.code, report: JSON.parse(r.stdout) as StatusReport, stderr: r.stderr };
  }

  /** Runs the plans and waits until a copy job out of st-local that was not there before has ended. */
  async function runPlans(): Promise<{ id: string; state: string; message: string }> {
    const backup = w.backup(PROD);
    const list = async () => (await backup.send(new ListCopyJobsCommand({ ByDestinationVaultArn: CENTRAL }))).CopyJobs ?? [];
    const before = new Set((await list()).map((j) => j.CopyJobId));
    await w.control("run-due-plans");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const ended = (await list()).find((j) => !before.has(j.CopyJobId) && (j.State === "COMPLETED" || j.State === "FAILED"));
      if (ended) return { id: ended.CopyJobId!, state: ended.State!, message: ended.StatusMessage ?? "" };
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error("no copy job ended");
  }

  async function copiesInCentral(): Promise<string[]> {
    const out = await w.backup(VAULT).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "st-central" }));
    return (out.RecoveryPoints ?? []).map((p) => p.RecoveryPointArn!);
  }

  it("refuses a canary timeout without --canary, and a timeout that is not a duration, before reading anything", async () => {
    const alone = await w.cli(["status", dir, "--canary-timeout", "5m"]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain("Error: --canary-timeout needs --canary");
    const bad = await w.cli(["status", dir, "--canary", "--canary-timeout", "soon"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--canary-timeout soon: expected a duration such as 15m, 90s or 1h");
  }, 60_000);

  it("before any backup: healthy, no copy job and no copy yet; a canary has nothing to copy", async () => {
    const { code, report } = await status();
    expect(code).toBe(0);
    expect(report).toMatchObject({ format_version: "1.0", stack: STACK, canary: false, summary: { healthy: 1, failing: 0, unknown: 0 } });
    expect(report.routes).toEqual([expect.objectContaining({
      id: ROUTE, address: "backup_plan.prod.rule.nightly", destinationVaultArn: CENTRAL, health: "healthy", jobs: [], newestRecoveryPoint: null,
      check: { status: "ok", failures: [], warnings: expect.any(Array) },
    })]);

    const canary = await status("--canary");
    expect(canary.code).toBe(0);
    expect(canary.stderr).toContain("Warning: --canary starts one real copy job per route. In AWS each one is billed as a copy");
    expect(canary.report.routes[0]!.canary).toEqual({ result: "skipped", message: "the source vault st-local has no recovery point yet: nothing to copy" });
    expect(canary.report.routes[0]!.health).toBe("healthy");
  }, 120_000);

  it("after the plans ran: the completed copy job and the copy in the destination vault", async () => {
    const job = await runPlans();
    expect(job.state).toBe("COMPLETED");
    const [copy] = await copiesInCentral();

    const { code, report } = await status();
    expect(code).toBe(0);
    const r = report.routes[0]!;
    expect(r.health).toBe("healthy");
    expect(r.jobs).toEqual([expect.objectContaining({ id: job.id, state: "COMPLETED", destinationRecoveryPointArn: copy })]);
    expect(r.newestRecoveryPoint).toMatchObject({ arn: copy, status: "COMPLETED" });
    expect(r.lastFailedJob).toBeUndefined();

    const text = await w.cli(["status", dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/\x1b\[/);
    expect(text.stdout).toContain(`healthy  ${ROUTE}`);
    expect(text.stdout).toMatch(new RegExp(`  ${job.id}  COMPLETED  `));
    expect(text.stdout).toContain(`newest copy   ${copy}`);
    expect(text.stdout).toContain("last failure  none");
    expect(text.stdout).toContain("1 route: 1 healthy, 0 failing, 0 unknown.");
    expect(text.stderr).toContain("Reading the copy jobs and recovery points of 1 copy route...");
  }, 120_000);

  it("broken behind crossvault's back: the failed job's message, the verdict check --live gives, exit 2", async () => {
    // The key share statements leave the source key's policy [S5].
    const kms = w.kms(PROD);
    const keyArn = (await kms.send(new DescribeKeyCommand({ KeyId: "alias/st-prod" }))).KeyMetadata!.Arn!;
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }))).Policy!) as { Statement: Array<{ Sid?: string }> };
    policy.Statement = policy.Statement.filter((s) => !(s.Sid ?? "").startsWith(sidPrefix(STACK)));
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default", Policy: JSON.stringify(policy) }));
    const job = await runPlans();
    expect(job.state).toBe("FAILED");
    expect(job.message).not.toBe("");

    const { code, report } = await status();
    expect(code).toBe(2);
    expect(report.summary).toEqual({ healthy: 0, failing: 1, unknown: 0 });
    const r = report.routes[0]!;
    expect(r.health).toBe("failing");
    expect(r.lastFailedJob).toMatchObject({ id: job.id, state: "FAILED", statusMessage: job.message });
    expect(r.jobs.map((j) => j.state)).toEqual(["FAILED", "COMPLETED"]);
    expect(r.check.status).toBe("fail");
    expect(r.check.failures.map((f) => f.rule)).toContain("S5");
    expect(r.reasons).toEqual([
      expect.stringContaining("the copy-route check fails on the live state: [S5]"),
      `the last copy job ${job.id} ended FAILED: ${job.message}`,
    ]);

    // The verdict is check --live's own.
    const checked = await w.cli(["check", dir, "--live", "--json"]);
    const live = (JSON.parse(checked.stdout) as { routes: Array<{ id: string; status: string; failures: unknown[] }> }).routes.find((x) => x.id === ROUTE)!;
    expect(r.check.status).toBe(live.status);
    expect(r.check.failures).toEqual(live.failures);

    const text = await w.cli(["status", dir]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`FAILING  ${ROUTE}`);
    expect(text.stdout).toContain("check (live)  FAIL");
    expect(text.stdout).toContain(job.message);
    expect(text.stdout).toMatch(new RegExp(`last failure  \\S+ \\S+  copy job ${job.id} FAILED`));
  }, 120_000);

  it("--canary over the repaired route: one on-demand copy, followed to COMPLETED; the route is healthy again", async () => {
    const applied = await w.cli(["apply", dir, "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const copiesBefore = await copiesInCentral();

    const { code, report, stderr } = await status("--canary");
    const r = report.routes[0]!;
    expect(code, JSON.stringify(r, null, 2) + stderr).toBe(0);
    expect(report.canary).toBe(true);
    expect(r.canary).toMatchObject({ result: "completed", roleArn: ROLE, job: { state: "COMPLETED" } });
    const canaryJob = r.canary!.job!;
    expect(r.health).toBe("healthy");
    expect(r.jobs[0]!.id).toBe(canaryJob.id);
    expect(r.lastFailedJob?.state).toBe("FAILED");
    expect(stderr).toContain(`canary ${ROUTE}: started copy job ${canaryJob.id}`);
    expect(stderr).toMatch(new RegExp(`canary ${ROUTE.replace(/[/.>-]/g, "\\$&")}: copy job ${canaryJob.id} COMPLETED after \\d+s`));

    // The copy is real: the sandbox ran it, and its recovery point is in the destination vault.
    const described = (await w.backup(PROD).send(new DescribeCopyJobCommand({ CopyJobId: canaryJob.id }))).CopyJob!;
    expect(described).toMatchObject({ State: "COMPLETED", DestinationBackupVaultArn: CENTRAL, IamRoleArn: ROLE, SourceRecoveryPointArn: r.canary!.recoveryPointArn });
    const copiesAfter = await copiesInCentral();
    expect(copiesAfter).toContain(described.DestinationRecoveryPointArn);
    expect(copiesBefore).not.toContain(described.DestinationRecoveryPointArn);
    // Read after the canary: its copy (of the newest backup) is the newest copy in the destination.
    expect(r.newestRecoveryPoint?.arn).toBe(described.DestinationRecoveryPointArn);
  }, 120_000);
});
