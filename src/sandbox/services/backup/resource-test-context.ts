// Unit-test support for the backup resource handlers: a World from the default organization fixture and an
// OperationContext that calls a handler as a given account, in a given Region, at a given sandbox time.
import type { OperationContext } from "../../service.js";
import type { World } from "../../world.js";
import { ServiceError } from "../../service.js";
import { DEFAULT_FIXTURE, createWorld } from "../../fixture.js";
import { backupService } from "./index.js";

export const MANAGEMENT = "111111111111";
export const PROD = "222222222222";
export const VAULT_ACCOUNT = "333333333333";
export const OUTSIDER = "999999999999";
export const REGION = "eu-west-1";
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

export interface Caller {
  world: World;
  now: number;
  as(accountId: string, region?: string): Caller;
  at(now: number): Caller;
  call(operation: string, input?: Record<string, any>): Record<string, any>;
  /** Runs the operation expecting a ServiceError, and returns it. */
  fail(operation: string, input?: Record<string, any>): ServiceError;
}

export function sandboxCaller(world = createWorld(DEFAULT_FIXTURE, T0), accountId = PROD, region = REGION, now = T0): Caller {
  const ctx = (operation: string): OperationContext => ({
    caller: { accessKeyId: "AKIATEST", accountId, arn: `arn:aws:iam::${accountId}:root` },
    region,
    service: "backup",
    operation,
    requestId: "test-request",
    now,
    world,
    settings: { consistencyDelayMs: 0, jobDurationMs: 1000 },
  });
  const call = (operation: string, input: Record<string, any> = {}) => {
    const handler = backupService.operations[operation];
    if (!handler) throw new Error(`no backup operation ${operation}`);
    const out = handler(ctx(operation), input);
    if (out instanceof Promise) throw new Error(`${operation} is asynchronous; these tests expect a synchronous handler`);
    return out ?? {};
  };
  return {
    world,
    now,
    as: (a, r = region) => sandboxCaller(world, a, r, now),
    at: (t) => sandboxCaller(world, accountId, region, t),
    call,
    fail(operation, input = {}) {
      try {
        call(operation, input);
      } catch (e) {
        if (e instanceof ServiceError) return e;
        throw e;
      }
      throw new Error(`${operation} succeeded but was expected to fail`);
    },
  };
}
