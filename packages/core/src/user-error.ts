/**
 * Errors a user can act on — a bad option, a missing or invalid file, a git problem — as opposed to bugs. The
 * message is one line naming the option or file: the CLI prints it as it is and exits 2, while any other error
 * is printed as `error: …`. Its own entry point (`@statalog/core/user-error`), so that the CLI can tell the two
 * apart without loading the engine at start-up.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** A config, baseline or report file that is missing, unreadable, invalid or refused; `file` is the name shown. */
export class UserFileError extends UserError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'UserFileError';
  }
}
