package dev.piecemeal.client.cli;

/** The exit statuses of {@code piecemeal}, the same for every subcommand. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The run failed although the input was fine: no tracker answered, no peer answered. */
  public static final int FAILED = 1;
  /** The input is wrong: a malformed or unreadable file, a bad argument. Retrying will not help. */
  public static final int BAD_INPUT = 2;
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
