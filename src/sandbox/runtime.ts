// The running sandbox's state holder: the World, the sandbox clock (wall clock + the world's offset), the
// job tick, persistence, and the one-at-a-time rule. Every read or change of the world goes through
// `exclusive`, so an async handler that awaits mid-way can never interleave with another request's changes.
import type { OrgFixture } from "./fixture.js";
import { createWorld } from "./fixture.js";
import { Faults } from "./faults.js";
import type { FaultOptions } from "./faults.js";
import type { SandboxSettings, ServiceImpl, ServiceName } from "./service.js";
import { services as builtInServices } from "./services/index.js";
import * as backupJobs from "./services/backup/jobs.js";
import { RequestStats } from "./stats.js";
import type { StateFile } from "./store.js";
import type { World } from "./world.js";

export type RunDuePlans = (world: World, now: number, settings: SandboxSettings) => unknown;

/** Extra or replacement operations per service (tests of the protocol layer use it; the CLI never does). */
export type ServiceOverrides = Partial<Record<ServiceName, Partial<ServiceImpl>>>;

function withOverrides(overrides: ServiceOverrides | undefined): Record<ServiceName, ServiceImpl> {
  const out = { ...builtInServices };
  for (const [name, o] of Object.entries(overrides ?? {}) as Array<[ServiceName, Partial<ServiceImpl>]>) {
    const base = builtInServices[name];
    out[name] = { ...base, ...o, service: name, operations: { ...base.operations, ...o.operations } };
  }
  return out;
}

export class SandboxRuntime {
  world: World;
  readonly settings: SandboxSettings;
  readonly stats = new RequestStats();
  readonly faults: Faults;
  readonly services: Record<ServiceName, ServiceImpl>;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly reportedTickErrors = new Set<string>();

  constructor(
    readonly fixture: OrgFixture,
    world: World,
    settings: SandboxSettings,
    faults: FaultOptions,
    readonly store: StateFile | undefined,
    readonly log: (line: string) => void,
    overrides?: ServiceOverrides,
  ) {
    this.services = withOverrides(overrides);
    this.world = world;
    this.settings = settings;
    this.faults = new Faults(faults);
  }

  /** Sandbox time in epoch ms. */
  now(): number {
    return Date.now() + this.world.clockOffsetMs;
  }

  /** Runs `fn` when no other world access is in progress (requests, ticks and control calls queue up). */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Snapshots the world (call inside `exclusive`, so the snapshot is consistent) and returns a promise that
   * resolves when it is durable; without a state file it resolves at once.
   */
  persist(): Promise<void> {
    if (!this.store) return Promise.resolve();
    return this.store.save(JSON.stringify(this.world));
  }

  /** Moves jobs along (call inside `exclusive`). */
  tick(): void {
    const now = this.now();
    for (const svc of Object.values(this.services)) {
      if (!svc.tick) continue;
      try {
        svc.tick(this.world, now, this.settings);
      } catch (err) {
        // A failing tick must not stop the clock for the other services nor flood the log.
        const msg = `${svc.service} tick failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
        if (!this.reportedTickErrors.has(msg)) {
          this.reportedTickErrors.add(msg);
          this.log(msg);
        }
      }
    }
  }

  reset(): void {
    this.world = createWorld(this.fixture, Date.now());
  }

  advanceClock(ms: number): void {
    this.world.clockOffsetMs += ms;
    this.tick();
  }

  /** Starts due backup plans now, when the backup service provides it. */
  runDuePlans(): { available: boolean; result?: unknown } {
    const fn = (backupJobs as Record<string, unknown>).runDuePlans;
    if (typeof fn !== "function") return { available: false };
    const result = (fn as RunDuePlans)(this.world, this.now(), this.settings);
    this.tick();
    return { available: true, result };
  }
}
