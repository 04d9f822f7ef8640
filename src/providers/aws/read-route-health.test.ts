// Reading route health: copy jobs listed in the source account with the destination filter and kept to the route's
// source vault; the newest copy from that source in the destination vault; lists shared by routes read once;
// pages followed (up to the bound); a failed read recorded for the routes that need it, not for the others.
import type { BackupClient, CopyJob, RecoveryPointByBackupVault } from "@aws-sdk/client-backup";
import { describe, expect, it } from "vitest";
import type { HealthTarget } from "../../check/health.js";
import { readRouteHealth, type HealthClients } from "./read-route-health.js";

const PROD = "222222222222";
const STAGING = "444444444444";
const VAULT = "333333333333";
const REGION = "eu-west-1";
const vaultArn = (account: string, name: string, partition = "aws") => `arn:${partition}:backup:${REGION}:${account}:backup-vault:${name}`;
const CENTRAL = vaultArn(VAULT, "central");
const ROLE = `arn:aws:iam::${PROD}:role/backup`;

const target = (id: string, account = PROD, vault = "local", destination = CENTRAL): HealthTarget => ({
  id, source: { accountId: account, region: REGION, vault }, destinationArn: destination, roles: [ROLE],
  destination: { accountId: VAULT, region: REGION, vault: destination.split(":").pop()! },
});

interface Call { account: string; op: string; input: Record<string, unknown> }

