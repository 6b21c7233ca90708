package dev.piecemeal.tracker.server;

import static dev.piecemeal.testing.Hex.hex;
import static dev.piecemeal.tracker.server.TestAnnounces.peerId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.tracker.AnnounceResponse;
import dev.piecemeal.tracker.AnnounceResponseParser;
import dev.piecemeal.tracker.PeerAddress;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnounceResponseWriterTest {
  private static final TrackerSettings SETTINGS = TrackerSettings.defaults();
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** Text and bytes, concatenated: bencode is mostly ASCII with some raw bytes inside. */
  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      out.writeBytes(part instanceof byte[] raw ? raw : part.toString().getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  private static TrackedPeer peer(String ip, int port, int n) throws Exception {
    return new TrackedPeer(PeerAddress.of(ip, port), peerId(n), 0, NOW);
  }

  @Test
  void writesCompactPeersSixBytesEach() throws Exception {
    TrackedTorrents.Answer answer = new TrackedTorrents.Answer(1, 2,
        List.of(peer("127.0.0.1", 6881, 1), peer("192.0.2.7", 51413, 2)));

    assertThat(AnnounceResponseWriter.answer(answer, SETTINGS, true)).isEqualTo(bytes(
        "d",
        "8:completei1e",
        "10:incompletei2e",
        "8:intervali1800e",
        "12:min intervali900e",
        "5:peers12:", hex(
            "7f000001 1ae1",    // 127.0.0.1:6881
            "c0000207 c8d5"),   // 192.0.2.7:51413
        "e"));
  }

  @Test
  void writesIpv6PeersInPeers6EighteenBytesEach() throws Exception {
    TrackedTorrents.Answer answer = new TrackedTorrents.Answer(0, 2,
        List.of(peer("127.0.0.1", 6881, 1), peer("2001:db8::1", 6881, 2)));

    assertThat(AnnounceResponseWriter.answer(answer, SETTINGS, true)).isEqualTo(bytes(
        "d8:completei0e10:incompletei2e8:intervali1800e12:min intervali900e",
        "5:peers6:", hex("7f000001 1ae1"),
        "6:peers618:", hex("20010db8 00000000 00000000 00000001 1ae1"),
        "e"));
  }

  @Test
  void writesNoPeersAsAnEmptyString() {
    TrackedTorrents.Answer answer = new TrackedTorrents.Answer(1, 0, List.of());

    assertThat(new String(AnnounceResponseWriter.answer(answer, SETTINGS, true), StandardCharsets.US_ASCII))
        .isEqualTo("d8:completei1e10:incompletei0e8:intervali1800e12:min intervali900e5:peers0:e");
  }

  @Test
  void writesTheDictionaryFormWithIpPeerIdAndPortWhenNotCompact() throws Exception {
    TrackedTorrents.Answer answer = new TrackedTorrents.Answer(1, 0, List.of(peer("127.0.0.1", 6881, 1)));

    assertThat(AnnounceResponseWriter.answer(answer, SETTINGS, false)).isEqualTo(bytes(
        "d8:completei1e10:incompletei0e8:intervali1800e12:min intervali900e",
        "5:peersl",
        "d",
        "2:ip9:127.0.0.1",
        "7:peer id20:", hex("2d504d303130302d 0000000000000000000000 01"),
        "4:porti6881e",
        "e",
        "e",
        "e"));
  }

  @Test
  void writesTheConfiguredIntervalAndHalfOfItAsMinInterval() {
    byte[] body = AnnounceResponseWriter.answer(
        new TrackedTorrents.Answer(0, 0, List.of()), SETTINGS.withInterval(5), true);

    assertThat(new String(body, StandardCharsets.US_ASCII)).contains("8:intervali5e12:min intervali2e");
  }

  @Test
  void writesARefusalAsAFailureReasonAlone() {
    assertThat(new String(AnnounceResponseWriter.failure("missing parameter port"), StandardCharsets.US_ASCII))
        .isEqualTo("d14:failure reason22:missing parameter porte");
  }

  @Test
  void writesWhatTheClientsParserReadsBack() throws Exception {
    TrackedTorrents.Answer answer = new TrackedTorrents.Answer(3, 4,
        List.of(peer("127.0.0.1", 6881, 1), peer("::1", 6882, 2)));

    for (boolean compact : new boolean[] {true, false}) {
      AnnounceResponse read = AnnounceResponseParser.parse(
          AnnounceResponseWriter.answer(answer, SETTINGS, compact), "http://127.0.0.1/announce");

      assertThat(read.interval()).isEqualTo(1800);
      assertThat(read.minInterval()).hasValue(900);
      assertThat(read.seeders()).hasValue(3);
      assertThat(read.leechers()).hasValue(4);
      assertThat(read.peers()).as("compact=%s", compact).map(PeerAddress::toString)
          .containsExactlyInAnyOrder("127.0.0.1:6881", "[0:0:0:0:0:0:0:1]:6882");
      assertThat(read.peerIds()).as("compact=%s", compact).hasSize(compact ? 0 : 2);
    }
  }
}
