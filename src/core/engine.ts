// The planning pipeline: configuration -> clients -> organization -> desired state -> live state -> diff ->
// plan. It wires the pure core to the AWS edge and reports progress through a Host; it never prints.
// A session keeps what the planning learnt (clients, desired state, scope) so apply can run the same plan, and
// so a saved plan can be checked against a fresh read of the same scope.
import { createHash } from "node:crypto";
import path from "node:path";
import { formatDiagnostic, hasErrors, type Diagnostic } from "../config/diagnostics.js";
import { loadConfig, type LoadResult } from "../config/load.js";
import type { Config } from "../config/model.js";
import type { Value } from "../config/expr/types.js";
import { deriveDesired } from "../model/derive.js";
import type { OrgFacts } from "../model/org.js";
import type { DesiredResource } from "../model/resource.js";
import { ClientPool, DEFAULT_LIMITS, lanesToRead, organizationLane, ReadAhead, readLive, readOrgFacts, RequestLimiter, type AccountAccess, type LimiterOptions, type LiveRead, type ReadScope } from "../providers/aws/index.js";
import { describeError, isUnreachable } from "../providers/aws/aws-errors.js";
import { UserError } from "../cli/errors.js";
import { diffResources } from "./diff.js";
import type { Host } from "./events.js";
import { assemblePlan } from "./plan.js";
import { checkPlanRoutes } from "./route-check.js";
import type { Plan } from "./plan-types.js";

/** A configuration that does not load or derive: its diagnostics say why (printed by the command). */
export class ConfigurationInvalid extends UserError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    super(`the configuration is not valid: ${errors} error${errors === 1 ? "" : "s"}`, "Fix the errors above (crossvault validate shows them too) and run again.");
    this.name = "ConfigurationInvalid";
  }
}

export interface PlanRequest {
  /** Configuration directory or file. */
  target: string;
  vars?: Record<string, string>;
  varFiles?: string[];
  env?: Record<string, string | undefined>;
  mode: "apply" | "destroy";
  targets?: string[];
  host: Host;
  toolVersion: string;
  /** SDK retry attempts (default 8: throttling is retried by the SDK, not failed). */
  maxAttempts?: number;
  readLimits?: LimiterOptions;
  now?: () => Date;
  /** Called once the configuration loaded, before anything is read (apply takes the stack lock here). */
  onConfig?: (config: Config) => void | Promise<void>;
}

/** What a plan was made from: kept for apply (the same clients) and for re-reading a saved plan's scope. */
export interface PlanSession {
  config: Config;
  configPath: string;
  configHash: string;
  pool: ClientPool;
  org: OrgFacts;
  desired: DesiredResource[];
  scope: ReadScope;
  live: LiveRead;
  plan: Plan;
  close(): void;
}

const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_HOME_REGION = "us-east-1";

/** Stable over file order and location: the files' base names and texts. */
export function configurationHash(load: LoadResult): string {
  const h = createHash("sha256");
  for (const f of [...load.files].sort((a, b) => (a.path < b.path ? -1 : 1))) h.update(`${path.basename(f.path)}\0${f.text}\0`);
  return `sha256:${h.digest("hex")}`;
}

function warn(host: Host, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) if (d.severity === "warning") host.notify({ type: "warning", message: formatDiagnostic(d) });
}

function usesOrgQueries(load: LoadResult): boolean {
  return load.files.some((f) => f.text.includes("accounts_in_ou"));
}

function managementAccountId(config: Config): string {
  const decl = config.accounts.find((a) => a.name === config.settings.managementAccount.name);
  // loadConfig reports an undeclared management account; a Config always has it.
  if (!decl) throw new UserError(`crossvault.management_account names account.${config.settings.managementAccount.name}, which is not declared`);
  return decl.id;
}

export function homeRegionOf(config: Config, env: Record<string, string | undefined>): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || config.settings.defaultRegion || DEFAULT_HOME_REGION;
}

