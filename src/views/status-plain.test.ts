// `crossvault status` as text and JSON: failing routes first with why, the check's failure with its statement and
// fix, the last failure's message, the newest copy, the canary, the newest jobs as a table, the closing count;
// colour only when asked for (never an escape code otherwise); the JSON is the versioned report itself.
import { describe, expect, it } from "vitest";
import type { RouteHealth, StatusReport } from "../check/health.js";
import { renderStatusJson } from "./status-json.js";
import { renderStatusText, shortTime } from "./status-plain.js";

const PROD = "222222222222";
const VAULT = "333333333333";
const REGION = "eu-west-1";

function route(vault: string, extra: Partial<RouteHealth>): RouteHealth {
  return {
    id: `${PROD}/${REGION}/${vault} -> ${VAULT}/${REGION}/central`,
    address: `backup_plan.${vault}.rule.nightly`,
    source: { accountId: PROD, region: REGION, vault },
    destination: { accountId: VAULT, region: REGION, vault: "central" },
    destinationVaultArn: `arn:aws:backup:${REGION}:${VAULT}:backup-vault:central`,
    health: "healthy", reasons: [], check: { status: "ok", failures: [], warnings: [] }, jobs: [], jobsRead: 0, newestRecoveryPoint: null,
    ...extra,
  };
}

const failed = { id: "F00D-2", state: "FAILED", createdAt: "2025-03-01T03:10:00.000Z", completedAt: "2025-03-01T03:10:02.000Z", statusMessage: "Access Denied trying to call AWS Backup service" };
const done = { id: "C0DE-1", state: "COMPLETED", createdAt: "2025-03-01T03:00:00.000Z", completedAt: "2025-03-01T03:00:02.000Z" };

const report: StatusReport = {
  format_version: "1.0", tool_version: "0.1.0", created_at: "2025-03-01T04:00:00.123Z", stack: "rc", canary: true,
  routes: [
    route("alpha", {
      jobs: [done], jobsRead: 1,
      newestRecoveryPoint: { arn: "arn:aws:backup:eu-west-1:333333333333:recovery-point:rp-1", createdAt: "2025-03-01T02:59:00.000Z", completedAt: "2025-03-01T03:00:02.000Z", status: "COMPLETED" },
      canary: { result: "completed", job: { ...done, id: "CA11-9", destinationRecoveryPointArn: "rp-canary" }, elapsedMs: 4200 },
    }),
    route("beta", {
      health: "failing",
      reasons: ["the copy-route check fails on the live state: [S4]", "the last copy job F00D-2 ended FAILED: Access Denied trying to call AWS Backup service"],
      check: { status: "fail", failures: [{ rule: "S4", message: "the access policy of vault.central does not allow backup:CopyIntoBackupVault", policy: "vault_policy.central", statement: "Crossvault2xrcCopyInto222222222222", fix: "Run `crossvault apply`." }], warnings: [] },
      jobs: [failed, done], jobsRead: 7, lastFailedJob: failed,
      canary: { result: "skipped", message: "the source vault beta has no recovery point yet: nothing to copy" },
    }),
    route("gamma", { health: "unknown", reasons: ["cannot list the copy jobs: AccessDeniedException"], jobsError: "cannot list the copy jobs: AccessDeniedException", recoveryPointError: "cannot list the recovery points: AccessDeniedException" }),
  ],
  summary: { healthy: 1, failing: 1, unknown: 1 }, notApplied: 1, unreadable: [{ accountId: "444444444444", region: REGION, message: "AccessDenied" }],
};

