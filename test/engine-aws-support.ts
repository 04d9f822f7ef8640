// Helpers for the AWS edge's end-to-end tests: a sandbox the real SDK reaches through AWS_ENDPOINT_URL (the
// management account's static keys, members through AssumeRole), a desired state shaped as derive shapes it,
// and a minimal dependency-ordered apply of creates.
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { EngineEvent } from "../src/core/events.js";
import type { ResourceChange } from "../src/core/plan-types.js";
import type { Attributes, DesiredResource, Pending } from "../src/model/resource.js";
import { asAttributes, AWS_MANAGED_BACKUP_KEY } from "../src/model/attributes.js";
import { identityOf } from "../src/model/identity.js";
import { sidPrefix } from "../src/model/ownership.js";
import { copyIntoFromAccounts, keyShareStatements } from "../src/model/policy-statements.js";
import { sortStatements } from "../src/model/policy-normal.js";
import { applyChange, ClientPool } from "../src/providers/aws/index.js";
import type { ApplyResult } from "../src/providers/aws/index.js";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle, SandboxOptions } from "../src/sandbox/index.js";

export const MGMT = "111111111111";
export const PROD = "222222222222";
export const VAULT = "333333333333";
export const STAGING = "444444444444";
export const OUTSIDE = "999999999999";
export const REGION = "eu-west-1";
export const HOME = "us-east-1";

export interface EngineSandbox {
  sandbox: SandboxHandle;
  pool: ClientPool;
  stop(): Promise<void>;
}

/** The environment a user pointing crossvault at the sandbox sets: endpoint and the management account's keys. */
function pointSdkAt(url: string): void {
  process.env.AWS_ENDPOINT_URL = url;
  process.env.AWS_ACCESS_KEY_ID = "AKIASANDBOX111111111";
  process.env.AWS_SECRET_ACCESS_KEY = "sandbox";
  process.env.AWS_REGION = HOME;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  // Nothing from the machine's own AWS configuration may leak into the test.
  process.env.AWS_CONFIG_FILE = join(tmpdir(), "crossvault-test-no-aws-config");
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), "crossvault-test-no-aws-credentials");
}

/** A fresh pool: new clients, no cached credentials. */
export function newPool(maxAttempts = 3): ClientPool {
  return new ClientPool(
    { managementAccountId: MGMT, assumeRoleName: "OrganizationAccountAccessRole", homeRegion: HOME, maxAttempts, retryMode: "standard", sessionName: "crossvault-test" },
    [],
  );
}

export async function startEngineSandbox(options: SandboxOptions = {}, maxAttempts = 3): Promise<EngineSandbox> {
  const sandbox = await startSandbox({ log: () => undefined, ...options });
  pointSdkAt(sandbox.url);
  const pool = newPool(maxAttempts);
  return {
    sandbox,
    pool,
    async stop() {
      pool.destroy();
      await sandbox.stop();
    },
  };
}

const pending = (address: string, attribute: string): Pending => ({ $pending: { address, attribute } });
export const vaultArn = (account: string, name: string): string => `arn:aws:backup:${REGION}:${account}:backup-vault:${name}`;

function desired(r: Omit<DesiredResource, "dependsOn"> & { dependsOn?: string[] }): DesiredResource {
  return { ...r, dependsOn: r.dependsOn ?? [] };
}