export function clientPoolFor(config: Config, env: Record<string, string | undefined>, maxAttempts = DEFAULT_MAX_ATTEMPTS): ClientPool {
  const accounts: AccountAccess[] = config.accounts.map((a) => ({
    accountId: a.id,
    ...(a.roleArn ? { roleArn: a.roleArn } : {}),
    ...(a.profile ? { profile: a.profile } : {}),
  }));
  return new ClientPool(
    {
      managementAccountId: managementAccountId(config),
      assumeRoleName: config.settings.assumeRoleName,
      homeRegion: homeRegionOf(config, env),
      maxAttempts,
      retryMode: "standard",
      sessionName: `crossvault-${config.settings.stack}`.slice(0, 64),
    },
    accounts,
  );
}

/**
 * What the read covers: every declared account in every region the configuration uses (so that objects of
 * this stack left behind by a config edit are found and deleted), plus wherever a desired resource lives.
 */
export function readScopeOf(config: Config, desired: DesiredResource[], homeRegion: string): ReadScope {
  const regions = new Set<string>();
  for (const d of desired) if (d.region !== "global") regions.add(d.region);
  if (config.settings.defaultRegion) regions.add(config.settings.defaultRegion);
  const accountIds = new Set<string>([...config.accounts.map((a) => a.id), ...desired.map((d) => d.accountId)]);
  const sortedRegions = [...regions].sort();
  return {
    stack: config.settings.stack,
    accounts: [...accountIds].sort().map((accountId) => ({ accountId, regions: sortedRegions })),
    desired,
    managementAccountId: managementAccountId(config),
    manageOrg: desired.some((d) => d.type === "org_trust" || d.type === "cross_account_setting"),
    homeRegion,
    keyArns: config.kmsKeys.flatMap((k) => (k.mode === "existing" ? [k.arn] : [])).sort(),
  };
}

/**
 * The account-regions the read will cover as far as the configuration tells without the organization (the
 * organization only adds accounts_in_ou members and policy conditions): a subset of the final scope's lanes.
 * None when the configuration does not derive yet: the read-ahead is only a head start.
 */
function provisionalLanes(config: Config, homeRegion: string): Array<{ accountId: string; region: string }> {
  const derived = deriveDesired(config, undefined);
  if (hasErrors(derived.diagnostics)) return [];
  return lanesToRead(readScopeOf(config, derived.resources, homeRegion));
}

async function load(req: Pick<PlanRequest, "target" | "vars" | "varFiles" | "env">, orgQueries?: { accountsInOu(ou: string): string[] | undefined }): Promise<LoadResult> {
  return loadConfig(req.target, { vars: req.vars ?? {}, varFiles: req.varFiles ?? [], env: req.env ?? process.env, ...(orgQueries ? { orgQueries } : {}) });
}

async function organizationOf(pool: ClientPool, config: Config, limiter: RequestLimiter, env: Record<string, string | undefined>): Promise<OrgFacts> {
  const lane = organizationLane(managementAccountId(config));
  try {
    return await readOrgFacts(pool, (fn) => limiter.run(lane, fn));
  } catch (e) {
    const mgmt = managementAccountId(config);
    throw new UserError(
      `cannot read the organization from the management account ${mgmt} through ${pool.describeAccess(mgmt)}: ${describeError(e)}`,
      isUnreachable(e) ? unreachableHint(env) : "Give crossvault the management account's credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or SSO). To try crossvault without AWS, run `crossvault demo`.",
    );
  }
}

/** What to check when no answer came at all: the endpoint the SDK was pointed at, or the network and Region. */
function unreachableHint(env: Record<string, string | undefined>): string {
  const endpoint = env.AWS_ENDPOINT_URL_ORGANIZATIONS ? ["AWS_ENDPOINT_URL_ORGANIZATIONS", env.AWS_ENDPOINT_URL_ORGANIZATIONS] : env.AWS_ENDPOINT_URL ? ["AWS_ENDPOINT_URL", env.AWS_ENDPOINT_URL] : undefined;
  return endpoint
    ? `Nothing answered at ${endpoint[1]} (${endpoint[0]}): start that endpoint (\`crossvault sandbox\` for the local one) or unset ${endpoint[0]} to reach AWS.`
    : "AWS did not answer: check the network (a proxy, a firewall) and AWS_REGION.";
}

