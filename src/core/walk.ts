// The bounded parallel walk of a dependency graph, used by apply and destroy (and the live read).
// A node runs when all its dependencies succeeded; a failure skips everything that depends on it and lets
// independent branches finish. Concurrency is bounded globally and per lane (an account-region: AWS rate
// limits are per account), so one busy account cannot starve the others or trip their throttling.

export interface WalkNode<T> {
  id: string;
  dependsOn: readonly string[];
  /** Concurrency lane, e.g. `222222222222/eu-west-1`; nodes of one lane share the per-lane bound. */
  lane: string;
  payload: T;
}

export type NodeOutcome =
  | { status: "done" }
  | { status: "failed"; error: unknown }
  | { status: "skipped"; because: string };

export interface WalkOptions {
  /** Most nodes running at once (Terraform's -parallelism). */
  parallelism: number;
  /** Most nodes of one lane running at once. */
  perLane: number;
  /** Stop starting new nodes (those not started are skipped), e.g. on SIGINT. */
  signal?: AbortSignal;
}

export class GraphCycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(" -> ")}`);
  }
}

/** Throws GraphCycleError on a cycle and Error on a dependency that names no node. */
export function checkGraph(nodes: readonly WalkNode<unknown>[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    for (const d of n.dependsOn) if (!byId.has(d)) throw new Error(`${n.id} depends on ${d}, which is not in the graph`);
  }
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    const s = state.get(id);
    if (s === 2) return;
    if (s === 1) throw new GraphCycleError([...stack.slice(stack.indexOf(id)), id]);
    state.set(id, 1);
    stack.push(id);
    for (const d of byId.get(id)!.dependsOn) visit(d);
    stack.pop();
    state.set(id, 2);
  };
  for (const n of nodes) visit(n.id);
}

export async function walkGraph<T>(nodes: readonly WalkNode<T>[], run: (node: WalkNode<T>) => Promise<void>, opts: WalkOptions): Promise<Map<string, NodeOutcome>> {
  checkGraph(nodes);
  const outcomes = new Map<string, NodeOutcome>();
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const n of nodes) {
    waiting.set(n.id, new Set(n.dependsOn).size);
    for (const d of new Set(n.dependsOn)) dependents.set(d, [...(dependents.get(d) ?? []), n.id]);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ready: WalkNode<T>[] = nodes.filter((n) => waiting.get(n.id) === 0);
  const laneRunning = new Map<string, number>();
  let running = 0;

  const skipDependents = (id: string, because: string): void => {
    for (const dep of dependents.get(id) ?? []) {
      if (outcomes.has(dep)) continue;
      outcomes.set(dep, { status: "skipped", because });
      skipDependents(dep, because);
    }
  };

  return new Promise((resolve) => {
    const pump = (): void => {
      if (opts.signal?.aborted) {
        for (const n of ready.splice(0)) {
          if (!outcomes.has(n.id)) outcomes.set(n.id, { status: "skipped", because: "interrupted" });
        }
      }
      for (let i = 0; i < ready.length && running < opts.parallelism; ) {
        const node = ready[i]!;
        if ((laneRunning.get(node.lane) ?? 0) >= opts.perLane) {
          i++;
          continue;
        }
        ready.splice(i, 1);
        if (outcomes.has(node.id)) continue;
        running++;
        laneRunning.set(node.lane, (laneRunning.get(node.lane) ?? 0) + 1);
        run(node).then(
          () => finish(node, { status: "done" }),
          (error: unknown) => finish(node, { status: "failed", error }),
        );
      }
      if (running === 0 && (ready.length === 0 || opts.signal?.aborted)) {
        for (const n of nodes) if (!outcomes.has(n.id)) outcomes.set(n.id, { status: "skipped", because: "interrupted" });
        resolve(outcomes);
      }
    };
    const finish = (node: WalkNode<T>, outcome: NodeOutcome): void => {
      running--;
      laneRunning.set(node.lane, laneRunning.get(node.lane)! - 1);
      outcomes.set(node.id, outcome);
      if (outcome.status === "done") {
        for (const dep of dependents.get(node.id) ?? []) {
          const left = waiting.get(dep)! - 1;
          waiting.set(dep, left);
          if (left === 0 && !outcomes.has(dep)) ready.push(byId.get(dep)!);
        }
      } else {
        skipDependents(node.id, `${node.id} failed`);
      }
      pump();
    };
    pump();
  });
}