/** A small organization set-up as derive would describe it: prod copies into a central vault of the vault account. */
export function desiredState(stack: string): DesiredResource[] {
  const prefix = sidPrefix(stack);
  const centralArn = vaultArn(VAULT, "central");
  return [
    desired({
      address: "org_trust", type: "org_trust", accountId: MGMT, region: "global", identity: identityOf("org_trust", { accountId: MGMT, region: "global" }),
      attributes: asAttributes({ service_principal: "backup.amazonaws.com", enabled: true }),
    }),
    desired({
      address: "cross_account_setting", type: "cross_account_setting", accountId: MGMT, region: HOME, identity: identityOf("cross_account_setting", { accountId: MGMT, region: HOME }),
      attributes: asAttributes({ enabled: true }), dependsOn: ["org_trust"],
    }),
    desired({
      address: "kms_key.central", type: "kms_key", accountId: VAULT, region: REGION, identity: identityOf("kms_key", { accountId: VAULT, region: REGION, name: "alias/crossvault-central" }),
      attributes: asAttributes({ alias: "alias/crossvault-central", description: "central vault key", enable_key_rotation: true, tags: { team: "backup" }, deletion_window_days: 7, arn: pending("kms_key.central", "arn") }),
      writeOnly: ["deletion_window_days"],
    }),
    desired({
      address: "kms_key.prod", type: "kms_key", accountId: PROD, region: REGION, identity: identityOf("kms_key", { accountId: PROD, region: REGION, name: "alias/crossvault-prod" }),
      attributes: asAttributes({ alias: "alias/crossvault-prod", description: "", enable_key_rotation: false, tags: {}, deletion_window_days: 30, arn: pending("kms_key.prod", "arn") }),
      writeOnly: ["deletion_window_days"],
    }),
    desired({
      address: "vault.central", type: "vault", accountId: VAULT, region: REGION, identity: identityOf("vault", { accountId: VAULT, region: REGION, name: "central" }),
      attributes: asAttributes({ name: "central", encryption_key_arn: pending("kms_key.central", "arn"), tags: { env: "prod", owner: "platform" }, arn: centralArn }),
      dependsOn: ["kms_key.central"],
    }),
    desired({
      address: "vault.prod", type: "vault", accountId: PROD, region: REGION, identity: identityOf("vault", { accountId: PROD, region: REGION, name: "prod" }),
      attributes: asAttributes({ name: "prod", encryption_key_arn: pending("kms_key.prod", "arn"), tags: {}, arn: vaultArn(PROD, "prod") }),
      dependsOn: ["kms_key.prod"],
    }),
    desired({
      address: "vault.plain", type: "vault", accountId: STAGING, region: REGION, identity: identityOf("vault", { accountId: STAGING, region: REGION, name: "plain" }),
      attributes: asAttributes({ name: "plain", encryption_key_arn: AWS_MANAGED_BACKUP_KEY, tags: {}, arn: vaultArn(STAGING, "plain") }),
    }),
    desired({
      address: "vault_lock.central", type: "vault_lock", accountId: VAULT, region: REGION, identity: identityOf("vault_lock", { accountId: VAULT, region: REGION, name: "central" }),
      attributes: asAttributes({ vault_name: "central", min_retention_days: 7, max_retention_days: 365 }), dependsOn: ["vault.central"],
    }),
    desired({
      address: "vault_policy.central", type: "vault_policy", accountId: VAULT, region: REGION, identity: identityOf("vault_policy", { accountId: VAULT, region: REGION, name: "central" }),
      attributes: asAttributes({ vault_name: "central", statements: sortStatements([copyIntoFromAccounts(`${prefix}CopyFrom${PROD}`, [PROD])]) }),
      dependsOn: ["vault.central"],
    }),
    desired({
      address: `key_share.prod->${VAULT}`, type: "key_share", accountId: PROD, region: REGION,
      identity: identityOf("key_share", { accountId: PROD, region: REGION, key: `${PROD}/${REGION}/alias/crossvault-prod`, destination: VAULT }),
      attributes: asAttributes({ key_arn: pending("kms_key.prod", "arn"), destination_account: VAULT, statements: sortStatements(keyShareStatements(prefix, VAULT)) }),
      dependsOn: ["kms_key.prod"],
    }),
    desired({
      address: "backup_plan.daily", type: "backup_plan", accountId: PROD, region: REGION, identity: identityOf("backup_plan", { accountId: PROD, region: REGION, name: "daily" }),
      attributes: asAttributes({
        name: "daily",
        windows_vss: false,
        rules: [
          {
            name: "daily", target_vault: "prod", schedule: "cron(0 5 ? * * *)", start_window_minutes: 60, completion_window_minutes: 180, enable_continuous_backup: false,
            lifecycle: { delete_after_days: 35 }, recovery_point_tags: { source: "crossvault" },
            copy_actions: [{ destination_vault_arn: centralArn, lifecycle: { move_to_cold_storage_after_days: 30, delete_after_days: 365 } }],
          },
          {
            name: "weekly", target_vault: "prod", schedule: "cron(0 3 ? * SUN *)", schedule_timezone: "Europe/Paris", start_window_minutes: 480, completion_window_minutes: 10080,
            enable_continuous_backup: false, recovery_point_tags: {}, copy_actions: [],
          },
        ],
        tags: { cost: "backup" },
        id: pending("backup_plan.daily", "id"),
      }),
      dependsOn: ["vault.prod", "vault_policy.central", `key_share.prod->${VAULT}`, "cross_account_setting"],
    }),
    desired({
      address: "backup_selection.daily.tagged", type: "backup_selection", accountId: PROD, region: REGION,
      identity: identityOf("backup_selection", { accountId: PROD, region: REGION, plan: "daily", name: "tagged" }),
      attributes: asAttributes({
        plan_id: pending("backup_plan.daily", "id"), name: "tagged", iam_role_arn: `arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`,
        resources: [`arn:aws:dynamodb:${REGION}:${PROD}:table/orders`, `arn:aws:elasticfilesystem:${REGION}:${PROD}:file-system/fs-0123456789abcdef0`], not_resources: [],
        tags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }],
      }),
      dependsOn: ["backup_plan.daily"],
    }),
  ];
}

export function createChange(d: DesiredResource): ResourceChange {
  return { address: d.address, type: d.type, accountId: d.accountId, region: d.region, action: "create", before: null, after: d.attributes, changes: [], dependsOn: d.dependsOn, identity: d.identity };
}

export interface Applied {
  results: Map<string, ApplyResult>;
  events: EngineEvent[];
  resolve(p: Pending): unknown;
}

/** Applies the changes in dependency order (one at a time: the order is what these tests need). */
export async function applyInOrder(pool: ClientPool, stack: string, changes: ResourceChange[], applied?: Applied): Promise<Applied> {
  const results = applied?.results ?? new Map<string, ApplyResult>();
  const events = applied?.events ?? [];
  const resolve = (p: Pending): unknown => results.get(p.$pending.address)?.attributes?.[p.$pending.attribute];
  const done = new Set(results.keys());
  const left = [...changes];
  while (left.length > 0) {
    const i = left.findIndex((c) => c.dependsOn.every((d) => done.has(d) || !changes.some((x) => x.address === d)));
    if (i < 0) throw new Error(`dependency cycle among ${left.map((c) => c.address).join(", ")}`);
    const [c] = left.splice(i, 1);
    results.set(c!.address, await applyChange(pool, c!, { stack, resolve, notify: (e) => events.push(e) }));
    done.add(c!.address);
  }
  return { results, events, resolve };
}

/** Desired attributes as the reader reports them: Pending values resolved, write-only ones left out. */
export function expectedLive(d: DesiredResource, resolve: (p: Pending) => unknown): Attributes {
  const walk = (v: unknown): unknown => {
    if (v && typeof v === "object" && "$pending" in v) return resolve(v as Pending);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(d.attributes) as Attributes;
  for (const k of d.writeOnly ?? []) delete out[k];
  return out;
}
