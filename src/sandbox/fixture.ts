// The organization fixture (`--org FILE`): its JSON format, validation with errors that name the field, the
// built-in default organization, and the initial World built from a fixture.
import { readFileSync } from "node:fs";
import { jsonErrorOffset, lineColumn } from "./json-position.js";
import { eventual, WORLD_FORMAT_VERSION } from "./world.js";
import type { World } from "./world.js";
import type { OrgAccount, OrgPolicy, OrgUnit } from "./services/organizations/state.js";

export interface OrgFixture {
  organization_id: string;
  management_account: string;
  root_id: string;
  organizational_units?: Array<{ id: string; name: string; parent: string }>;
  accounts: Array<{ id: string; name: string; parent: string; email?: string; status?: "ACTIVE" | "SUSPENDED"; roles?: string[] }>;
  outside_accounts?: string[];
  /** Access key id -> account id, for keys that should act as that account's root. */
  access_keys?: Record<string, string>;
  /** Policy types enabled at the root (default: SCPs enabled, as after EnablePolicyType). */
  policy_types?: string[];
  /** Service principals with trusted access enabled at start (default: none). */
  trusted_access?: string[];
  /** Extra service control policies, attached to the given targets. */
  policies?: Array<{ id: string; name: string; description?: string; content: unknown; targets?: string[] }>;
}

export class FixtureError extends Error {
  constructor(readonly source: string, readonly field: string, detail: string) {
    super(`${source}: ${field}: ${detail}`);
    this.name = "FixtureError";
  }
}

export const DEFAULT_ROLE = "OrganizationAccountAccessRole";
export const FULL_AWS_ACCESS_ID = "p-FullAWSAccess";

/** The organization used when no --org is given (documented in docs/sandbox.md). */
export const DEFAULT_FIXTURE: OrgFixture = {
  organization_id: "o-a1b2c3d4e5",
  management_account: "111111111111",
  root_id: "r-a1b2",
  organizational_units: [
    { id: "ou-a1b2-work0001", name: "Workloads", parent: "r-a1b2" },
    { id: "ou-a1b2-prod0001", name: "Prod", parent: "ou-a1b2-work0001" },
    { id: "ou-a1b2-stag0001", name: "Staging", parent: "ou-a1b2-work0001" },
    { id: "ou-a1b2-secu0001", name: "Security", parent: "r-a1b2" },
  ],
  accounts: [
    { id: "111111111111", name: "management", parent: "r-a1b2" },
    { id: "222222222222", name: "prod", parent: "ou-a1b2-prod0001" },
    { id: "333333333333", name: "vault", parent: "ou-a1b2-secu0001" },
    { id: "444444444444", name: "staging", parent: "ou-a1b2-stag0001" },
  ],
  outside_accounts: ["999999999999"],
  access_keys: {
    AKIASANDBOX111111111: "111111111111",
    AKIASANDBOX222222222: "222222222222",
    AKIASANDBOX333333333: "333333333333",
    AKIASANDBOX444444444: "444444444444",
    AKIASANDBOX999999999: "999999999999",
  },
};

