// Test support for the organizations, sts and kms unit tests: a world from the built-in fixture and a way to
// call one operation as a given account (or assumed role), as the protocol layer would.
import type { Caller, OperationContext, ServiceImpl } from "../../service.js";
import type { World } from "../../world.js";
import { createWorld, DEFAULT_FIXTURE } from "../../fixture.js";

export const MANAGEMENT = "111111111111";
export const PROD = "222222222222";
export const VAULT = "333333333333";
export const STAGING = "444444444444";
export const OUTSIDE = "999999999999";
export const T0 = Date.UTC(2025, 0, 1);

export function testWorld(now = T0): World {
  return createWorld(DEFAULT_FIXTURE, now);
}

export function rootCaller(accountId: string): Caller {
  return { accessKeyId: `AKIATEST${accountId}`, accountId, arn: `arn:aws:iam::${accountId}:root` };
}

export interface Invoker {
  world: World;
  now: number;
  region: string;
  /** Calls `operation` as `who` (an account id for its root, or a Caller); resolves to the output or rejects. */
  call(who: string | Caller, operation: string, input?: Record<string, any>): Promise<Record<string, any>>;
}

export function invoker(service: ServiceImpl, world = testWorld(), region = "us-east-1"): Invoker {
  const inv: Invoker = {
    world,
    now: T0,
    region,
    async call(who, operation, input = {}) {
      const handler = service.operations[operation];
      if (!handler) throw new Error(`no handler for ${service.service}.${operation}`);
      const ctx: OperationContext = {
        caller: typeof who === "string" ? rootCaller(who) : who,
        region: inv.region,
        service: service.service,
        operation,
        requestId: "test-request",
        now: inv.now,
        world: inv.world,
        settings: { consistencyDelayMs: 0, jobDurationMs: 1000 },
      };
      return (await handler(ctx, input)) ?? {};
    },
  };
  return inv;
}

/** The ServiceError a call fails with (code, status, fields), or a failure when it succeeds. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; httpStatus: number; message: string; fields: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: string; httpStatus: number; message: string; fields: Record<string, unknown> };
    return { code: err.code, httpStatus: err.httpStatus, message: err.message, fields: err.fields };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
