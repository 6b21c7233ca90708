package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private static final long MIB = 1024 * 1024;
  private final Progress.Snapshot half =
      new Progress.Snapshot(3 * MIB / 2, 3 * MIB, 24, 48, 512 * 1024, 6, 4, Duration.ofSeconds(3));

  @Test
  void showsBarPercentBytesRatePeersAndEta() {
    assertThat(StatusLine.render(half, true)).isEqualTo(
        "[##########----------]   50.0%  1.5 MiB of 3.0 MiB  512.0 KiB/s  peers 6 (4 unchoking)  ETA 0:03");
  }

  @Test
  void saysNothingOfTheEtaWhileNothingArrives() {
    Progress.Snapshot stalled = new Progress.Snapshot(0, 3 * MIB, 0, 48, 0, 1, 0, Duration.ofSeconds(9));
    assertThat(StatusLine.render(stalled, false))
        .isEqualTo("  0.0%  0 B of 3.0 MiB  0 B/s  peers 1 (0 unchoking)  ETA --:--");
  }

  @Test
  void redrawsOneLineOnATerminal() {
    StringWriter out = new StringWriter();
    StatusLine line = new StatusLine(new PrintWriter(out), true);
    line.show(half);
    line.log("tracker answered");
    line.show(half);
    line.finish();
    assertThat(out.toString())
        .startsWith("\r[##########")
        .contains("\u001b[K\r\u001b[Ktracker answered\n\r[##########")
        .endsWith("\u001b[K\n");
  }

  @Test
  void printsPlainLinesWithoutControlCharactersElsewhere() {
    StringWriter out = new StringWriter();
    StatusLine line = new StatusLine(new PrintWriter(out), false);
    line.show(half);
    line.log("tracker answered");
    line.finish();
    assertThat(out.toString()).doesNotContain("\r", "\u001b", "[#")
        .isEqualTo(StatusLine.render(half, false) + System.lineSeparator() + "tracker answered" + System.lineSeparator());
  }

  @Test
  void writesLongEtasWithHours() {
    assertThat(StatusLine.clock(Duration.ofSeconds(2 * 3600 + 5 * 60))).isEqualTo("2:05:00");
    assertThat(StatusLine.clock(Duration.ofSeconds(750))).isEqualTo("12:30");
  }
}
