package dev.piecemeal.client.cli;

/**
 * An expected failure of a subcommand: its message becomes the one {@code error: …} line, and its
 * exit code the status. Subcommands throw it with what happened and where (the file, the tracker
 * URL, the peer); {@link ErrorHandler} prints it.
 */
public final class CommandException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CommandException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CommandException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** One of {@link ExitCodes}. */
  public int exitCode() {
    return exitCode;
  }
}
