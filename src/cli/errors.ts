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
