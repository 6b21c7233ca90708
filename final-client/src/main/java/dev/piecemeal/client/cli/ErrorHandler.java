package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.client.Printable;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become output: every expected failure prints exactly one line,
 * {@code error: <what>, <where>}, to stderr, and picks the exit status:
 *
 * <pre>
 * CommandException          its own status (a subcommand said exactly what went wrong)
 * bad option or argument    2  BAD_INPUT
 * BencodeException          2  BAD_INPUT (a malformed file; MetainfoException is one)
 * InterruptedException      130 INTERRUPTED
 * other checked exceptions  1  FAILED (TrackerException, ProtocolException, IOException, ...)
 * unchecked exceptions      1  FAILED, with the stack trace: that is a bug
 * </pre>
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  /** A bad option or argument: the command line itself is the bad input. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    printError(command, e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
    return ExitCodes.BAD_INPUT;
  }

  /** An exception thrown by a subcommand's {@code call()}. */
  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    if (e instanceof CommandException expected) {
      printError(command, expected.getMessage());
      return expected.exitCode();
    }
    if (e instanceof InterruptedException) {
      printError(command, "interrupted");
      return ExitCodes.INTERRUPTED;
    }
    if (e instanceof BencodeException) {
      printError(command, e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (!(e instanceof RuntimeException)) {
      // A module's checked exception (a tracker that failed, a peer that broke the protocol, an
      // I/O error) carries its own context in its message; the run failed, the input may be fine.
      printError(command, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return ExitCodes.FAILED;
    }
    // An unchecked exception is a bug in Piecemeal: say so, and keep the trace for the report.
    PrintWriter err = command.getErr();
    printError(command, "internal error (a bug in piecemeal, please report it): " + e);
    e.printStackTrace(err);
    err.flush();
    return ExitCodes.FAILED;
  }

  private static void printError(CommandLine command, String message) {
    PrintWriter err = command.getErr();
    // Control characters (a newline in a file name, ESC in a tracker's words) would break the
    // one-line promise, or be obeyed by the terminal.
    err.println("error: " + Printable.oneLine(message));
    err.flush();
  }
}
