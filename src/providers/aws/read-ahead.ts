// Reads that need nothing from the desired state, started while the organization is walked: each
// account-region's three lists (vaults, plans, aliases) and the organization's SCPs. The walk is a chain of
// paged calls on one rate-limited lane (Organizations), during which the account lanes would otherwise sit
// idle; the live read then takes each result once instead of calling again (docs/performance.md).
// A failure of a read started here is reported by the reader that takes the result (with its account and what it
// read), or never when nobody takes it (an account-region the final scope dropped).
import { laneOf, organizationLane, quietly, type LaneLists, type ReadAheadSource, type ScpPolicy } from "./read-context.js";
import type { ClientPool } from "./clients.js";
import type { RequestLimiter } from "./limiter.js";
import { listAliases } from "./read-keys.js";
import { fetchScps } from "./read-guardrails.js";
import { listPlans } from "./read-plans.js";
import { listVaults } from "./read-vaults.js";

export class ReadAhead implements ReadAheadSource {
  private readonly lanes = new Map<string, LaneLists>();
  private scps: Promise<ScpPolicy[]> | undefined;

  constructor(private readonly pool: ClientPool, private readonly limiter: RequestLimiter) {}

  /** Starts the lists of these account-regions under the limiter's bounds (calls queue in lane order). */
  startLanes(lanes: ReadonlyArray<{ accountId: string; region: string }>): void {
    for (const { accountId, region } of lanes) {
      const lane = laneOf(accountId, region);
      if (this.lanes.has(lane)) continue;
      const call = <T>(fn: () => Promise<T>): Promise<T> => this.limiter.run(lane, fn);
      const backup = this.pool.backup(accountId, region);
      this.lanes.set(lane, {
        vaults: quietly(listVaults(backup, call)),
        plans: quietly(listPlans(backup, call)),
        aliases: quietly(listAliases(this.pool.kms(accountId, region), call)),
      });
    }
  }

  /** Starts reading every SCP on the management account's Organizations lane. */
  startScps(managementAccountId: string): void {
    const lane = organizationLane(managementAccountId);
    this.scps ??= quietly(fetchScps(this.pool.organizations(), (fn) => this.limiter.run(lane, fn)));
  }

  takeLane(accountId: string, region: string): LaneLists | undefined {
    const lane = laneOf(accountId, region);
    const lists = this.lanes.get(lane);
    this.lanes.delete(lane);
    return lists;
  }

  takeScps(): Promise<ScpPolicy[]> | undefined {
    const scps = this.scps;
    this.scps = undefined;
    return scps;
  }
}