const ACCOUNT = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const KNOWN_KEYS = ["organization_id", "management_account", "root_id", "organizational_units", "accounts", "outside_accounts", "access_keys", "policy_types", "trusted_access", "policies", "$schema"];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks a parsed fixture; throws FixtureError naming the first wrong field. */
export function validateFixture(value: unknown, source = "organization fixture"): OrgFixture {
  const fail = (field: string, detail: string): never => {
    throw new FixtureError(source, field, detail);
  };
  if (!isObject(value)) fail("(top level)", "must be a JSON object");
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!KNOWN_KEYS.includes(k)) fail(k, `unknown field; expected one of ${KNOWN_KEYS.filter((x) => x !== "$schema").join(", ")}`);
  const str = (field: string, x: unknown, re: RegExp, what: string): string => {
    if (typeof x !== "string" || !re.test(x)) fail(field, `${JSON.stringify(x)} is not ${what}`);
    return x as string;
  };
  const list = (field: string, x: unknown): unknown[] => {
    if (x === undefined) return [];
    if (!Array.isArray(x)) fail(field, "must be an array");
    return x as unknown[];
  };
  str("organization_id", v.organization_id, ORG_ID, "an organization id (o- followed by 10-32 lower-case letters or digits)");
  const mgmt = str("management_account", v.management_account, ACCOUNT, "a 12-digit account id");
  const root = str("root_id", v.root_id, ROOT_ID, "a root id (r- followed by 4-32 lower-case letters or digits)");

  const parents = new Map<string, string>(); // OU id -> parent id
  const ids = new Set<string>([root]);
  list("organizational_units", v.organizational_units).forEach((ou, i) => {
    const f = `organizational_units[${i}]`;
    if (!isObject(ou)) fail(f, "must be an object with id, name and parent");
    const o = ou as Record<string, unknown>;
    const id = str(`${f}.id`, o.id, OU_ID, "an OU id (ou-{4-32 chars}-{8-32 chars})");
    if (ids.has(id)) fail(`${f}.id`, `${id} is used twice`);
    if (typeof o.name !== "string" || o.name === "" || o.name.length > 128) fail(`${f}.name`, "must be a name of 1-128 characters");
    if (typeof o.parent !== "string") fail(`${f}.parent`, "must be the root id or an OU id");
    ids.add(id);
    parents.set(id, o.parent as string);
  });
  for (const [id, parent] of parents) {
    const i = (v.organizational_units as Array<{ id: string }>).findIndex((o) => o.id === id);
    if (!ids.has(parent)) fail(`organizational_units[${i}].parent`, `${parent} is neither the root (${root}) nor an OU of this fixture`);
    const seen = new Set<string>([id]);
    for (let p = parent; p !== root; p = parents.get(p)!) {
      if (seen.has(p)) fail(`organizational_units[${i}].parent`, `OU ${id} is its own ancestor`);
      seen.add(p);
    }
  }

  const accounts = new Set<string>();
  list("accounts", v.accounts).forEach((a, i) => {
    const f = `accounts[${i}]`;
    if (!isObject(a)) fail(f, "must be an object with id, name and parent");
    const o = a as Record<string, unknown>;
    const id = str(`${f}.id`, o.id, ACCOUNT, "a 12-digit account id");
    if (accounts.has(id)) fail(`${f}.id`, `${id} is listed twice`);
    accounts.add(id);
    if (typeof o.name !== "string" || o.name === "" || o.name.length > 50) fail(`${f}.name`, "must be a name of 1-50 characters");
    if (typeof o.parent !== "string" || !ids.has(o.parent)) fail(`${f}.parent`, `${JSON.stringify(o.parent)} is neither the root (${root}) nor an OU of this fixture`);
    if (o.email !== undefined && (typeof o.email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(o.email))) fail(`${f}.email`, "must be an email address");
    if (o.status !== undefined && o.status !== "ACTIVE" && o.status !== "SUSPENDED") fail(`${f}.status`, 'must be "ACTIVE" or "SUSPENDED"');
    list(`${f}.roles`, o.roles).forEach((r, j) => str(`${f}.roles[${j}]`, r, ROLE_NAME, "an IAM role name"));
  });
  if (!accounts.has(mgmt)) fail("accounts", `the management account ${mgmt} must be listed among the accounts`);
  if (!Array.isArray(v.accounts)) fail("accounts", "is required");

  list("outside_accounts", v.outside_accounts).forEach((a, i) => {
    const id = str(`outside_accounts[${i}]`, a, ACCOUNT, "a 12-digit account id");
    if (accounts.has(id)) fail(`outside_accounts[${i}]`, `${id} is also an organization account`);
  });
  const outside = new Set(list("outside_accounts", v.outside_accounts) as string[]);
  if (v.access_keys !== undefined) {
    if (!isObject(v.access_keys)) fail("access_keys", "must be an object of access key id -> account id");
    for (const [key, acct] of Object.entries(v.access_keys as Record<string, unknown>)) {
      if (!/^[A-Z0-9]{16,128}$/.test(key)) fail(`access_keys.${key}`, "is not an access key id (16-128 upper-case letters or digits)");
      const id = str(`access_keys.${key}`, acct, ACCOUNT, "a 12-digit account id");
      if (!accounts.has(id) && !outside.has(id)) fail(`access_keys.${key}`, `${id} is neither an organization account nor an outside account`);
    }
  }
  list("policy_types", v.policy_types).forEach((t, i) => {
    if (t !== "SERVICE_CONTROL_POLICY") fail(`policy_types[${i}]`, `${JSON.stringify(t)} is not supported; the sandbox emulates SERVICE_CONTROL_POLICY`);
  });
  list("trusted_access", v.trusted_access).forEach((p, i) => str(`trusted_access[${i}]`, p, /^[\w+=,.@-]{1,128}$/, "a service principal such as backup.amazonaws.com"));
  const targets = new Set<string>([...ids, ...accounts]);
  list("policies", v.policies).forEach((p, i) => {
    const f = `policies[${i}]`;
    if (!isObject(p)) fail(f, "must be an object with id, name, content and targets");
    const o = p as Record<string, unknown>;
    str(`${f}.id`, o.id, POLICY_ID, "a policy id (p- followed by 8-128 letters, digits or _)");
    if (o.id === FULL_AWS_ACCESS_ID) fail(`${f}.id`, "p-FullAWSAccess is AWS-managed and always present");
    if (typeof o.name !== "string" || o.name === "" || o.name.length > 128) fail(`${f}.name`, "must be a name of 1-128 characters");
    if (!isObject(o.content) && typeof o.content !== "string") fail(`${f}.content`, "must be a policy document (object or JSON string)");
    if (typeof o.content === "string") {
      try {
        JSON.parse(o.content);
      } catch {
        fail(`${f}.content`, "is not valid JSON");
      }
    }
    list(`${f}.targets`, o.targets).forEach((t, j) => {
      if (typeof t !== "string" || !targets.has(t)) fail(`${f}.targets[${j}]`, `${JSON.stringify(t)} is not the root, an OU or an account of this fixture`);
    });
  });
  return v as unknown as OrgFixture;
}

