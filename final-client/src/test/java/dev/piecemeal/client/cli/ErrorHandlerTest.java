package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.BencodeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ErrorHandlerTest {
  private final StringWriter err = new StringWriter();
  private final CommandLine command = Main.commandLine().setErr(new PrintWriter(err, true));
  private final ErrorHandler handler = new ErrorHandler();

  private int handle(Exception e) {
    return handler.handleExecutionException(e, command, null);
  }

  @Test
  void aCommandExceptionKeepsItsStatus() {
    assertThat(handle(new CommandException(ExitCodes.FAILED, "no tracker answered"))).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).isEqualTo("error: no tracker answered" + System.lineSeparator());
  }

  @Test
  void malformedBencodeIsBadInput() {
    assertThat(handle(new BencodeException("integer with a leading zero", 5))).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("error: integer with a leading zero at offset 5");
  }

  @Test
  void anotherCheckedExceptionIsAFailedRunInOneLine() {
    assertThat(handle(new ConnectException("connection refused: 127.0.0.1:6881"))).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).isEqualTo("error: connection refused: 127.0.0.1:6881" + System.lineSeparator());
    assertThat(handle(new IOException())).isEqualTo(ExitCodes.FAILED);
  }

  /** A tracker's words reach the error line: its escape sequence and newline are shown, not obeyed. */
  @Test
  void controlCharactersInAnErrorAreShownOnOneLine() {
    handle(new CommandException(ExitCodes.FAILED, "tracker said \u001b[31mred\nsecond line"));
    assertThat(err.toString())
        .isEqualTo("error: tracker said \\x1b[31mred\\nsecond line" + System.lineSeparator());
  }

  @Test
  void interruptedIs130() {
    assertThat(handle(new InterruptedException())).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(err.toString()).startsWith("error: interrupted");
  }

  /** A bug is the one case with a stack trace: the report needs it. */
  @Test
  void anUncheckedExceptionIsABugAndSaysSo() {
    assertThat(handle(new IllegalStateException("oops"))).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString())
        .startsWith("error: internal error (a bug in piecemeal, please report it): java.lang.IllegalStateException: oops")
        .contains("\tat ");
  }
}