/** Load, derive and read: everything a plan needs, with the live read of the desired state's scope. */
export async function readSession(req: Omit<PlanRequest, "mode" | "targets" | "toolVersion" | "now">): Promise<Omit<PlanSession, "plan">> {
  const env = req.env ?? process.env;
  let loaded = await load(req);
  if (!loaded.config) throw new ConfigurationInvalid(loaded.diagnostics);
  await req.onConfig?.(loaded.config);
  const pool = clientPoolFor(loaded.config, env, req.maxAttempts);
  try {
    const mgmt = managementAccountId(loaded.config);
    // One limiter for every read of the session; the organization's lane goes first (read-ahead.ts).
    const limiter = new RequestLimiter(req.readLimits ?? DEFAULT_LIMITS, new Set([organizationLane(mgmt)]));
    // While the organization is walked: the member accounts' AssumeRole calls and the lists of every
    // account-region known without the organization. Neither needs the walk.
    pool.prefetchCredentials(loaded.config.accounts.map((a) => a.id));
    const walk = organizationOf(pool, loaded.config, limiter, env);
    const readAhead = new ReadAhead(pool, limiter);
    readAhead.startLanes(provisionalLanes(loaded.config, pool.settings.homeRegion));
    const org = await walk;
    // The SCPs share the walk's rate-limited lane: started after it, since everything else waits for the walk
    // and only the route check at the end waits for them.
    readAhead.startScps(mgmt);
    if (usesOrgQueries(loaded)) {
      loaded = await load(req, { accountsInOu: (ou) => org.accountsByOu[ou] });
      if (!loaded.config) throw new ConfigurationInvalid(loaded.diagnostics);
    }
    const config = loaded.config;
    warn(req.host, loaded.diagnostics);
    if (org.managementAccountId && org.managementAccountId !== managementAccountId(config)) {
      throw new UserError(
        `crossvault.management_account is ${managementAccountId(config)}, but the credentials reach the organization ${org.organizationId} whose management account is ${org.managementAccountId}`,
        "Use the management account's credentials, or correct the account id in the configuration.",
      );
    }
    const derived = deriveDesired(config, org);
    if (hasErrors(derived.diagnostics)) throw new ConfigurationInvalid(derived.diagnostics);
    warn(req.host, derived.diagnostics);
    const scope = { ...readScopeOf(config, derived.resources, pool.settings.homeRegion), ...(org.rootId ? { root: { id: org.rootId, scpEnabled: org.scpEnabled ?? false } } : {}) };
    const live = await readLive(pool, scope, { notify: (e) => req.host.notify(e), limiter, readAhead });
    Object.assign(org, live.org); // the organization's SCPs and their policy type, for the copy-route check
    return {
      config, configPath: path.resolve(req.target), configHash: configurationHash(loaded), pool, org, desired: derived.resources, scope, live,
      close: () => pool.destroy(),
    };
  } catch (e) {
    pool.destroy();
    throw e;
  }
}

export function variablesOf(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of [...config.variables].sort((a, b) => (a.name < b.name ? -1 : 1))) out[v.name] = v.value;
  return out;
}

/** The plan for a configuration directory: the whole pipeline, ending in the plan value. */
export async function makePlan(req: PlanRequest): Promise<PlanSession> {
  const session = await readSession(req);
  try {
    const now = (req.now ?? (() => new Date()))();
    const diff = diffResources(session.desired, session.live.resources, { stack: session.config.settings.stack, mode: req.mode, targets: req.targets ?? [], now });
    const assembled = assemblePlan({
      stack: session.config.settings.stack,
      configPath: session.configPath,
      configHash: session.configHash,
      variables: variablesOf(session.config),
      targets: req.targets ?? [],
      mode: req.mode,
      diff,
      fingerprints: session.live.fingerprints,
      unreadable: session.live.unreadable,
      toolVersion: req.toolVersion,
      now,
    });
    const plan = await checkPlanRoutes(session, assembled, req.readLimits);
    return { ...session, plan };
  } catch (e) {
    session.close();
    throw e;
  }
}

/** Variable values as `--var` texts: strings as they are, everything else in HCL/JSON literal syntax. */
export function variableTexts(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === "string" ? v : JSON.stringify(v as Value);
  return out;
}
