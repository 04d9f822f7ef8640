// Functions that read the live organization, such as accounts_in_ou("ou-..."). Without an organization to
// ask (validate, before refresh) their results are unknown "after refresh"; a for_each over them becomes a
// deferred instance set rather than an error.
import type { FunctionDoc } from "./expr/index.js";
import type { EvalError, FunctionImpl, Value } from "./expr/types.js";
import { OU_ID } from "./rules.js";

export interface OrgQueries {
  /** Ids of the accounts under an OU (recursively); undefined when there is no such OU. */
  accountsInOu(ouId: string): string[] | undefined;
}

export const ORG_FUNCTION_DOCS: FunctionDoc[] = [
  {
    name: "accounts_in_ou",
    signature: "accounts_in_ou(ou_id: string) -> list(string)",
    description: "Ids of the accounts under an organizational unit, read from the live organization; known only after refresh (validate reports a for_each over it as \"known after refresh\").",
  },
];

function error(start: number, end: number, message: string, hint: string): EvalError {
  return { start, end, code: "invalid-argument", message, hint };
}

export function orgFunctions(org: OrgQueries | undefined): Record<string, FunctionImpl> {
  return {
    accounts_in_ou: (args, span) => {
      const [ou] = args;
      if (args.length !== 1 || typeof ou !== "string") {
        return error(span.start, span.end, "accounts_in_ou takes one argument, the OU id", 'For example accounts_in_ou("ou-ab12-cdefgh34").');
      }
      if (!OU_ID.test(ou)) return error(span.start, span.end, `"${ou}" is not an organizational unit id`, "OU ids look like ou-ab12-cdefgh34.");
      if (!org) return { $unknown: "after-refresh", reason: `accounts_in_ou("${ou}") is known after refresh` } satisfies Value;
      const ids = org.accountsInOu(ou);
      if (!ids) return error(span.start, span.end, `the organization has no OU "${ou}"`, "Check the OU id in AWS Organizations.");
      return [...ids];
    },
  };
}
