// The sts service (awsQuery): AssumeRole and GetCallerIdentity. The identity helpers the protocol layer needs
// (who is behind an access key) are re-exported here.
import type { OperationContext, OperationHandler, ServiceImpl } from "../../service.js";
import { ServiceError } from "../../service.js";
import { assumeRole } from "./assume-role.js";
import { roleNameOf, roleUniqueId } from "./identity.js";

export { assumedRoleArn, callerForAccessKey, issuedCredential, roleUniqueId, rolesOf } from "./identity.js";

/** A request signed with expired temporary credentials fails before the operation runs [M]. */
function rejectExpired(ctx: OperationContext): void {
  const issued = ctx.world.identity.issued[ctx.caller.accessKeyId];
  if (issued && issued.expiresAt <= ctx.now) throw new ServiceError("ExpiredTokenException", "The security token included in the request is expired", 400);
}

const getCallerIdentity: OperationHandler = (ctx) => {
  rejectExpired(ctx);
  const issued = ctx.world.identity.issued[ctx.caller.accessKeyId];
  // Root user: the account id; assumed role: the role's unique id and the session name [D].
  const userId = issued ? `${roleUniqueId(issued.accountId, roleNameOf(issued.roleArn))}:${issued.sessionName}` : ctx.caller.accountId;
  return { UserId: userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn };
};

export const stsService: ServiceImpl = {
  service: "sts",
  operations: {
    AssumeRole: (ctx, input) => {
      rejectExpired(ctx);
      return assumeRole(ctx, input);
    },
    GetCallerIdentity: getCallerIdentity,
  },
};
