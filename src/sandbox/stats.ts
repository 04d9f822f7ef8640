// Request counters the control API serves (benchmarks read them to count the AWS calls a command makes).

export interface StatsSnapshot {
  since: string;
  total: number;
  byService: Record<string, number>;
  /** `service:Operation` -> count. */
  byOperation: Record<string, number>;
  byAccount: Record<string, number>;
  /** `service|account|region` (the rate limit's unit) -> count; requests that name no account are left out. */
  byLane: Record<string, number>;
  /** Error code -> count (throttling and injected faults included). */
  errors: Record<string, number>;
  /**
   * CPU time (user + system, ms) of the process serving the sandbox since `since`: the sandbox's own cost only
   * when it runs in its own process (`crossvault sandbox`), which is how the benchmarks tell its share of the
   * machine from the CLI's.
   */
  cpuMs: number;
}

export class RequestStats {
  private data: StatsSnapshot = RequestStats.empty();
  private cpuSince = process.cpuUsage();

  private static empty(): StatsSnapshot {
    return { since: new Date().toISOString(), total: 0, byService: {}, byOperation: {}, byAccount: {}, byLane: {}, errors: {}, cpuMs: 0 };
  }

  record(service: string, operation: string | undefined, accountId: string | undefined, errorCode?: string, region?: string): void {
    const d = this.data;
    d.total += 1;
    d.byService[service] = (d.byService[service] ?? 0) + 1;
    const op = `${service}:${operation ?? "(unknown)"}`;
    d.byOperation[op] = (d.byOperation[op] ?? 0) + 1;
    if (accountId) d.byAccount[accountId] = (d.byAccount[accountId] ?? 0) + 1;
    if (accountId && region) {
      const lane = `${service}|${accountId}|${region}`;
      d.byLane[lane] = (d.byLane[lane] ?? 0) + 1;
    }
    if (errorCode) d.errors[errorCode] = (d.errors[errorCode] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    const cpu = process.cpuUsage(this.cpuSince);
    return { ...structuredClone(this.data), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
  }

  reset(): void {
    this.data = RequestStats.empty();
    this.cpuSince = process.cpuUsage();
  }
}
