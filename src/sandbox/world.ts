// The sandbox's whole state: one JSON-serialisable value, persisted atomically when --state is given.
// Each slot is owned by one module (see the imports); nothing else writes to it.
import type { OrgState } from "./services/organizations/state.js";
import type { IdentityState } from "./services/sts/state.js";
import type { BackupRegionState, BackupAccountState } from "./services/backup/state.js";
import type { KmsRegionState } from "./services/kms/state.js";
import { emptyBackupAccountState, emptyBackupRegionState } from "./services/backup/state.js";
import { awsManagedKeyId, emptyKmsRegionState, keyArn } from "./services/kms/state.js";

export const WORLD_FORMAT_VERSION = 1;

export interface World {
  formatVersion: typeof WORLD_FORMAT_VERSION;
  /** Sandbox time = wall clock + this offset (the control API's "advance the clock"). */
  clockOffsetMs: number;
  /** Monotonic counter for ids that must be unique within this world. */
  nextSerial: number;
  org: OrgState;
  identity: IdentityState;
  accounts: Record<string, AccountState>;
}

export interface AccountState {
  backup: BackupAccountState;
  regions: Record<string, RegionState>;
}

export interface RegionState {
  backup: BackupRegionState;
  kms: KmsRegionState;
}

/**
 * A value whose changes reach copy jobs only after the consistency delay [X2]: readers that model eventual
 * consistency ask for the value as of `now - delay`; API reads (Describe*, Get*) see `current` at once.
 */
export interface Eventual<T> {
  current: T;
  /** Oldest first; each entry is the value from `at` (sandbox ms) on. */
  history: Array<{ value: T; at: number }>;
}

export function eventual<T>(value: T, at: number): Eventual<T> {
  return { current: value, history: [{ value, at }] };
}

export function setEventual<T>(e: Eventual<T>, value: T, at: number): void {
  e.current = value;
  e.history.push({ value, at });
  // Keep the history short: only the newest entry at or before any plausible read time matters.
  if (e.history.length > 16) e.history.splice(0, e.history.length - 16);
}

/** The value as it was at `at`: the newest entry not after it (or the oldest known one). */
export function valueAt<T>(e: Eventual<T>, at: number): T {
  let v = e.history[0]?.value ?? e.current;
  for (const h of e.history) {
    if (h.at <= at) v = h.value;
    else break;
  }
  return v;
}

export function nextSerial(world: World): number {
  world.nextSerial += 1;
  return world.nextSerial;
}

/** Every account id the sandbox knows (organization members and outside accounts) gets state lazily. */
export function accountState(world: World, accountId: string, now: number): AccountState {
  let a = world.accounts[accountId];
  if (!a) {
    a = { backup: emptyBackupAccountState(now), regions: {} };
    world.accounts[accountId] = a;
  }
  return a;
}

/** The state of one account-region, created on first use (with its Default vault and `aws/backup` key). */
export function regionState(world: World, accountId: string, region: string, now: number): RegionState {
  const a = accountState(world, accountId, now);
  let r = a.regions[region];
  if (!r) {
    const backupKey = keyArn(accountId, region, awsManagedKeyId(accountId, region, "aws/backup"));
    r = { backup: emptyBackupRegionState(accountId, region, now, backupKey), kms: emptyKmsRegionState(accountId, region, now) };
    a.regions[region] = r;
  }
  return r;
}
