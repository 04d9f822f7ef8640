// Value rules from AWS and the seed document, as pure predicates: each returns undefined when the value is
// fine, else what is wrong. The decoders attach the place and the advice.

export const ACCOUNT_ID = /^\d{12}$/;
export const STACK_NAME = /^[a-z0-9-]{1,32}$/;
export const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;
export const PLAN_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;
export const VAULT_ARN = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):backup-vault:([^:]+)$/;
export const VAULT_ARN_PATTERN = /^arn:aws[a-z-]*:backup:[a-z0-9*?-]*:(\d{12}|[*?]+):backup-vault:[a-zA-Z0-9\-_*?]+$/;
export const ORG_PATH = /^o-[a-z0-9*?]{1,32}\/(?:[a-z0-9*?-]+\/)*\*?$/;
export const ALIAS_NAME = /^alias\/[a-zA-Z0-9:/_-]+$/;

/** AWS Regions (commercial, GovCloud and China partitions). */
export const REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
  "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
  "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
];
const regionSet = new Set(REGIONS);

export function isRegion(s: string): boolean {
  return regionSet.has(s);
}

export const TAG_LIMITS = { count: 50, key: 128, value: 256 };

/**
 * How many tags of its own crossvault puts on what it creates (model/ownership.ts: stack, address and applied
 * hash; a backup plan also its version), all under the `crossvault:` prefix: they count against AWS's 50.
 */
export const OWN_TAGS = { kms_key: 3, vault: 3, backup_plan: 4 } as const;
export const OWN_TAG_PREFIX = "crossvault:";

/** `reserved`: crossvault's own tags on the resource (none for tags it does not add to, such as a recovery point's). */
export function tagProblems(tags: Record<string, string>, reserved = 0): string[] {
  const out: string[] = [];
  const keys = Object.keys(tags);
  const most = TAG_LIMITS.count - reserved;
  if (keys.length > most) out.push(`${keys.length} tags; at most ${most} are allowed${reserved > 0 ? ` (AWS's ${TAG_LIMITS.count}, less the ${reserved} crossvault adds)` : ""}`);
  for (const k of keys) {
    if (k.length === 0) out.push("a tag key is empty");
    else if (k.length > TAG_LIMITS.key) out.push(`tag key "${k.slice(0, 20)}..." is ${k.length} characters; at most ${TAG_LIMITS.key}`);
    if (k.toLowerCase().startsWith("aws:")) out.push(`tag key "${k}" uses the reserved prefix "aws:"`);
    if (reserved > 0 && k.startsWith(OWN_TAG_PREFIX)) out.push(`tag key "${k}" uses the prefix "${OWN_TAG_PREFIX}" of crossvault's own tags`);
    const v = tags[k]!;
    if (v.length > TAG_LIMITS.value) out.push(`the value of tag "${k}" is ${v.length} characters; at most ${TAG_LIMITS.value}`);
  }
  return out;
}

export function aliasProblem(alias: string): string | undefined {
  if (!alias.startsWith("alias/")) return `"${alias}" does not start with "alias/"`;
  if (alias.startsWith("alias/aws/")) return `"${alias}" is in the reserved "alias/aws/" namespace of AWS managed keys`;
  if (alias.length > 256) return `"${alias.slice(0, 30)}..." is longer than 256 characters`;
  if (!ALIAS_NAME.test(alias)) return `"${alias}" may contain only letters, digits and the characters : / _ -`;
  return undefined;
}

const months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const cronFields: CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: months },
  { name: "day-of-week", min: 1, max: 7, names: days },
  { name: "year", min: 1970, max: 2199 },
];

function fieldValue(text: string, f: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return i < 0 ? undefined : i + f.min;
}

