// Route health from what was read: which routes, which role and lifecycle a canary copies with, and how copy jobs,
// the check's verdict, unreadable lists and a canary add up to healthy, failing or unknown (and the exit code).
import { describe, expect, it } from "vitest";
import type { RouteFailure, RouteStatus } from "../core/plan-types.js";
import {
  assembleStatus, healthTargets, JOBS_SHOWN, liveCopyRoutes, statusExitCode,
  type CanaryOutcome, type CopyJobFact, type HealthTarget, type LiveVerdict, type RouteReadings,
} from "./health.js";
import { CENTRAL_ARN, org, parts, planAttributes, PROD, REGION, ROLE, selection, STACK, VAULT } from "./routes/route-fixture.js";

const ID = `${PROD}/${REGION}/local -> ${VAULT}/${REGION}/central`;
const ADDRESS = "backup_plan.prod.rule.daily";

function verdict(status: RouteStatus = "ok", failures: RouteFailure[] = [], id = ID, address = ADDRESS): LiveVerdict {
  return {
    verdict: { id, address, source: { accountId: PROD, region: REGION, vault: "local" }, destination: { accountId: VAULT, region: REGION, vault: "central" } },
    status, failures, warnings: [],
  };
}

const target = (id = ID): HealthTarget => ({
  id, address: ADDRESS, source: { accountId: PROD, region: REGION, vault: "local" }, destinationArn: CENTRAL_ARN,
  destination: { accountId: VAULT, region: REGION, vault: "central" }, roles: [ROLE],
});

const job = (id: string, state: string, minute: number, message?: string): CopyJobFact => ({
  id, state, createdAt: `2025-03-01T03:${String(minute).padStart(2, "0")}:00.000Z`, ...(message ? { statusMessage: message } : {}),
});

function readings(jobs: CopyJobFact[] | string, point: RouteReadings["recoveryPoint"] = { ok: true, value: null }): RouteReadings {
  return { jobs: typeof jobs === "string" ? { ok: false, reason: jobs } : { ok: true, value: jobs }, recoveryPoint: point };
}

function status(v: LiveVerdict, r: RouteReadings, canary?: CanaryOutcome) {
  return assembleStatus({
    stack: STACK, toolVersion: "0.0.0", now: new Date("2025-03-01T04:00:00Z"), verdicts: [v], targets: [target(v.verdict.id)],
    readings: new Map([[v.verdict.id, r]]), ...(canary ? { canaries: new Map([[v.verdict.id, canary]]) } : {}), notApplied: 0, unreadable: [],
  });
}

const S5: RouteFailure = { rule: "S5", message: "key policy does not allow account 333333333333", fix: "Run crossvault apply." };

describe("the routes status reports", () => {
  it("come from the live backup plans, with the selections' roles and the copy action's lifecycle", () => {
    const p = parts();
    p.live[0] = { ...p.live[0]!, attributes: planAttributes({ destination_vault_arn: CENTRAL_ARN, lifecycle: { delete_after_days: 90 } }) };
    const routes = liveCopyRoutes({ stack: STACK, live: p.live, org });
    const [t] = healthTargets([verdict()], routes);
    expect(t).toEqual({
      id: ID, address: ADDRESS, source: { accountId: PROD, region: REGION, vault: "local" }, destinationArn: CENTRAL_ARN,
      destination: { accountId: VAULT, region: REGION, vault: "central" }, roles: [ROLE], copyLifecycle: { deleteAfterDays: 90 },
    });
  });

  it("copy as AWS Backup's default role when the plan has no selection", () => {
    const p = parts();
    const routes = liveCopyRoutes({ stack: STACK, live: p.live.filter((r) => r.type !== "backup_selection"), org });
    expect(healthTargets([verdict()], routes)[0]!.roles).toEqual([`arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`]);
  });

  it("match verdicts whose id carries the rule's address (two rules between the same vaults)", () => {
    const p = parts();
    const other = `arn:aws:iam::${PROD}:role/copier`;
    p.live[1] = selection([`arn:aws:dynamodb:${REGION}:${PROD}:table/orders`], { iam_role_arn: other });
    const routes = liveCopyRoutes({ stack: STACK, live: p.live, org });
    const [t] = healthTargets([verdict("ok", [], `${ID} (${ADDRESS})`)], routes);
    expect(t!.roles).toEqual([other]);
    expect(t!.id).toBe(`${ID} (${ADDRESS})`);
  });
});