/** A Backup endpoint per account: copy jobs and recovery points by vault, pages of `pageSize`, optional failures. */
function fakeBackup(world: { jobs?: Record<string, CopyJob[]>; points?: Record<string, RecoveryPointByBackupVault[]>; fail?: Record<string, string>; pageSize?: number }) {
  const calls: Call[] = [];
  const clients: HealthClients = {
    describeAccess: (account) => `role arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
    backup(account) {
      return {
        async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
          const op = command.constructor.name.replace(/Command$/, "");
          calls.push({ account, op, input: command.input });
          const failure = world.fail?.[`${account}:${op}`];
          if (failure) throw Object.assign(new Error(`${failure} for ${account}`), { name: failure });
          const size = world.pageSize ?? 1000;
          const start = Number(command.input.NextToken ?? 0);
          const page = <T>(items: T[]) => ({ items: items.slice(start, start + size), next: start + size < items.length ? String(start + size) : undefined });
          if (op === "ListCopyJobs") {
            const all = (world.jobs?.[account] ?? []).filter((j) => j.DestinationBackupVaultArn === command.input.ByDestinationVaultArn);
            const p = page(all);
            return { CopyJobs: p.items, NextToken: p.next };
          }
          if (op === "ListRecoveryPointsByBackupVault") {
            const p = page(world.points?.[`${account}/${String(command.input.BackupVaultName)}`] ?? []);
            return { RecoveryPoints: p.items, NextToken: p.next };
          }
          throw new Error(`unexpected ${op}`);
        },
      } as unknown as BackupClient;
    },
  };
  return { clients, calls };
}

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 3, minute));

function copyJob(id: string, from: string, minute: number, extra: Partial<CopyJob> = {}): CopyJob {
  return { CopyJobId: id, SourceBackupVaultArn: from, DestinationBackupVaultArn: CENTRAL, State: "COMPLETED", CreationDate: at(minute), ...extra };
}

describe("readRouteHealth", () => {
  it("keeps the route's own jobs (by source vault) and the newest copy from its source vault", async () => {
    const { clients, calls } = fakeBackup({
      jobs: { [PROD]: [
        copyJob("J1", vaultArn(PROD, "local"), 1),
        copyJob("J2", vaultArn(PROD, "other"), 2),
        copyJob("J3", vaultArn(PROD, "local"), 3, { State: "FAILED", StatusMessage: "Access Denied trying to call AWS Backup service", MessageCategory: "AccessDenied", CompletionDate: at(4) }),
      ] },
      points: { [`${VAULT}/central`]: [
        { RecoveryPointArn: "rp-old", SourceBackupVaultArn: vaultArn(PROD, "local"), CreationDate: at(1), CompletionDate: at(2), Status: "COMPLETED" },
        { RecoveryPointArn: "rp-new", SourceBackupVaultArn: vaultArn(PROD, "local"), CreationDate: at(5), CompletionDate: at(6), Status: "COMPLETED" },
        { RecoveryPointArn: "rp-other", SourceBackupVaultArn: vaultArn(STAGING, "local"), CreationDate: at(9) },
      ] },
    });
    const got = (await readRouteHealth(clients, [target("r")])).get("r")!;
    expect(got.jobs).toEqual({ ok: true, value: [
      { id: "J1", state: "COMPLETED", createdAt: at(1).toISOString() },
      { id: "J3", state: "FAILED", createdAt: at(3).toISOString(), completedAt: at(4).toISOString(), statusMessage: "Access Denied trying to call AWS Backup service", messageCategory: "AccessDenied" },
    ] });
    expect(got.recoveryPoint).toEqual({ ok: true, value: { arn: "rp-new", createdAt: at(5).toISOString(), completedAt: at(6).toISOString(), status: "COMPLETED" } });
    expect(calls.find((c) => c.op === "ListCopyJobs")).toMatchObject({ account: PROD, input: { ByDestinationVaultArn: CENTRAL, MaxResults: 1000 } });
    expect(calls.find((c) => c.op === "ListRecoveryPointsByBackupVault")).toMatchObject({ account: VAULT, input: { BackupVaultName: "central" } });
  });

  it("says `none yet` (null) when the destination holds no copy from this source, and compares vault ARNs by parts", async () => {
    const { clients } = fakeBackup({
      jobs: { [PROD]: [copyJob("J1", vaultArn(PROD, "local", "aws-us-gov"), 1)] },
      points: { [`${VAULT}/central`]: [{ RecoveryPointArn: "rp-other", SourceBackupVaultArn: vaultArn(STAGING, "local"), CreationDate: at(9) }] },
    });
    const got = (await readRouteHealth(clients, [target("r")])).get("r")!;
    expect(got.recoveryPoint).toEqual({ ok: true, value: null });
    expect(got.jobs.ok && got.jobs.value.map((j) => j.id)).toEqual(["J1"]);
  });

  it("reads a list that several routes share once, and follows pages up to the bound", async () => {
    const jobs = Array.from({ length: 7 }, (_, i) => copyJob(`J${i}`, vaultArn(PROD, i % 2 === 0 ? "local" : "other"), i));
    const { clients, calls } = fakeBackup({ jobs: { [PROD]: jobs }, pageSize: 2 });
    const got = await readRouteHealth(clients, [target("a"), target("b", PROD, "other")], { maxPages: 3 });
    expect(calls.filter((c) => c.op === "ListCopyJobs")).toHaveLength(3);
    expect(calls.filter((c) => c.op === "ListRecoveryPointsByBackupVault")).toHaveLength(1);
    const ids = (id: string) => { const r = got.get(id)!.jobs; return r.ok ? r.value.map((j) => j.id) : r.reason; };
    expect(ids("a")).toEqual(["J0", "J2", "J4"]);
    expect(ids("b")).toEqual(["J1", "J3", "J5"]);
  });

  it("records a failed read for the routes that need it; the others are read", async () => {
    const { clients } = fakeBackup({
      jobs: { [PROD]: [copyJob("J1", vaultArn(PROD, "local"), 1)], [STAGING]: [] },
      fail: { [`${STAGING}:ListCopyJobs`]: "AccessDeniedException" },
    });
    const got = await readRouteHealth(clients, [target("prod"), target("staging", STAGING)]);
    expect(got.get("prod")!.jobs.ok).toBe(true);
    const failed = got.get("staging")!.jobs;
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.reason).toBe(
      `cannot list the copy jobs of account ${STAGING} in ${REGION} through role arn:aws:iam::${STAGING}:role/OrganizationAccountAccessRole: ` +
      `AccessDeniedException: AccessDeniedException for ${STAGING} (the role needs backup:ListCopyJobs and backup:ListRecoveryPointsByBackupVault)`);
  });

  it("cannot read a destination that is not a vault ARN, and says so", async () => {
    const { clients } = fakeBackup({});
    const t: HealthTarget = { id: "odd", source: { accountId: PROD, region: REGION, vault: "local" }, destinationArn: "not-an-arn", roles: [ROLE] };
    const got = (await readRouteHealth(clients, [t])).get("odd")!;
    expect(got.recoveryPoint).toEqual({ ok: false, reason: "the destination not-an-arn is not a backup vault ARN" });
  });
});
