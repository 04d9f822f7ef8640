// The contract between the sandbox's protocol layer (HTTP, SigV4 identity, restJson1 / awsJson1_1 / awsQuery
// codecs, model-driven input validation) and the service implementations (backup, kms, organizations, sts).
//
// A handler receives the operation's input already decoded into the Smithy model's member names
// (PascalCase, e.g. `BackupVaultName`; timestamps as Date) and returns the output the same way; the protocol
// layer serialises it as the protocol wants (epoch seconds in JSON, ISO-8601 in XML and query strings).
// A handler fails by throwing ServiceError with the modelled error shape name; the protocol layer turns it
// into the wire shape the SDK needs to raise the typed exception.
import type { World } from "./world.js";

export type ServiceName = "backup" | "kms" | "organizations" | "sts";

/** Who is calling, derived from the SigV4 access key id. */
export interface Caller {
  accessKeyId: string;
  accountId: string;
  /** `arn:aws:iam::ACCOUNT:root` for long-term keys, `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` for STS ones. */
  arn: string;
  /** For assumed roles: `arn:aws:iam::ACCOUNT:role/ROLE` (what policies name as the principal). */
  roleArn?: string;
}

export interface OperationContext {
  caller: Caller;
  /** Region from the SigV4 credential scope. */
  region: string;
  service: ServiceName;
  operation: string;
  requestId: string;
  /** Sandbox time in epoch milliseconds (wall clock + the control API's offset). */
  now: number;
  world: World;
  settings: SandboxSettings;
}

/** The options of a running sandbox that services consult (faults are applied by the protocol layer). */
export interface SandboxSettings {
  /** Eventual consistency of trust, the cross-account setting and key policies, as seen by copy jobs [X2]. */
  consistencyDelayMs: number;
  /** How long (sandbox ms) a backup or copy job spends in CREATED and RUNNING before it ends. */
  jobDurationMs: number;
}

export type OperationHandler = (ctx: OperationContext, input: Record<string, any>) => Record<string, any> | void | Promise<Record<string, any> | void>;

export interface ServiceImpl {
  service: ServiceName;
  operations: Record<string, OperationHandler>;
  /** Called on every sandbox clock tick (and when the control API advances time) to move jobs along. */
  tick?(world: World, now: number, settings: SandboxSettings): void;
}

/**
 * A modelled (or AWS-documented unmodelled) error. `code` is the error shape name (`ResourceNotFoundException`);
 * for awsQuery the protocol layer maps it to the shape's `awsQueryError` code. `fields` are extra members of
 * the error shape (`Reason`, `Arn`, `CreatorRequestId`, ...).
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly fields: Record<string, unknown>;
  constructor(code: string, message: string, httpStatus = 400, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.httpStatus = httpStatus;
    this.fields = fields;
  }
}