/** Reads and validates a fixture file; errors name the file (and line:col for JSON syntax errors). */
export function loadFixtureFile(path: string): OrgFixture {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new FixtureError(path, "(file)", `cannot be read: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const where = lineColumn(text, jsonErrorOffset(text));
    throw new FixtureError(`${path}:${where}`, "(syntax)", `invalid JSON: ${msg}`);
  }
  return validateFixture(parsed, path);
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "account";
}

/** The world as a fresh sandbox starts: the fixture's organization, identities and no per-account state yet. */
export function createWorld(fixture: OrgFixture, now: number): World {
  const mgmt = fixture.management_account;
  const orgId = fixture.organization_id;
  const ous: Record<string, OrgUnit> = {};
  for (const ou of fixture.organizational_units ?? []) ous[ou.id] = { id: ou.id, name: ou.name, parentId: ou.parent };
  const accounts: Record<string, OrgAccount> = {};
  const roles: Record<string, string[]> = {};
  for (const a of fixture.accounts) {
    accounts[a.id] = { id: a.id, name: a.name, email: a.email ?? `${slug(a.name)}+${a.id}@example.com`, parentId: a.parent, status: a.status ?? "ACTIVE", joinedAt: now };
    // Organizations creates OrganizationAccountAccessRole in member accounts; the management account has none.
    roles[a.id] = [...new Set([...(a.id === mgmt ? [] : [DEFAULT_ROLE]), ...(a.roles ?? [])])];
  }
  const scpEnabled = (fixture.policy_types ?? ["SERVICE_CONTROL_POLICY"]).includes("SERVICE_CONTROL_POLICY");
  const everyTarget = [fixture.root_id, ...Object.keys(ous), ...Object.keys(accounts)];
  const policies: Record<string, OrgPolicy> = {
    [FULL_AWS_ACCESS_ID]: {
      id: FULL_AWS_ACCESS_ID,
      arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
      name: "FullAWSAccess",
      description: "Allows access to every operation",
      type: "SERVICE_CONTROL_POLICY",
      content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, null, 2),
      awsManaged: true,
      tags: {},
      // Enabling SCPs attaches FullAWSAccess to the root, every OU and every account.
      targets: scpEnabled ? everyTarget : [],
    },
  };
  for (const p of fixture.policies ?? []) {
    policies[p.id] = {
      id: p.id,
      arn: `arn:aws:organizations::${mgmt}:policy/${orgId}/service_control_policy/${p.id}`,
      name: p.name,
      description: p.description ?? "",
      type: "SERVICE_CONTROL_POLICY",
      content: typeof p.content === "string" ? p.content : JSON.stringify(p.content),
      awsManaged: false,
      tags: {},
      targets: [...(p.targets ?? [])],
    };
  }
  const services: Record<string, number> = {};
  for (const principal of fixture.trusted_access ?? []) services[principal] = now;
  return {
    formatVersion: WORLD_FORMAT_VERSION,
    clockOffsetMs: 0,
    nextSerial: 0,
    org: {
      organizationId: orgId,
      arn: `arn:aws:organizations::${mgmt}:organization/${orgId}`,
      managementAccountId: mgmt,
      rootId: fixture.root_id,
      ous,
      accounts,
      outsideAccounts: [...(fixture.outside_accounts ?? [])],
      serviceAccess: eventual(services, now),
      enabledPolicyTypes: scpEnabled ? ["SERVICE_CONTROL_POLICY"] : [],
      policies,
    },
    identity: { staticKeys: { ...(fixture.access_keys ?? {}) }, issued: {}, roles },
    accounts: {},
  };
}
