// AWS clients per account x region x service, cached. The management account uses the standard credential chain
// (env, profiles, SSO, AWS_PROFILE); every other account is reached through sts:AssumeRole (its role_arn or the
// stack's assume_role_name) or its own named profile. Endpoints are left to the SDK, so the standard
// AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_BACKUP etc.) point crossvault at the sandbox or any emulator untouched.
//
// Each account's client is a view of one SDK client per service x region whose calls are signed with the
// account's credentials, chosen per call (see AccountScope): building and warming an SDK client costs more CPU
// than the few calls a plan makes per account-region (docs/decisions.md, docs/performance.md).
import { BackupClient } from "@aws-sdk/client-backup";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { AsyncLocalStorage } from "node:async_hooks";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Semaphore } from "./limiter.js";

// The SDK warns about the Node version when the first client is built unless this is exactly "true"; the
// warning must never land in the middle of crossvault's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** How crossvault reaches one account. */
export interface AccountAccess {
  accountId: string;
  /** Role to assume from the management account's credentials. */
  roleArn?: string;
  /** A named profile instead of assuming a role. */
  profile?: string;
}

export interface ClientSettings {
  managementAccountId: string;
  /** Used when an account has neither role_arn nor profile. */
  assumeRoleName: string;
  /** Region for the global services (Organizations) and STS. */
  homeRegion: string;
  /** SDK retry attempts (throttling and 5xx are retried by the SDK's strategy). */
  maxAttempts: number;
  retryMode: "standard" | "adaptive";
  sessionName: string;
}

type AwsCredentialIdentityProvider = ReturnType<typeof fromNodeProviderChain>;
type AwsCredentialIdentity = Awaited<ReturnType<AwsCredentialIdentityProvider>>;

/** Refresh temporary credentials this long before they expire. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * One credential fetch shared by every client of an account (each SDK client would otherwise call
 * AssumeRole itself: two services x N regions calls per account). Concurrent callers share the pending
 * fetch; a failure is not kept, so a role that becomes assumable later is tried again.
 */
export function sharedCredentials(provider: AwsCredentialIdentityProvider, now: () => number = Date.now): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return (props) => {
    if (current && now() < expiresAt - REFRESH_BEFORE_EXPIRY_MS) return current;
    expiresAt = Number.POSITIVE_INFINITY;
    const pending = provider(props).then(
      (c) => {
        expiresAt = c.expiration ? c.expiration.getTime() : Number.POSITIVE_INFINITY;
        return c;
      },
      (e: unknown) => {
        if (current === pending) current = undefined;
        throw e;
      },
    );
    current = pending;
    return pending;
  };
}
/** The SigV4 signing name of each service (its endpoint prefix). */
const SIGNING_NAMES = { backup: "backup", kms: "kms", organizations: "organizations", sts: "sts" } as const;

type ServiceClients = { backup: BackupClient; kms: KMSClient; organizations: OrganizationsClient; sts: STSClient };
export type AwsService = keyof ServiceClients;

export function roleArnFor(access: AccountAccess, settings: ClientSettings): string {
  return access.roleArn ?? `arn:aws:iam::${access.accountId}:role/${settings.assumeRoleName}`;
}

/**
 * The credentials of the account a call is made for, carried through the SDK's middleware by the call's async
 * context. A shared SDK client's `credentials` is a provider that reads this scope; it is marked `memoized` so
 * the SDK asks it on every call instead of caching the first account's identity for all (each account's own
 * provider caches its credentials: sharedCredentials). Outside a scope there is no account: a clear error.
 */
export class AccountScope {
  private readonly current = new AsyncLocalStorage<AwsCredentialIdentityProvider>();
  readonly credentials: AwsCredentialIdentityProvider & { memoized: true };

  constructor() {
    const current = this.current;
    this.credentials = Object.assign(((props?: Parameters<AwsCredentialIdentityProvider>[0]) => {
      const provider = current.getStore();
      if (!provider) return Promise.reject(new Error("an AWS call was made outside an account's scope"));
      return provider(props);
    }) as AwsCredentialIdentityProvider, { memoized: true as const });
  }

  run<T>(provider: AwsCredentialIdentityProvider, call: () => T): T {
    return this.current.run(provider, call);
  }
}

/**
 * An account's client: the shared client of its service and region (so `instanceof`, paginators and `config`
 * behave as the SDK's own) whose `send` runs in the account's scope.
 */
function accountView<C extends { send: (...args: never[]) => unknown }>(shared: C, scope: AccountScope, provider: AwsCredentialIdentityProvider): C {
  const view = Object.create(shared) as C;
  const send = shared.send.bind(shared) as (...args: unknown[]) => unknown;
  Object.defineProperty(view, "send", { value: (...args: unknown[]) => scope.run(provider, () => send(...args)) });
  // An account's view must never tear down the client every other account shares: the pool does (destroy()).
  Object.defineProperty(view, "destroy", { value: () => undefined });
  return view;
}

