import { describe, expect, it } from "vitest";
import { ServiceError } from "../../service.js";
import { checkScheduleExpression } from "./schedule.js";

function error(expr: string): ServiceError | undefined {
  try {
    checkScheduleExpression(expr, "daily");
    return undefined;
  } catch (e) {
    return e as ServiceError;
  }
}

describe("backup rule schedule expressions", () => {
  it("accepts AWS cron forms", () => {
    for (const ok of ["cron(0 5 ? * * *)", "cron(15 * ? * * *)", "cron(0 12 * * ? *)", "cron(0 0/4 ? * MON-FRI *)", "cron(30 2 L * ? *)", "cron(0 3 ? * 2#1 *)", "cron(0 1 1,15 JAN,JUL ? 2025-2030)", "cron(0 6 ? * SUNL *)", "cron(0 6 15W * ? *)"]) {
      expect(error(ok), ok).toBeUndefined();
    }
  });

  it("rejects rate expressions and malformed cron with InvalidParameterValueException naming the rule", () => {
    for (const bad of ["rate(1 day)", "cron(0 5 * * *)", "cron(0 5 * * * *)", "cron(0 5 ? * ? *)", "cron(60 5 ? * * *)", "cron(0 24 ? * * *)", "cron(0 5 ? 13 * *)", "cron(0 5 ? * FUNDAY *)", "0 5 ? * * *", "cron(0 5 ? * * 1969)", "cron(a b c d e f)"]) {
      const e = error(bad);
      expect(e?.code, bad).toBe("InvalidParameterValueException");
      expect(e?.message).toMatch(/^Error in rule daily : /);
    }
  });

  it("refuses schedules more frequent than hourly with AWS's message", () => {
    for (const often of ["cron(0/10 * * * ? *)", "cron(0,30 * ? * * *)", "cron(*/15 5 ? * * *)", "cron(* 5 ? * * *)"]) {
      expect(error(often)?.message, often).toBe("Error in rule daily : The interval between backup jobs shouldn't be less than 60 minutes.");
    }
  });
});
