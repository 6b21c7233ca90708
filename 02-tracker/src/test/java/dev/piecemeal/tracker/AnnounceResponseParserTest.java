package dev.piecemeal.tracker;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.testing.GoldenFiles;
import dev.piecemeal.testing.ProjectRoot;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AnnounceResponseParserTest {
  private static final String TRACKER = "http://127.0.0.1:6969/announce";

  /** Concatenates parts: a String is its ASCII bytes, a byte[] is itself. */
  static byte[] body(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] bytes = part instanceof String text ? text.getBytes(StandardCharsets.US_ASCII) : (byte[]) part;
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static AnnounceResponse parse(Object... parts) throws TrackerException {
    return AnnounceResponseParser.parse(body(parts), TRACKER);
  }

  @Test
  void readsCompactPeersAndTheCounts() throws Exception {
    AnnounceResponse response = parse(
        "d8:completei3e10:incompletei1e8:intervali1800e12:min intervali900e",
        "5:peers12:", hex("7f000001 1ae1", "c0000207 c8d5"),
        "e");
    assertThat(response.interval()).isEqualTo(1800);
    assertThat(response.minInterval()).hasValue(900);
    assertThat(response.seeders()).hasValue(3);
    assertThat(response.leechers()).hasValue(1);
    assertThat(response.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881", "192.0.2.7:51413");
    assertThat(response.warning()).isEmpty();
  }

  @Test
  void readsTheDictionaryFormWithPeerIds() throws Exception {
    AnnounceResponse response = parse(
        "d8:intervali1800e5:peersl",
        "d2:ip9:127.0.0.17:peer id20:-TR3000-abcdefghijkl4:porti6881ee",
        "d2:ip11:2001:db8::14:porti51413ee",
        "ee");
    assertThat(response.peers()).map(PeerAddress::toString)
        .containsExactly("127.0.0.1:6881", "[2001:db8:0:0:0:0:0:1]:51413");
    assertThat(response.peerIds().get(response.peers().get(0)).printablePrefix()).isEqualTo("-TR3000-");
    assertThat(response.peerIds()).hasSize(1);
  }

  @Test
  void readsIpv6PeersFromPeers6() throws Exception {
    AnnounceResponse response = parse(
        "d8:intervali1800e5:peers0:6:peers618:", hex("20010db8000000000000000000000001 1ae1"), "e");
    assertThat(response.peers()).map(PeerAddress::toString).containsExactly("[2001:db8:0:0:0:0:0:1]:6881");
  }

  @Test
  void keepsEachPeerOnceAcrossBothForms() throws Exception {
    AnnounceResponse response = parse(
        "d8:intervali1800e5:peers12:", hex("7f000001 1ae1", "7f000001 1ae1"), "e");
    assertThat(response.peers()).hasSize(1);
  }

  @Test
  void readsAWarningAndATrackerId() throws Exception {
    AnnounceResponse response = parse(
        "d8:intervali1800e5:peers0:10:tracker id3:", hex("00ff41"),
        "15:warning message19:please upgrade soone");
    assertThat(response.warning()).hasValue("please upgrade soon");
    assertThat(response.trackerId().orElseThrow().getBytes(StandardCharsets.ISO_8859_1))
        .as("the tracker id's bytes survive as they came").isEqualTo(hex("00ff41"));
  }

  @Test
  void turnsAFailureReasonIntoAFailureWithTheTrackersWords() {
    assertThatThrownBy(() -> parse("d14:failure reason20:unregistered torrente"))
        .isInstanceOfSatisfying(TrackerFailureException.class,
            e -> assertThat(e.trackerMessage()).isEqualTo("unregistered torrent"))
        .hasMessageContaining("tracker refused the announce: unregistered torrent")
        .hasMessageContaining(TRACKER);
  }

  @Test
  void acceptsKeysOutOfOrderAndATrailingNewlineAsRealTrackersSendThem() throws Exception {
    AnnounceResponse response = parse("d5:peers0:8:intervali60e8:completei1ee\n");
    assertThat(response.interval()).isEqualTo(60);
    assertThat(response.seeders()).hasValue(1);
  }

  @Test
  void acceptsAResponseWithoutPeers() throws Exception {
    assertThat(parse("d8:intervali1800ee").peers()).isEmpty();
  }

  @Nested
  class DroppedPeers {
    @Test
    void dropsADictionaryPeerWithPortZeroOrAHostName() throws Exception {
      AnnounceResponse response = parse(
          "d8:intervali1800e5:peersl",
          "d2:ip9:127.0.0.14:porti0ee",              // port 0
          "d2:ip15:tracker.invalid4:porti6881ee",    // a host name: never looked up
          "d2:ip9:127.0.0.14:porti70000ee",          // port beyond 65535
          "i42e",                                    // not a dictionary
          "d4:porti6881ee",                          // no ip
          "d2:ip9:127.0.0.14:porti6881ee",           // the one good peer
          "ee");
      assertThat(response.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881");
    }
  }

  @Nested
  class Malformed {
    @Test
    void rejectsABodyThatIsNotBencode() {
      assertThatThrownBy(() -> parse("<html><body>502 Bad Gateway</body></html>"))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("response is not bencode")
          .hasMessageContaining("body starts \"<html><body>502 Bad Gateway")
          .hasMessageContaining(TRACKER);
    }

    @Test
    void rejectsABodyCutShortAndSaysWhere() {
      byte[] whole = body("d8:intervali1800e5:peers12:", hex("7f000001 1ae1", "c0000207 c8d5"), "e");
      assertThatThrownBy(() -> AnnounceResponseParser.parse(Arrays.copyOf(whole, 30), TRACKER))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("response is not bencode")
          .hasMessageContaining("offset");
    }

    @Test
    void rejectsAnEmptyBody() {
      assertThatThrownBy(() -> parse(""))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("(empty body)");
    }

    @Test
    void rejectsAListWhereADictionaryBelongs() {
      assertThatThrownBy(() -> parse("li1ee"))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("response is a list, expected a dictionary");
    }

    @Test
    void rejectsAResponseWithoutInterval() {
      assertThatThrownBy(() -> parse("d5:peers0:e"))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("response has no 'interval'");
    }

    @Test
    void rejectsANegativeInterval() {
      assertThatThrownBy(() -> parse("d8:intervali-5ee"))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("'interval' is -5, expected 1..2147483647");
    }

    @Test
    void rejectsAnIntervalThatIsAString() {
      assertThatThrownBy(() -> parse("d8:interval4:1800e"))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("'interval' is a string, expected an integer");
    }

    @Test
    void rejectsCompactPeersWhoseLengthIsNotAMultipleOfSix() {
      assertThatThrownBy(() -> parse("d8:intervali1800e5:peers7:", hex("7f000001 1ae1 00"), "e"))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("'peers' is 7 bytes, not a multiple of 6");
    }

    @Test
    void rejectsPeersThatAreAnInteger() {
      assertThatThrownBy(() -> parse("d8:intervali1800e5:peersi3ee"))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("'peers' is an integer, expected a string or a list");
    }
  }

  /**
   * A response captured from a real opentracker (see opentracker-announce-response.md), dumped and
   * decoded into a readable golden file; {@code -Dgolden.update=true} rewrites that file.
   */
  @Test
  void readsARealOpentrackerResponse() throws Exception {
    byte[] captured;
    try (InputStream in = getClass().getResourceAsStream("opentracker-announce-response.bin")) {
      captured = in.readAllBytes();
    }
    AnnounceResponse response = AnnounceResponseParser.parse(captured, TRACKER);

    StringBuilder text = new StringBuilder();
    text.append(GoldenFiles.hexDump(captured, captured.length)).append('\n');
    text.append("interval: ").append(response.interval()).append(" s\n");
    text.append("min interval: ").append(response.minInterval().orElseThrow()).append(" s\n");
    text.append("seeders (complete): ").append(response.seeders().orElseThrow()).append('\n');
    text.append("leechers (incomplete): ").append(response.leechers().orElseThrow()).append('\n');
    text.append("peers: ").append(response.peers().size()).append('\n');
    response.peers().forEach(peer -> text.append("  ").append(peer).append('\n'));
    GoldenFiles.check(
        ProjectRoot.resolve("02-tracker/src/test/resources/dev/piecemeal/tracker/opentracker-announce-response.expected.txt"),
        text.toString());
  }
}
