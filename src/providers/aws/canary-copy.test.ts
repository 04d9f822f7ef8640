// The canary: which recovery point it copies (the newest that can be copied), as which role and with which
// lifecycle; how it follows the job (growing waits, a line per state change) to completed, failed or the timeout;
// and the routes it skips. The clock and the waits are simulated: nothing here sleeps.
import type { BackupClient, RecoveryPointByBackupVault } from "@aws-sdk/client-backup";
import { describe, expect, it } from "vitest";
import type { HealthTarget } from "../../check/health.js";
import { canaryRole, copyablePoints, runCanary } from "./canary-copy.js";
import type { HealthClients } from "./read-route-health.js";

const PROD = "222222222222";
const VAULT = "333333333333";
const REGION = "eu-west-1";
const CENTRAL = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:central`;
const ROLE = `arn:aws:iam::${PROD}:role/backup`;
const T0 = Date.UTC(2025, 2, 1, 4, 0);

const target: HealthTarget = {
  id: `${PROD}/${REGION}/local -> ${VAULT}/${REGION}/central`, source: { accountId: PROD, region: REGION, vault: "local" },
  destinationArn: CENTRAL, destination: { accountId: VAULT, region: REGION, vault: "central" }, roles: [ROLE], copyLifecycle: { deleteAfterDays: 35 },
};

const point = (arn: string, minutesAgo: number, extra: Partial<RecoveryPointByBackupVault> = {}): RecoveryPointByBackupVault => ({
  RecoveryPointArn: arn, CreationDate: new Date(T0 - minutesAgo * 60_000), Status: "COMPLETED", IamRoleArn: ROLE, ...extra,
});

/** The source account's Backup endpoint: its recovery points, and the states DescribeCopyJob goes through. */
function fakeSource(points: RecoveryPointByBackupVault[], states: Array<{ State: string; StatusMessage?: string }>, startError?: string) {
  const calls: Array<{ op: string; input: Record<string, unknown> }> = [];
  let described = 0;
  const clients: HealthClients = {
    describeAccess: () => "the default credential chain",
    backup: () => ({
      async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
        const op = command.constructor.name.replace(/Command$/, "");
        calls.push({ op, input: command.input });
        switch (op) {
          case "ListRecoveryPointsByBackupVault": return { RecoveryPoints: points };
          case "StartCopyJob":
            if (startError) throw Object.assign(new Error("Invalid IAM role ARN"), { name: startError });
            return { CopyJobId: "JOB-1" };
          case "DescribeCopyJob": {
            const s = states[Math.min(described++, states.length - 1)]!;
            return { CopyJob: { CopyJobId: "JOB-1", CreationDate: new Date(T0), DestinationRecoveryPointArn: s.State === "COMPLETED" ? "rp-copy" : undefined, ...s } };
          }
          default: throw new Error(`unexpected ${op}`);
        }
      },
    }) as unknown as BackupClient,
  };
  return { clients, calls };
}

function clock() {
  let now = T0;
  const waits: number[] = [];
  return { now: () => now, sleep: async (ms: number) => void (waits.push(ms), (now += ms)), waits };
}

describe("runCanary", () => {
  it("copies the newest copyable point as the route's role with the copy lifecycle, and follows the job to COMPLETED", async () => {
    const { clients, calls } = fakeSource(
      [point("rp-old", 120), point("rp-cold", 1, { CalculatedLifecycle: { MoveToColdStorageAt: new Date(T0 - 1000) } }), point("rp-new", 30)],
      [{ State: "CREATED" }, { State: "RUNNING" }, { State: "RUNNING" }, { State: "COMPLETED" }],
    );
    const c = clock();
    const lines: string[] = [];
    const out = await runCanary(clients, target, { timeoutMs: 900_000, progress: (l) => lines.push(l), now: c.now, sleep: c.sleep });
    expect(out).toMatchObject({ result: "completed", recoveryPointArn: "rp-new", roleArn: ROLE, job: { id: "JOB-1", state: "COMPLETED", destinationRecoveryPointArn: "rp-copy" } });
    const start = calls.find((x) => x.op === "StartCopyJob")!.input;
    expect(start).toMatchObject({ RecoveryPointArn: "rp-new", SourceBackupVaultName: "local", DestinationBackupVaultArn: CENTRAL, IamRoleArn: ROLE, Lifecycle: { DeleteAfterDays: 35 } });
    expect(start.IdempotencyToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.waits).toEqual([1000, 1500, 2250, 3375]);
    expect(lines.map((l) => l.replace(`canary ${target.id}: `, ""))).toEqual([
      `started copy job JOB-1 of rp-new as ${ROLE}`,
      "copy job JOB-1 CREATED after 1s",
      "copy job JOB-1 RUNNING after 3s",
      "copy job JOB-1 COMPLETED after 8s",
    ]);
  });

  it("reports a failed job with its status message", async () => {
    const { clients } = fakeSource([point("rp", 5)], [{ State: "FAILED", StatusMessage: "Access Denied trying to call AWS Backup service" }]);
    const c = clock();
    const out = await runCanary(clients, target, { timeoutMs: 60_000, progress: () => undefined, now: c.now, sleep: c.sleep });
    expect(out).toMatchObject({ result: "failed", message: "Access Denied trying to call AWS Backup service", job: { state: "FAILED" } });
  });

  it("stops waiting at the timeout (the last wait is cut to what is left), leaving the job as last seen", async () => {
    const { clients } = fakeSource([point("rp", 5)], [{ State: "RUNNING" }]);
    const c = clock();
    const lines: string[] = [];
    const out = await runCanary(clients, target, { timeoutMs: 10_000, progress: (l) => lines.push(l), now: c.now, sleep: c.sleep, maxPollMs: 4000 });
    expect(out).toMatchObject({ result: "timed-out", job: { state: "RUNNING" }, elapsedMs: 10_000 });
    expect(c.waits).toEqual([1000, 1500, 2250, 3375, 1875]);
    expect(lines.at(-1)).toContain("still RUNNING after 10s: stopped waiting (the copy job goes on in AWS)");
  });

  it("skips a route whose source vault has nothing to copy, without starting a job", async () => {
    const empty = fakeSource([], []);
    const out = await runCanary(empty.clients, target, { timeoutMs: 1000, progress: () => undefined, now: () => T0, sleep: async () => undefined });
    expect(out).toEqual({ result: "skipped", message: "the source vault local has no recovery point yet: nothing to copy" });
    expect(empty.calls.map((x) => x.op)).toEqual(["ListRecoveryPointsByBackupVault"]);
    const cold = fakeSource([point("rp", 5, { CalculatedLifecycle: { MoveToColdStorageAt: new Date(T0) } })], []);
    expect((await runCanary(cold.clients, target, { timeoutMs: 1000, progress: () => undefined, now: () => T0 })).message).toContain("no completed recovery point outside cold storage");
  });

  it("reports a copy StartCopyJob refuses as an error of the canary", async () => {
    const { clients } = fakeSource([point("rp", 5)], [], "InvalidParameterValueException");
    const out = await runCanary(clients, target, { timeoutMs: 1000, progress: () => undefined, now: () => T0 });
    expect(out).toMatchObject({ result: "error", recoveryPointArn: "rp" });
    expect(out.message).toBe(`StartCopyJob in account ${PROD} (${REGION}) refused the copy of rp: InvalidParameterValueException: Invalid IAM role ARN`);
  });
});

describe("choosing what to copy", () => {
  it("leaves out points not completed or already cold", () => {
    const points = [point("a", 1, { Status: "PARTIAL" }), point("b", 1, { CalculatedLifecycle: { MoveToColdStorageAt: new Date(T0 + 1) } }), point("c", 1, { Status: "EXPIRED" })];
    expect(copyablePoints(points, T0).map((p) => p.RecoveryPointArn)).toEqual(["b"]);
  });

  it("copies as the role that made the point when the route's selections name it, else as the route's first role", () => {
    const other = `arn:aws:iam::${PROD}:role/other`;
    expect(canaryRole({ ...target, roles: [ROLE, other] }, point("p", 1, { IamRoleArn: other }))).toBe(other);
    expect(canaryRole({ ...target, roles: [ROLE] }, point("p", 1, { IamRoleArn: other }))).toBe(ROLE);
  });
});