/** `?`, `L`, `LW`, `15W` (day of month) and `L`, `6L`, `FRI#2` (day of week). */
function specialProblem(item: string, f: CronField): string | undefined | "not-special" {
  const u = item.toUpperCase();
  if (f.name === "day-of-month") {
    if (u === "?" || u === "L" || u === "LW") return undefined;
    const w = /^(\d{1,2})W$/.exec(u);
    if (!w) return "not-special";
    const v = Number(w[1]);
    return v >= 1 && v <= 31 ? undefined : `"${item}" is out of range in the ${f.name} field (1-31)`;
  }
  if (f.name === "day-of-week") {
    if (u === "?" || u === "L") return undefined;
    const m = /^([0-9A-Z]+)(L|#([1-5]))$/.exec(u);
    if (!m) return "not-special";
    const v = fieldValue(m[1]!, f);
    return v !== undefined && v >= f.min && v <= f.max ? undefined : `"${item}" is not valid in the ${f.name} field`;
  }
  return "not-special";
}

function cronFieldProblem(text: string, f: CronField): string | undefined {
  for (const item of text.split(",")) {
    const special = specialProblem(item, f);
    if (special !== "not-special") {
      if (special) return special;
      if (item === "?" && text !== "?") return `"?" must stand alone in the ${f.name} field`;
      continue;
    }
    const m = /^(\*|[0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?(?:\/(\d+))?$/.exec(item);
    if (!m) return `"${item}" is not valid in the ${f.name} field`;
    for (const part of [m[1]!, m[2]].filter((p): p is string => p !== undefined && p !== "*")) {
      const v = fieldValue(part, f);
      if (v === undefined || v < f.min || v > f.max) return `"${part}" is out of range in the ${f.name} field (${f.min}-${f.max})`;
    }
    if (m[3] !== undefined && Number(m[3]) === 0) return `the step "/0" in the ${f.name} field never advances`;
  }
  return undefined;
}

/** The cron expression a rate means, where there is one at least an hour apart (hours that divide a day, 1 day). */
function rateAsCron(n: number, unit: string): string | undefined {
  const minutes = n * (unit.startsWith("minute") ? 1 : unit.startsWith("hour") ? 60 : 1440);
  if (minutes === 1440) return "cron(0 0 ? * * *)";
  if (minutes % 60 === 0 && minutes < 1440 && 24 % (minutes / 60) === 0) return `cron(0 ${minutes === 60 ? "*" : `*/${minutes / 60}`} ? * * *)`;
  return undefined;
}

/**
 * AWS Backup schedules: `cron(min hour dom month dow year)`, at most once an hour. Unlike EventBridge, AWS Backup
 * does not take `rate(...)` expressions (its API documents ScheduleExpression as a cron expression only), so a
 * rate is refused here with the cron that means the same, instead of failing later at apply.
 */
export function scheduleProblem(schedule: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(schedule.trim());
  if (rate) {
    const m = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(rate[1]!);
    const cronFor = m ? rateAsCron(Number(m[1]), m[2]!) : undefined;
    return `AWS Backup takes only cron(...) schedules, not rate(...)${cronFor ? `; ${schedule.trim()} is ${cronFor}` : ""}`;
  }
  const cron = /^cron\((.*)\)$/.exec(schedule.trim());
  if (!cron) return `"${schedule}" is not a cron(...) expression`;
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  for (const [i, f] of cronFields.entries()) {
    const p = cronFieldProblem(fields[i]!, f);
    if (p) return p;
  }
  if ((fields[2] === "?") === (fields[4] === "?")) return 'exactly one of day-of-month and day-of-week must be "?"';
  if (!/^\d+$/.test(fields[0]!)) return "AWS Backup runs a rule at most once an hour: the minutes field must be a single number";
  return undefined;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface LifecycleDays {
  moveToColdStorageAfterDays?: number;
  deleteAfterDays?: number;
}

/** [C5] A recovery point in cold storage stays there at least 90 days. */
export function lifecycleProblem(l: LifecycleDays): string | undefined {
  const cold = l.moveToColdStorageAfterDays;
  const del = l.deleteAfterDays;
  if (cold !== undefined && cold < 1) return "move_to_cold_storage_after_days must be at least 1 (omit it to stay in warm storage)";
  if (del !== undefined && del < 1) return "delete_after_days must be at least 1";
  if (cold !== undefined && del !== undefined && del < cold + 90) {
    return `delete_after_days (${del}) must be at least move_to_cold_storage_after_days + 90 (${cold + 90}): cold storage lasts at least 90 days`;
  }
  return undefined;
}

export const DEFAULT_START_WINDOW = 480;
export const DEFAULT_COMPLETION_WINDOW = 10080;

export function windowProblem(start: number | undefined, completion: number | undefined): string | undefined {
  if (start !== undefined && start < 60) return `start_window_minutes is ${start}; it must be at least 60`;
  if (start !== undefined && start > 52_560_000) return `start_window_minutes is ${start}; at most 52560000`;
  const s = start ?? DEFAULT_START_WINDOW;
  if (completion !== undefined && completion < s + 60) {
    return `completion_window_minutes is ${completion}; it must be at least start_window_minutes + 60 (${s + 60})${start === undefined ? ` with the default start window of ${s}` : ""}`;
  }
  return undefined;
}