export class ClientPool {
  /**
   * One keep-alive connection pool for every client (the STS client the AssumeRole calls go through included),
   * reusing connections per endpoint. No socket cap here: the RequestLimiter already bounds the calls in flight.
   */
  private readonly agents = { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
  private readonly scope = new AccountScope();
  private readonly credentials = new Map<string, AwsCredentialIdentityProvider>();
  /** One SDK client per service x region (x single attempt). */
  private readonly shared = new Map<string, ServiceClients[AwsService]>();
  /** One view per account x region x service (x single attempt). */
  private readonly views = new Map<string, ServiceClients[AwsService]>();
  private readonly access = new Map<string, AccountAccess>();
  private management: AwsCredentialIdentityProvider | undefined;

  constructor(readonly settings: ClientSettings, accounts: readonly AccountAccess[]) {
    for (const a of accounts) this.access.set(a.accountId, a);
  }

  /** How an account is reached, for messages ("cannot assume arn:aws:iam::222222222222:role/X"). */
  describeAccess(accountId: string): string {
    const a = this.access.get(accountId) ?? { accountId };
    if (accountId === this.settings.managementAccountId && !a.roleArn && !a.profile) return "the default credential chain";
    if (a.profile) return `profile ${a.profile}`;
    return `role ${roleArnFor(a, this.settings)}`;
  }

  /** The standard chain, resolved once (and again near expiry) for every client that uses it. */
  private managementCredentials(): AwsCredentialIdentityProvider {
    this.management ??= sharedCredentials(fromNodeProviderChain());
    return this.management;
  }

  private credentialsFor(accountId: string): AwsCredentialIdentityProvider {
    let provider = this.credentials.get(accountId);
    if (provider) return provider;
    const a = this.access.get(accountId) ?? { accountId };
    if (a.profile) {
      provider = sharedCredentials(fromIni({ profile: a.profile }));
    } else if (accountId === this.settings.managementAccountId && !a.roleArn) {
      provider = this.managementCredentials();
    } else {
      provider = sharedCredentials(this.assumeRole(roleArnFor(a, this.settings)));
    }
    this.credentials.set(accountId, provider);
    return provider;
  }

  /**
   * sts:AssumeRole from the management account's credentials, through the one STS client of the home region
   * (the SDK's fromTemporaryCredentials would build an STS client per account).
   */
  private assumeRole(roleArn: string): AwsCredentialIdentityProvider {
    return async () => {
      const sts = accountView(this.sharedClient("sts", this.settings.homeRegion, false), this.scope, this.managementCredentials());
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.settings.sessionName }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error(`sts:AssumeRole of ${roleArn} returned no credentials`), { name: "CredentialsProviderError" });
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    };
  }

  private sharedClient<S extends AwsService>(service: S, region: string, singleAttempt: boolean): ServiceClients[S] {
    const key = `${service}/${region}${singleAttempt ? "/single" : ""}`;
    let c = this.shared.get(key);
    if (!c) {
      const config = {
        region,
        credentials: this.scope.credentials,
        maxAttempts: singleAttempt ? 1 : this.settings.maxAttempts,
        retryMode: this.settings.retryMode,
        requestHandler: this.agents,
        // Resolve each command's middleware stack once per client instead of on every call: measured as the
        // largest CPU cost per call on a large organization (docs/performance.md).
        cacheMiddleware: true,
        // One signer for the client's life. Without it the SDK builds a signer per call from a copy of the
        // whole client configuration (measured: a tenth of the SDK's CPU per call). Each call still passes
        // its signing region and service, and the credentials come from the call's account scope.
        signer: new SignatureV4({ credentials: this.scope.credentials, region, service: SIGNING_NAMES[service], sha256: Sha256, uriEscapePath: true }),
      };
      switch (service) {
        case "backup": c = new BackupClient(config); break;
        case "kms": c = new KMSClient(config); break;
        case "organizations": c = new OrganizationsClient(config); break;
        case "sts": c = new STSClient(config); break;
      }
      this.shared.set(key, c!);
    }
    return c as ServiceClients[S];
  }

  /**
   * `singleAttempt`: a client that never retries by itself, for the one create AWS offers no idempotency
   * token for (KMS CreateKey): its caller checks whether a failed attempt created the key before retrying.
   */
  client<S extends AwsService>(service: S, accountId: string, region: string, singleAttempt = false): ServiceClients[S] {
    const key = `${service}/${accountId}/${region}${singleAttempt ? "/single" : ""}`;
    let c = this.views.get(key);
    if (!c) {
      c = accountView(this.sharedClient(service, region, singleAttempt), this.scope, this.credentialsFor(accountId));
      this.views.set(key, c);
    }
    return c as ServiceClients[S];
  }

  /**
   * Starts fetching the credentials of these accounts (AssumeRole) while other work goes on, e.g. the
   * organization walk, instead of when each account's first call needs them. Failures are dropped here: the
   * credentials are fetched again by the first real call, which reports the failure with its account.
   */
  prefetchCredentials(accountIds: readonly string[], concurrency = 32): void {
    const gate = new Semaphore(concurrency);
    for (const id of new Set(accountIds)) {
      if (id === this.settings.managementAccountId && !this.access.get(id)?.roleArn && !this.access.get(id)?.profile) continue;
      const provider = this.credentialsFor(id);
      void gate.run(() => provider()).catch(() => undefined);
    }
  }

  backup(accountId: string, region: string): BackupClient { return this.client("backup", accountId, region); }
  kms(accountId: string, region: string): KMSClient { return this.client("kms", accountId, region); }
  /** Organizations is global: always the management account in the home region. */
  organizations(): OrganizationsClient { return this.client("organizations", this.settings.managementAccountId, this.settings.homeRegion); }

  destroy(): void {
    for (const c of this.shared.values()) c.destroy();
    this.shared.clear();
    this.views.clear();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}
