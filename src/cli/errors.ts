// Error kinds the CLI tells apart: a UserError is something the user can fix (printed without a stack);
// anything else is an internal error (printed as such, stack only with --debug).

export class UserError extends Error {
  /** What to do about it. */
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, hint?: string, exitCode = 1) {
    super(message);
    this.name = "UserError";
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/**
 * Why a file operation failed, in words (a user fixes permissions, not errno codes). `missing` words ENOENT for
 * the operation: a file to read that is not there, or a directory to write into.
 */
export function fileErrorReason(e: unknown, missing = "it does not exist"): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case "ENOENT": return missing;
    case "EACCES":
    case "EPERM": return "permission denied";
    case "EROFS": return "read-only file system";
    case "EISDIR": return "it is a directory";
    case "ENOTDIR":
    case "EEXIST": return "a file is in the way";
    case "ENOSPC": return "no space left on the device";
    default: return err?.message ?? String(e);
  }
}

export function reportError(err: unknown, debug: boolean, write: (s: string) => void): number {
  if (err instanceof UserError) {
    write(`Error: ${err.message}\n`);
    if (err.hint) write(`  ${err.hint}\n`);
    if (debug && err.stack) write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  write(`Internal error: ${message}\n`);
  write(debug && err instanceof Error && err.stack
    ? `${err.stack}\n`
    : "  This is a bug in crossvault, not in your configuration. Run again with --debug for the stack trace and report it.\n");
  return 1;
}
