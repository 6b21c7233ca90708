package dev.piecemeal.client.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs {@code piecemeal} in-process, as a test would type it, capturing stdout, stderr and the
 * exit status: {@code CliRunner.run("info", "samples/piecemeal-sample.torrent")}; or {@link
 * #start}s it on a thread of its own, for a command that must be talked to while it runs (a
 * seeder, a download that seeds).
 */
final class CliRunner {
  private CliRunner() {}

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {
    /** The lines written to stderr. */
    List<String> errLines() {
      return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }

    /** The last line written to stdout. */
    String lastLine() {
      return out.lines().reduce((a, b) -> b).orElse("");
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = commandLine(out, err).execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  /** Starts {@code piecemeal args} on a thread of its own. */
  static Running start(String... args) {
    return new Running(args);
  }

  /** A command running on its own thread: what it printed so far, and its result once it ends. */
  static final class Running {
    // StringWriter is a StringBuffer inside: safe to read while the command writes.
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    private Running(String[] args) {
      Thread thread = new Thread(() -> {
        try {
          exitCode.complete(commandLine(out, err).execute(args));
        } catch (Throwable t) {
          exitCode.completeExceptionally(t);
        }
      }, "test-piecemeal-" + args[0]);
      thread.setDaemon(true);
      thread.start();
    }

    /** Waits until stdout has a line matching {@code regex} and returns its first group. */
    String awaitOut(String regex, Duration timeout) throws InterruptedException {
      Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Matcher m = pattern.matcher(out.toString());
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : m.group();
        }
        if (exitCode.isDone()) {
          break;
        }
        Thread.sleep(20); // a poll of captured text, which has no way to signal
      }
      throw new AssertionError("no line matching " + regex + " within " + timeout + "; out:\n" + out + "\nerr:\n" + err);
    }

    /** Waits for the command to end. */
    Result await(Duration timeout) throws Exception {
      int code = exitCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(code, out.toString(), err.toString());
    }
  }

  private static CommandLine commandLine(StringWriter out, StringWriter err) {
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command;
  }
}
