package dev.piecemeal.client.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code piecemeal} in-process, as a test would type it, capturing stdout, stderr and the
 * exit status: {@code CliRunner.run("info", "samples/piecemeal-sample.torrent")}.
 */
final class CliRunner {
  private CliRunner() {}

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {
    /** The lines written to stderr. */
    List<String> errLines() {
      return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }
}