describe("renderStatusText", () => {
  const text = renderStatusText(report, { color: false });

  it("puts failing routes first, then unknown, then healthy, and ends with the count", () => {
    const heads = text.split("\n").filter((l) => /^(FAILING|UNKNOWN|healthy) /.test(l));
    expect(heads.map((l) => l.split(/\s+/)[0])).toEqual(["FAILING", "UNKNOWN", "healthy"]);
    expect(text.trimEnd().split("\n").at(-1)).toBe("3 routes: 1 healthy, 1 failing, 1 unknown.");
    expect(text).toContain("1 route exists only in the configuration (not applied yet): crossvault check shows it.");
    expect(text).toContain(`Could not read account 444444444444 in ${REGION}: AccessDenied`);
    expect(text.split("\n")[0]).toBe("Copy route health of stack rc, 2025-03-01 04:00:00Z (live state):");
  });

  it("shows a failing route's reasons, the check's failure with statement and fix, and the last failure's message", () => {
    const beta = text.slice(text.indexOf("FAILING"), text.indexOf("UNKNOWN"));
    expect(beta).toContain("why: the copy-route check fails on the live state: [S4]");
    expect(beta).toContain("check (live)  FAIL");
    expect(beta).toContain("[S4] the access policy of vault.central does not allow backup:CopyIntoBackupVault");
    expect(beta).toContain("decided by: vault_policy.central, statement Crossvault2xrcCopyInto222222222222");
    expect(beta).toMatch(/last failure {2}2025-03-01 03:10:02Z {2}copy job F00D-2 FAILED\n +Access Denied trying to call AWS Backup service/);
    expect(beta).toContain("newest copy   none yet");
    expect(beta).toContain("canary        skipped: the source vault beta has no recovery point yet: nothing to copy");
    expect(beta).toContain("(the newest 2 of 7 copy jobs read)");
  });

  it("lays the newest jobs out as a table, one row per job, columns aligned", () => {
    const rows = text.split("\n").filter((l) => /^ {2}(copy job|F00D-2|C0DE-1)/.test(l));
    expect(rows[0]).toMatch(/^ {2}copy job {2}state {6}created {15}completed {13}message$/);
    expect(rows).toContain("  F00D-2    FAILED     2025-03-01 03:10:00Z  2025-03-01 03:10:02Z  Access Denied trying to call AWS Backup service");
    expect(rows).toContain("  C0DE-1    COMPLETED  2025-03-01 03:00:00Z  2025-03-01 03:00:02Z");
  });

  it("says what could not be read instead of a table", () => {
    const gamma = text.slice(text.indexOf("UNKNOWN"), text.indexOf("healthy "));
    expect(gamma).toContain("note: cannot list the copy jobs: AccessDeniedException");
    expect(gamma).toContain("copy jobs: cannot tell: cannot list the copy jobs: AccessDeniedException");
    expect(gamma).toContain("newest copy   cannot tell: cannot list the recovery points: AccessDeniedException");
    expect(gamma).not.toContain("last failure");
  });

  it("shows the newest copy and a completed canary", () => {
    const alpha = text.slice(text.indexOf("healthy "));
    expect(alpha).toContain("newest copy   arn:aws:backup:eu-west-1:333333333333:recovery-point:rp-1");
    expect(alpha).toContain("backup of 2025-03-01 02:59:00Z, copied 2025-03-01 03:00:02Z");
    expect(alpha).toContain("canary        completed after 4s: copy job CA11-9");
    expect(alpha).toContain("copy: rp-canary");
    expect(alpha).toContain("last failure  none");
  });

  it("writes no escape code without colour, and colours the health with it", () => {
    expect(text).not.toMatch(/\x1b\[/);
    const coloured = renderStatusText(report, { color: true });
    expect(coloured).toContain("\x1b[31m\x1b[1mFAILING ");
    expect(coloured).toContain("\x1b[32mhealthy ");
    expect(coloured.replace(/\x1b\[\d+m/g, "")).toBe(text);
  });

  it("says when there are no routes", () => {
    const none = renderStatusText({ ...report, routes: [], summary: { healthy: 0, failing: 0, unknown: 0 }, notApplied: 0, unreadable: [] }, { color: false });
    expect(none).toContain("No copy routes exist yet.");
    expect(none.trimEnd().split("\n").at(-1)).toBe("0 routes: 0 healthy, 0 failing, 0 unknown.");
  });

  it("shortens times to the second, in UTC", () => {
    expect(shortTime("2025-03-01T04:00:00.123Z")).toBe("2025-03-01 04:00:00Z");
    expect(shortTime(undefined)).toBe("-");
  });
});

describe("renderStatusJson", () => {
  it("is the report, versioned", () => {
    const parsed = JSON.parse(renderStatusJson(report)) as StatusReport;
    expect(parsed).toEqual(report);
    expect(parsed.format_version).toBe("1.0");
  });
});