describe("a route's health", () => {
  it("is healthy with no copy job yet when the check passes", () => {
    const r = status(verdict(), readings([]));
    expect(r.routes[0]).toMatchObject({ health: "healthy", reasons: [], jobs: [], newestRecoveryPoint: null });
    expect(statusExitCode(r)).toBe(0);
  });

  it("is failing when the newest finished copy job failed, with its message as the last failure", () => {
    const r = status(verdict(), readings([job("B", "COMPLETED", 1), job("C", "FAILED", 2, "Access Denied trying to call AWS Backup service")]));
    const route = r.routes[0]!;
    expect(route.health).toBe("failing");
    expect(route.reasons).toEqual(["the last copy job C ended FAILED: Access Denied trying to call AWS Backup service"]);
    expect(route.jobs.map((j) => j.id)).toEqual(["C", "B"]);
    expect(route.lastFailedJob?.statusMessage).toBe("Access Denied trying to call AWS Backup service");
    expect(statusExitCode(r)).toBe(2);
  });

  it("is healthy again once a later copy completed; the older failure stays visible", () => {
    const r = status(verdict(), readings([job("A", "FAILED", 1, "denied"), job("B", "COMPLETED", 2), job("C", "RUNNING", 3)]));
    expect(r.routes[0]).toMatchObject({ health: "healthy", lastFailedJob: { id: "A", statusMessage: "denied" } });
    expect(r.routes[0]!.jobs[0]!.id).toBe("C");
  });

  it("is failing when the check fails on the live state, naming its rules", () => {
    const r = status(verdict("fail", [S5]), readings([job("B", "COMPLETED", 1)]));
    expect(r.routes[0]!.health).toBe("failing");
    expect(r.routes[0]!.reasons).toEqual(["the copy-route check fails on the live state: [S5]"]);
    expect(r.routes[0]!.check).toEqual({ status: "fail", failures: [S5], warnings: [] });
  });

  it("is unknown when the copy jobs or the destination could not be read, or the check cannot decide", () => {
    const denied = status(verdict(), readings("cannot list the copy jobs of account 222222222222: AccessDeniedException"));
    expect(denied.routes[0]).toMatchObject({ health: "unknown", jobsError: expect.stringContaining("AccessDenied"), reasons: [expect.stringContaining("cannot list")] });
    expect(statusExitCode(denied)).toBe(1);
    const noDest = status(verdict(), readings([], { ok: false, reason: "cannot list the recovery points" }));
    expect(noDest.routes[0]).toMatchObject({ health: "unknown", recoveryPointError: "cannot list the recovery points" });
    expect(noDest.routes[0]!.newestRecoveryPoint).toBeUndefined();
    expect(status(verdict("unknown", [{ ...S5, message: "the key could not be read" }]), readings([])).routes[0]!.reasons)
      .toEqual(["the copy-route check cannot decide: the key could not be read"]);
  });

  it("is failing rather than unknown when both apply, and says both", () => {
    const r = status(verdict("fail", [S5]), readings("cannot list"));
    expect(r.routes[0]).toMatchObject({ health: "failing", reasons: ["the copy-route check fails on the live state: [S5]", "cannot list"] });
    expect(statusExitCode(r)).toBe(2);
  });

  it(`shows the newest ${JOBS_SHOWN} jobs and finds the last failure among all of them`, () => {
    const jobs = [job("old-failure", "FAILED", 0, "denied"), ...Array.from({ length: 8 }, (_, i) => job(`ok-${i + 1}`, "COMPLETED", i + 1))];
    const route = status(verdict(), readings(jobs)).routes[0]!;
    expect(route.jobs).toHaveLength(JOBS_SHOWN);
    expect(route.jobsRead).toBe(9);
    expect(route.lastFailedJob?.id).toBe("old-failure");
    expect(route.health).toBe("healthy");
  });
});

describe("a canary", () => {
  const canaryJob = (state: string, message?: string): CopyJobFact => job("K", state, 30, message);

  it("that completed is the newest job: a route that failed before is healthy again", () => {
    const r = status(verdict(), readings([job("A", "FAILED", 1, "denied")]), { result: "completed", job: canaryJob("COMPLETED"), elapsedMs: 3000 });
    expect(r.canary).toBe(true);
    expect(r.routes[0]).toMatchObject({ health: "healthy", canary: { result: "completed" } });
    expect(r.routes[0]!.jobs.map((j) => j.id)).toEqual(["K", "A"]);
  });

  it("that failed makes the route failing, and is not counted twice when the list already has it", () => {
    const failed = canaryJob("FAILED", "Access Denied");
    const r = status(verdict(), readings([failed, job("B", "COMPLETED", 1)]), { result: "failed", job: failed, message: "Access Denied" });
    expect(r.routes[0]!.health).toBe("failing");
    expect(r.routes[0]!.jobs.map((j) => j.id)).toEqual(["K", "B"]);
  });

  it("that did not end in time, or could not start, leaves the route unknown", () => {
    expect(status(verdict(), readings([]), { result: "timed-out", job: canaryJob("RUNNING") }).routes[0]).toMatchObject({
      health: "unknown", reasons: ["the canary copy job K had not ended when the wait was over (last state RUNNING)"],
    });
    expect(status(verdict(), readings([]), { result: "error", message: "AccessDeniedException" }).routes[0]!.health).toBe("unknown");
  });

  it("skipped for want of a recovery point changes nothing", () => {
    const r = status(verdict(), readings([]), { result: "skipped", message: "the source vault local has no recovery point yet" });
    expect(r.routes[0]).toMatchObject({ health: "healthy", canary: { result: "skipped" } });
  });
});

describe("the report", () => {
  it("is versioned, counts the routes and keeps what the plan could not read", () => {
    const r = assembleStatus({
      stack: STACK, toolVersion: "1.2.3", now: new Date("2025-03-01T04:00:00Z"), verdicts: [], targets: [], readings: new Map(),
      notApplied: 2, unreadable: [{ accountId: VAULT, message: "AccessDenied" }],
    });
    expect(r).toEqual({
      format_version: "1.0", tool_version: "1.2.3", created_at: "2025-03-01T04:00:00.000Z", stack: STACK, canary: false, routes: [],
      summary: { healthy: 0, failing: 0, unknown: 0 }, notApplied: 2, unreadable: [{ accountId: VAULT, message: "AccessDenied" }],
    });
    expect(statusExitCode(r)).toBe(0);
  });
});
