// Public face of the policy evaluator, shared by the sandbox (copy-job enforcement) and the copy-route check.

export type {
  AuthzRequest,
  ConditionValues,
  ContextValue,
  LabelledPolicy,
  PolicyDecision,
  PolicyDocument,
  PrincipalBlock,
  ScpLevel,
  Statement,
  StatementRef,
} from "./types.js";
export { parsePolicy, PolicySyntaxError } from "./parse.js";
export { evaluatePolicies, evaluateRequest, evaluateScps, FULL_AWS_ACCESS, type RequestInput } from "./evaluate.js";
