// The AWS request pipeline: SigV4 credential -> service -> codec decode -> caller -> faults -> model
// validation -> handler (one at a time against the world) -> durable state -> encoded response.
// Every failure on the way becomes the AWS-shaped error of the request's protocol; nothing escapes.
import { randomUUID } from "node:crypto";
import { callerOf, readCredential, serviceOf } from "./identity.js";
import { codecs, models, validateInput, validationError, wireError } from "./protocol/index.js";
import type { Codec, WireRequest, WireResponse } from "./protocol/index.js";
import type { SandboxRuntime } from "./runtime.js";
import { ServiceError } from "./service.js";
import type { Caller, OperationContext } from "./service.js";

/** Operations that only read: they neither need a state save nor count as changes. */
export function isReadOnly(operation: string): boolean {
  return /^(Describe|Get|List)/.test(operation);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A request for a service the sandbox does not emulate (signed for it, or an unknown X-Amz-Target). */
function unknownService(requestId: string, what: string): WireResponse {
  return {
    status: 400,
    headers: { "x-amzn-RequestId": requestId, "X-Amzn-ErrorType": "UnknownOperationException", "Content-Type": "application/json" },
    body: JSON.stringify({ __type: "UnknownOperationException", message: `The crossvault sandbox emulates backup, kms, organizations and sts; ${what}.` }),
  };
}

export async function handleAwsRequest(rt: SandboxRuntime, req: WireRequest): Promise<WireResponse> {
  const requestId = randomUUID();
  const auth = readCredential(req);
  const service = serviceOf(req, auth.ok ? auth.scope.service : undefined);
  if (!service) {
    rt.stats.record(auth.ok ? auth.scope.service : "unknown", undefined, undefined, "UnknownOperationException");
    return unknownService(requestId, auth.ok ? `this request is signed for '${auth.scope.service}'` : `X-Amz-Target '${req.headers["x-amz-target"]}' is not one of them`);
  }
  const codec = codecs[service];
  let operation: string | undefined;
  let caller: Caller | undefined;
  const fail = (err: ServiceError): WireResponse => {
    rt.stats.record(service, operation ?? safePeek(codec, req), caller?.accountId, err.code, auth.ok ? auth.scope.region : undefined);
    return codec.encodeError(err, requestId);
  };
  try {
    if (!auth.ok) return fail(wireError(service, auth.kind, auth.kind === "incompleteSignature" ? auth.message : undefined));
    const delay = rt.faults.delayMs();
    if (delay > 0) await sleep(delay);

    const decoded = codec.decode(req);
    operation = decoded.operation;
    const resolved = callerOf(rt.world, auth.scope.accessKeyId, rt.now());
    if (!resolved.ok) return fail(wireError(service, resolved.kind));
    caller = resolved.caller;

    const fault = rt.faults.decide(service, caller.accountId, auth.scope.region);
    if (fault) return fail(wireError(service, fault));

    const violations = validateInput(models[service], decoded.operation, decoded.input);
    if (violations.length > 0) return fail(validationError(service, violations));

    const handler = rt.services[service].operations[decoded.operation];
    if (!handler) return fail(wireError(service, "notEmulated", `${models[service].sdkId} ${decoded.operation} is a real AWS operation that the crossvault sandbox does not emulate.`));

    const mutating = !isReadOnly(decoded.operation);
    let durable: Promise<void> = Promise.resolve();
    const output = await rt.exclusive(async () => {
      const ctx: OperationContext = {
        caller: caller!,
        region: auth.scope.region,
        service,
        operation: decoded.operation,
        requestId,
        now: rt.now(),
        world: rt.world,
        settings: rt.settings,
      };
      try {
        return await handler(ctx, decoded.input);
      } finally {
        // Save even when the handler failed part-way: whatever it changed must not be lost on restart.
        if (mutating) {
          durable = rt.persist();
          durable.catch(() => undefined); // awaited below on success; a failed handler's save must not go unhandled
        }
      }
    });
    try {
      await durable;
    } catch (err) {
      rt.log(`state file write failed: ${(err as Error).message}`);
      return fail(wireError(service, "internalFailure", "The sandbox could not save its state file."));
    }
    rt.stats.record(service, operation, caller.accountId, undefined, auth.scope.region);
    return codec.encodeOutput(decoded.operation, output ?? undefined, requestId);
  } catch (err) {
    if (err instanceof ServiceError) return fail(err);
    rt.log(`internal error in ${service}${operation ? `:${operation}` : ""}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return fail(wireError(service, "internalFailure"));
  }
}

function safePeek(codec: Codec, req: WireRequest): string | undefined {
  try {
    return codec.peekOperation(req);
  } catch {
    return undefined;
  }
}
