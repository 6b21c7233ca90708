package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.client.magnet.MetadataFetch;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private static final long MIB = 1024 * 1024;
  private final Progress.Snapshot half =
      new Progress.Snapshot(3 * MIB / 2, 3 * MIB, 24, 48, 512 * 1024, 6, 4, Duration.ofSeconds(3), 0, 0, 0, 0);

  @Test
  void showsBarPercentBytesRatePeersAndEta() {
    assertThat(StatusLine.render(half, true)).isEqualTo(
        "[##########----------]   50.0%  1.5 MiB of 3.0 MiB  512.0 KiB/s  peers 6 (4 unchoking)  ETA 0:03");
  }

  @Test
  void endsWithTheDhtsNodesAndPeersWhenTheDhtIsOn() {
    StringWriter text = new StringWriter();
    StatusLine line = new StatusLine(new PrintWriter(text), false);

    line.show(half, Optional.of(new DhtStatus(37, 2)));
    line.show(half, Optional.of(new DhtStatus(1, 1)));
    line.show(half, Optional.empty());

    assertThat(text.toString().lines()).containsExactly(
        " 50.0%  1.5 MiB of 3.0 MiB  512.0 KiB/s  peers 6 (4 unchoking)  ETA 0:03  dht 37 nodes, 2 peers",
        " 50.0%  1.5 MiB of 3.0 MiB  512.0 KiB/s  peers 6 (4 unchoking)  ETA 0:03  dht 1 node, 1 peer",
        " 50.0%  1.5 MiB of 3.0 MiB  512.0 KiB/s  peers 6 (4 unchoking)  ETA 0:03");
  }

  @Test
  void saysNothingOfTheEtaWhileNothingArrives() {
    Progress.Snapshot stalled = new Progress.Snapshot(0, 3 * MIB, 0, 48, 0, 1, 0, Duration.ofSeconds(9), 0, 0, 0, 0);
    assertThat(StatusLine.render(stalled, false))
        .isEqualTo("  0.0%  0 B of 3.0 MiB  0 B/s  peers 1 (0 unchoking)  ETA --:--");
  }

  @Test
  void showsPeersAndMetadataPiecesWhileFetchingAMagnetLinksMetadata() {
    assertThat(StatusLine.renderMetadata(new MetadataFetch.Status(3, 2, 2, 1, 3)))
        .isEqualTo("fetching metadata  peers 3 (2 offer it, 2 asked)  pieces 1 of 3");
  }

  @Test
  void endsTheMetadataPhasesLineWithTheDhtsNodesAndPeersWhenTheDhtIsOn() {
    StringWriter text = new StringWriter();
    StatusLine line = new StatusLine(new PrintWriter(text), false);

    line.showMetadata(new MetadataFetch.Status(1, 1, 1, 0, 1), Optional.of(new DhtStatus(2, 1)));
    line.showMetadata(new MetadataFetch.Status(1, 1, 1, 0, 1), Optional.empty());

    assertThat(text.toString().lines()).containsExactly(
        "fetching metadata  peers 1 (1 offer it, 1 asked)  pieces 0 of 1  dht 2 nodes, 1 peer",
        "fetching metadata  peers 1 (1 offer it, 1 asked)  pieces 0 of 1");
  }

  @Test
  void showsAQuestionMarkForMetadataPiecesUntilAPeerSaysTheSize() {
    assertThat(StatusLine.renderMetadata(new MetadataFetch.Status(1, 0, 0, 0, 0)))
        .isEqualTo("fetching metadata  peers 1 (0 offer it, 0 asked)  pieces ?");
  }

  @Test
  void showsPeersInterestedUnchokedUploadRateUploadedAndRatioWhileSeeding() {
    Progress.Snapshot seeding = new Progress.Snapshot(3 * MIB, 3 * MIB, 48, 48, 0, 6, 0, Duration.ofMinutes(5),
        45 * MIB, 2.1 * MIB, 3, 2);
    assertThat(StatusLine.renderSeeding(seeding))
        .isEqualTo("seeding  peers 6 (3 interested, 2 unchoked)  up 2.1 MiB/s  uploaded 45.0 MiB  ratio 15.00");
  }

  @Test
  void redrawsTheSeedingLineInPlaceOnATerminalAndPrintsItPlainElsewhere() {
    Progress.Snapshot seeding = new Progress.Snapshot(3 * MIB, 3 * MIB, 48, 48, 0, 1, 0, Duration.ofMinutes(1),
        MIB, 0, 1, 1);
    StringWriter terminal = new StringWriter();
    new StatusLine(new PrintWriter(terminal), true).showSeeding(seeding);
    StringWriter plain = new StringWriter();
    new StatusLine(new PrintWriter(plain), false).showSeeding(seeding);
    assertThat(terminal.toString()).isEqualTo("\r" + StatusLine.renderSeeding(seeding) + "\u001b[K");
    assertThat(plain.toString()).isEqualTo(StatusLine.renderSeeding(seeding) + System.lineSeparator());
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

  @Nested
  class StrangersText {
    private final StringWriter out = new StringWriter();

    private String logged(boolean terminal, String line) {
      new StatusLine(new PrintWriter(out), terminal).log(line);
      return out.toString();
    }

    /** ESC [2J would clear the screen, ESC ]0;… BEL retitle the window: both become visible text. */
    @Test
    void showsATrackersEscapeSequencesInsteadOfObeyingThem() {
      String failure = "tracker udp://127.0.0.1:6969 failed: \u001b[2J\u001b]0;pwned\u0007gone";
      assertThat(logged(false, failure))
          .isEqualTo("tracker udp://127.0.0.1:6969 failed: \\x1b[2J\\x1b]0;pwned\\x07gone" + System.lineSeparator())
          .doesNotContain("\u001b", "\u0007");
    }

    @Test
    void keepsALogLineOnOneLine() {
      assertThat(logged(false, "failure reason: ok\r\nbanned 10.0.0.1:6881\tand more"))
          .isEqualTo("failure reason: ok\\r\\nbanned 10.0.0.1:6881\\tand more" + System.lineSeparator());
    }

    @Test
    void showsOtherC0ControlsC1ControlsAndDeleteAsHex() {
      assertThat(logged(false, "a\u0000b\u0008c\u007fd\u0085e\u009b31mf"))
          .isEqualTo("a\\x00b\\x08c\\x7fd\\x85e\\x9b31mf" + System.lineSeparator());
    }

    @Test
    void keepsOtherUnicodeAsItIs() {
      String name = "downloading ペンギンの本 (第2版) — café 🐧.iso, 3.0 MiB in 12 pieces";
      assertThat(logged(false, name)).isEqualTo(name + System.lineSeparator());
    }

    /** On a terminal the only control characters are the status line's own: CR, ESC [K, and the line's end. */
    @Test
    void escapesOnATerminalTooAndKeepsItsOwnRedraw() {
      StatusLine line = new StatusLine(new PrintWriter(out), true);
      line.show(half);
      line.log("downloading \u001b[1mbold\r.iso");
      assertThat(out.toString())
          .endsWith("\u001b[K\r\u001b[Kdownloading \\x1b[1mbold\\r.iso" + System.lineSeparator());
    }
  }

  @Test
  void writesLongEtasWithHours() {
    assertThat(StatusLine.clock(Duration.ofSeconds(2 * 3600 + 5 * 60))).isEqualTo("2:05:00");
    assertThat(StatusLine.clock(Duration.ofSeconds(750))).isEqualTo("12:30");
  }
}
