// Backup rule schedules: AWS Backup takes only `cron(...)` expressions in the EventBridge six-field form
// (minutes hours day-of-month month day-of-week year); it has no `rate(...)` form. A rule may not run more
// often than hourly ("The interval between backup jobs shouldn't be less than 60 minutes." [O]).
import { invalidParameter } from "./errors.js";

export const DEFAULT_SCHEDULE = "cron(0 5 ? * * *)";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Day fields accept `?`, and `L`/`W`/`#` forms. */
  day?: "month" | "week";
}

const FIELDS: Field[] = [
  { name: "Minutes", min: 0, max: 59 },
  { name: "Hours", min: 0, max: 23 },
  { name: "Day-of-month", min: 1, max: 31, day: "month" },
  { name: "Month", min: 1, max: 12, names: MONTHS },
  { name: "Day-of-week", min: 1, max: 7, names: WEEKDAYS, day: "week" },
  { name: "Year", min: 1970, max: 2199 },
];

function value(text: string, f: Field): number | undefined {
  const named = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= f.min && n <= f.max ? n : undefined;
}

function validItem(item: string, f: Field): boolean {
  if (item === "*") return true;
  if (f.day === "month") {
    if (item === "L" || item === "LW") return true;
    if (/^\d{1,2}W$/.test(item)) return value(item.slice(0, -1), f) !== undefined;
  }
  if (f.day === "week") {
    const nth = /^(\w+)#([1-5])$/.exec(item);
    if (nth) return value(nth[1]!, f) !== undefined;
    if (item === "L") return true;
    if (/^\w+L$/.test(item)) return value(item.slice(0, -1), f) !== undefined;
  }
  const [range, step, extra] = item.split("/");
  if (extra !== undefined) return false;
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return false;
  if (range === "*") return step !== undefined;
  const [from, to, more] = (range ?? "").split("-");
  if (more !== undefined || from === undefined || value(from, f) === undefined) return false;
  return to === undefined || value(to, f) !== undefined;
}

/** Throws InvalidParameterValueException naming the rule when the expression is not one AWS Backup accepts. */
export function checkScheduleExpression(expression: string, ruleName: string): void {
  const fail = (why: string) => invalidParameter(`Error in rule ${ruleName} : Invalid schedule expression ${expression}. ${why}`, { Context: "ScheduleExpression" });
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) throw fail("AWS Backup accepts cron expressions only, in the form cron(minutes hours day-of-month month day-of-week year).");
  const parts = m[1]!.trim().split(/\s+/);
  if (parts.length !== 6) throw fail(`A cron expression has 6 fields; this one has ${parts.length}.`);
  parts.forEach((part, i) => {
    const f = FIELDS[i]!;
    const items = part.split(",");
    const ok = part === "?" ? f.day !== undefined : items.every((it) => it !== "" && validItem(it, f));
    if (!ok) throw fail(`The ${f.name} field "${part}" is not valid.`);
  });
  const [minutes, , dayOfMonth, , dayOfWeek] = parts as [string, string, string, string, string, string];
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) throw fail("Exactly one of the Day-of-month and Day-of-week fields must be '?'.");
  if (!/^\d+$/.test(minutes)) {
    throw invalidParameter(`Error in rule ${ruleName} : The interval between backup jobs shouldn't be less than 60 minutes.`, { Context: "ScheduleExpression" });
  }
}

export function checkTimezone(zone: string, ruleName: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw invalidParameter(`Error in rule ${ruleName} : ScheduleExpressionTimezone ${zone} is not a valid IANA time zone.`, { Context: "ScheduleExpressionTimezone" });
  }
}
