import { describe, expect, it } from "vitest";
import { aliasProblem, isRegion, isTimeZone, lifecycleProblem, ORG_PATH, OU_ID, scheduleProblem, tagProblems, VAULT_ARN_PATTERN, windowProblem } from "./rules.js";

describe("scheduleProblem", () => {
  it.each([
    "cron(0 5 ? * * *)",
    "cron(30 2 1 * ? *)",
    "cron(0 12 ? * MON-FRI *)",
    "cron(0 0 L * ? *)",
    "cron(0 3 ? * 6L *)",
    "cron(0 3 ? * FRI#2 *)",
    "cron(0 3 15W * ? 2030)",
    "cron(0 */4 ? * * *)",
    "cron(0 1,13 ? JAN,JUL * *)",
  ])("accepts %s", (s) => {
    expect(scheduleProblem(s)).toBeUndefined();
  });

  it.each([
    ["cron(0 5 * * * *)", "day-of-month and day-of-week"],
    ["cron(0 5 ? * ? *)", "day-of-month and day-of-week"],
    ["cron(0 5 ? * *)", "6 fields"],
    ["cron(60 5 ? * * *)", "out of range"],
    ["cron(0 24 ? * * *)", "out of range"],
    ["cron(0 5 ? 13 * *)", "out of range"],
    ["cron(0 5 ? * XYZ *)", "day-of-week"],
    ["cron(*/5 5 ? * * *)", "once an hour"],
    ["cron(0 5 ? * * 1900)", "out of range"],
    ["cron(0 5/0 ? * * *)", "never advances"],
    ["rate(12 hours)", "AWS Backup takes only cron(...) schedules, not rate(...); rate(12 hours) is cron(0 */12 ? * * *)"],
    ["rate(1 hour)", "is cron(0 * ? * * *)"],
    ["rate(60 minutes)", "is cron(0 * ? * * *)"],
    ["rate(1 day)", "is cron(0 0 ? * * *)"],
    ["rate(5 hours)", "not rate(...)"],
    ["rate(1 week)", "not rate(...)"],
    ["daily", "not a cron(...) expression"],
  ])("rejects %s", (s, why) => {
    expect(scheduleProblem(s)).toContain(why);
  });
});

describe("lifecycleProblem [C5]", () => {
  it("needs 90 days in cold storage", () => {
    expect(lifecycleProblem({ moveToColdStorageAfterDays: 30, deleteAfterDays: 120 })).toBeUndefined();
    expect(lifecycleProblem({ moveToColdStorageAfterDays: 30, deleteAfterDays: 119 })).toContain("(120)");
    expect(lifecycleProblem({ deleteAfterDays: 1 })).toBeUndefined();
    expect(lifecycleProblem({ deleteAfterDays: 0 })).toContain("at least 1");
    expect(lifecycleProblem({ moveToColdStorageAfterDays: 0 })).toContain("omit it");
  });
});

describe("windowProblem", () => {
  it("needs start >= 60 and completion >= start + 60", () => {
    expect(windowProblem(60, 120)).toBeUndefined();
    expect(windowProblem(undefined, undefined)).toBeUndefined();
    expect(windowProblem(59, undefined)).toContain("at least 60");
    expect(windowProblem(60, 119)).toContain("(120)");
    expect(windowProblem(undefined, 500)).toContain("default start window of 480");
  });
});

describe("names, ids and limits", () => {
  it("knows the Regions", () => {
    expect(isRegion("eu-west-1")).toBe(true);
    expect(isRegion("eu-west-9")).toBe(false);
    expect(isRegion("EU-WEST-1")).toBe(false);
  });

  it("checks KMS alias names", () => {
    expect(aliasProblem("alias/crossvault-central")).toBeUndefined();
    expect(aliasProblem("crossvault")).toContain('start with "alias/"');
    expect(aliasProblem("alias/aws/backup")).toContain("reserved");
    expect(aliasProblem("alias/has space")).toContain("may contain only");
  });

  it("checks tag limits", () => {
    expect(tagProblems({ a: "b" })).toEqual([]);
    expect(tagProblems({ ["k".repeat(129)]: "v" })[0]).toContain("129 characters");
    expect(tagProblems({ k: "v".repeat(257) })[0]).toContain("257 characters");
    expect(tagProblems(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"])))[0]).toContain("51 tags");
    expect(tagProblems({ "aws:x": "v" })[0]).toContain("reserved");
    // crossvault's own tags count against AWS's 50, and their prefix is theirs.
    const many = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "v"]));
    expect(tagProblems(many(46), 4)).toEqual([]);
    expect(tagProblems(many(47), 4)[0]).toBe("47 tags; at most 46 are allowed (AWS's 50, less the 4 crossvault adds)");
    expect(tagProblems({ "crossvault:stack": "x" }, 3)[0]).toContain("crossvault's own tags");
    expect(tagProblems({ "crossvault:note": "x" })).toEqual([]);
  });

  it("recognises OU ids, org paths and vault ARN patterns", () => {
    expect(OU_ID.test("ou-def0-awsbbbbb")).toBe(true);
    expect(OU_ID.test("ou-bad")).toBe(false);
    expect(ORG_PATH.test("o-a1b2c3d4e5/r-f6g7/ou-def0-awsbbbbb/")).toBe(true);
    expect(ORG_PATH.test("o-a1b2c3d4e5/r-f6g7/*")).toBe(true);
    expect(ORG_PATH.test("r-f6g7/ou-x/")).toBe(false);
    expect(VAULT_ARN_PATTERN.test("arn:aws:backup:*:112233445566:backup-vault:cab-*")).toBe(true);
    expect(VAULT_ARN_PATTERN.test("arn:aws:s3:::bucket")).toBe(false);
  });

  it("recognises time zones", () => {
    expect(isTimeZone("Etc/UTC")).toBe(true);
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
