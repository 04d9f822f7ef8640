// For the SCP reader's and writer's unit tests: an in-memory stand-in for the Organizations client (policies,
// their targets and tags, the root's policy types) that records every call and can fail chosen ones, and the
// Write a writer gets from apply.
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { ResourceChange } from "../../core/plan-types.js";
import type { EngineEvent } from "../../core/events.js";
import type { ClientPool } from "./clients.js";
import { Write } from "./write-context.js";

export interface FakePolicy {
  id: string;
  name: string;
  description: string;
  content: string;
  awsManaged: boolean;
  tags: Record<string, string>;
  targets: string[];
}

export function awsError(name: string, message = name, reason?: string): Error {
  return Object.assign(new Error(message), { name, ...(reason ? { Reason: reason } : {}) });
}

type Input = Record<string, unknown>;

export class FakeOrganizations {
  readonly calls: Array<{ op: string; input: Input }> = [];
  readonly policies = new Map<string, FakePolicy>();
  /** Errors the next calls of an operation throw, in order (before doing anything). */
  readonly failures = new Map<string, Error[]>();
  /** Policy ids the next ListPolicies leaves out (a policy created by a request whose answer was lost). */
  readonly hiddenOnce = new Set<string>();
  scpStatus: "ENABLED" | "PENDING_ENABLE" | undefined = "ENABLED";
  rootId = "r-a1b2";
  private next = 1;

  constructor(withFullAwsAccess = true, targets: string[] = ["r-a1b2"]) {
    if (withFullAwsAccess) {
      this.policies.set("p-FullAWSAccess", {
        id: "p-FullAWSAccess", name: "FullAWSAccess", description: "Allows access to every operation", awsManaged: true, tags: {}, targets: [...targets],
        content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      });
    }
  }

  add(p: Omit<FakePolicy, "id" | "awsManaged"> & { id?: string }): FakePolicy {
    const policy = { awsManaged: false, ...p, id: p.id ?? `p-fake${this.next++}` };
    this.policies.set(policy.id, policy);
    return policy;
  }

  fail(op: string, ...errors: Error[]): void {
    this.failures.set(op, [...(this.failures.get(op) ?? []), ...errors]);
  }

  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  client(): OrganizationsClient {
    return { send: (command: { constructor: { name: string }; input: Input }) => this.send(command) } as unknown as OrganizationsClient;
  }

  private policy(id: unknown): FakePolicy {
    const p = this.policies.get(String(id));
    if (!p) throw awsError("PolicyNotFoundException");
    return p;
  }

  private async send(command: { constructor: { name: string }; input: Input }): Promise<unknown> {
    const op = command.constructor.name.replace(/Command$/, "");
    const input = command.input;
    this.calls.push({ op, input });
    const failure = this.failures.get(op)?.shift();
    if (failure) throw failure;
    const summary = (p: FakePolicy) => ({ Id: p.id, Name: p.name, Description: p.description, AwsManaged: p.awsManaged, Type: "SERVICE_CONTROL_POLICY" });
    switch (op) {
      case "ListRoots":
        return { Roots: [{ Id: this.rootId, Name: "Root", PolicyTypes: this.scpStatus ? [{ Type: "SERVICE_CONTROL_POLICY", Status: this.scpStatus }] : [] }] };
      case "EnablePolicyType":
        if (this.scpStatus) throw awsError("PolicyTypeAlreadyEnabledException");
        this.scpStatus = "PENDING_ENABLE";
        return {};
      case "ListPolicies": {
        const listed = [...this.policies.values()].filter((p) => !this.hiddenOnce.has(p.id));
        this.hiddenOnce.clear();
        return { Policies: listed.map(summary) };
      }
      case "DescribePolicy": {
        const p = this.policy(input.PolicyId);
        return { Policy: { PolicySummary: summary(p), Content: p.content } };
      }
      case "ListTargetsForPolicy":
        return { Targets: this.policy(input.PolicyId).targets.map((TargetId) => ({ TargetId })) };
      case "ListTagsForResource": {
        const p = this.policies.get(String(input.ResourceId));
        if (!p) throw awsError("TargetNotFoundException");
        return { Tags: Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })) };
      }
      case "CreatePolicy": {
        if ([...this.policies.values()].some((p) => p.name === input.Name)) throw awsError("DuplicatePolicyException");
        const tags = Object.fromEntries((input.Tags as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
        const p = this.add({ name: String(input.Name), description: String(input.Description), content: String(input.Content), tags, targets: [] });
        return { Policy: { PolicySummary: summary(p), Content: p.content } };
      }
      case "UpdatePolicy": {
        const p = this.policy(input.PolicyId);
        if (input.Name !== undefined) p.name = String(input.Name);
        if (input.Description !== undefined) p.description = String(input.Description);
        if (input.Content !== undefined) p.content = String(input.Content);
        return { Policy: { PolicySummary: summary(p), Content: p.content } };
      }
      case "DeletePolicy": {
        const p = this.policy(input.PolicyId);
        if (p.targets.length > 0) throw awsError("PolicyInUseException");
        this.policies.delete(p.id);
        return {};
      }
      case "AttachPolicy": {
        const p = this.policy(input.PolicyId);
        if (this.scpStatus !== "ENABLED") throw awsError("PolicyTypeNotEnabledException");
        if (p.targets.includes(String(input.TargetId))) throw awsError("DuplicatePolicyAttachmentException");
        p.targets.push(String(input.TargetId));
        return {};
      }
      case "DetachPolicy": {
        const p = this.policy(input.PolicyId);
        if (!p.targets.includes(String(input.TargetId))) throw awsError("PolicyNotAttachedException");
        p.targets = p.targets.filter((t) => t !== input.TargetId);
        return {};
      }
      case "TagResource": {
        const p = this.policy(input.ResourceId);
        for (const t of input.Tags as Array<{ Key: string; Value: string }>) p.tags[t.Key] = t.Value;
        return {};
      }
      case "UntagResource": {
        const p = this.policy(input.ResourceId);
        for (const k of input.TagKeys as string[]) delete p.tags[k];
        return {};
      }
      default:
        throw new Error(`the fake does not know ${op}`);
    }
  }
}

export const MGMT = "111111111111";

/** A Write for one planned guardrail (or policy type) change, against the fake. */
export function fakeWrite(org: FakeOrganizations, change: Partial<ResourceChange> & { address: string; action: ResourceChange["action"] }, stack = "demo"): { w: Write; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  const pool = { organizations: () => org.client(), backup: () => ({}), kms: () => ({}) } as unknown as ClientPool;
  const full: ResourceChange = {
    type: "guardrail", accountId: MGMT, region: "global", before: null, after: null, changes: [], dependsOn: [], ...change,
  };
  const w = new Write(pool, full, { stack, resolve: () => undefined, notify: (e) => events.push(e), sleep: async () => undefined });
  return { w, events };
}
