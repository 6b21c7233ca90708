package dev.piecemeal.handshake;

import static dev.piecemeal.handshake.HandshakeTest.HANDSHAKE;
import static dev.piecemeal.handshake.HandshakeTest.INFO_HASH;
import static dev.piecemeal.handshake.HandshakeTest.WIRE;
import static dev.piecemeal.handshake.HandshakeTest.concat;
import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.testing.OneByteAtATimeInputStream;
import dev.piecemeal.tracker.PeerId;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Both sides of the handshake over in-memory streams: the peer's bytes in, ours out. */
class HandshakerTest {
  private static final String PEER = "192.0.2.7:51413";
  private static final PeerId OUR_ID = PeerId.random();
  private static final InfoHash OTHER_TORRENT = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");

  private final Handshaker handshaker = new Handshaker(OUR_ID, Extensions.none());
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

  private byte[] ourHandshakeFor(InfoHash infoHash) {
    return new Handshake(Extensions.none(), infoHash, OUR_ID).encode();
  }

  @Nested
  class Initiating {
    @Test
    void sendsOursAndReturnsTheirs() throws Exception {
      Handshake theirs = handshaker.initiate(new OneByteAtATimeInputStream(WIRE), sent, PEER, INFO_HASH);
      assertThat(sent.toByteArray()).containsExactly(ourHandshakeFor(INFO_HASH));
      assertThat(theirs).isEqualTo(HANDSHAKE);
    }

    @Test
    void leavesTheFirstMessageForTheMessageReader() throws Exception {
      byte[] unchoke = hex("00000001", "01");
      OneByteAtATimeInputStream in = new OneByteAtATimeInputStream(concat(WIRE, unchoke));
      handshaker.initiate(in, sent, PEER, INFO_HASH);
      assertThat(in.readAllBytes()).containsExactly(unchoke);
    }

    @Test
    void rejectsAnAnswerForAnotherTorrent() {
      assertThatThrownBy(() -> handshaker.initiate(new OneByteAtATimeInputStream(WIRE), sent, PEER, OTHER_TORRENT))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "peer answered for info hash d8f739cec3286f27fd34ef8e4bb3dc01cd1fb16f, not the one we asked for"
                  + " (0123456789abcdef0123456789abcdef01234567) (peer 192.0.2.7:51413)");
    }

    @Test
    void rejectsOurOwnPeerId() {
      byte[] echo = ourHandshakeFor(INFO_HASH); // what we hear when we dial our own listening port
      assertThatThrownBy(() -> handshaker.initiate(new OneByteAtATimeInputStream(echo), sent, PEER, INFO_HASH))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("connected to ourselves: the peer's id " + OUR_ID.printable().substring(0, 8))
          .hasMessageEndingWith(" is our own (peer 192.0.2.7:51413)");
    }

    @Test
    void rejectsAWrongProtocolName() {
      byte[] wrong = WIRE.clone();
      wrong[1] = 'b'; // "bitTorrent protocol"
      assertThatThrownBy(() -> handshaker.initiate(new OneByteAtATimeInputStream(wrong), sent, PEER, INFO_HASH))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("protocol name is \"bitTorrent protocol\", not \"BitTorrent protocol\" (peer 192.0.2.7:51413)");
    }

    @Test
    void rejectsAnAnswerCutShortAndSaysHowFarItGot() {
      byte[] cut = Arrays.copyOf(WIRE, 30);
      assertThatThrownBy(() -> handshaker.initiate(new OneByteAtATimeInputStream(cut), sent, PEER, INFO_HASH))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("connection closed after 30 of 68 handshake bytes (peer 192.0.2.7:51413)");
    }
  }

  @Nested
  class Responding {
    @Test
    void readsTheirsThenAnswersWithTheSameInfoHash() throws Exception {
      Handshake theirs = handshaker.respond(new OneByteAtATimeInputStream(WIRE), sent, PEER, INFO_HASH::equals);
      assertThat(theirs).isEqualTo(HANDSHAKE);
      assertThat(sent.toByteArray()).containsExactly(ourHandshakeFor(INFO_HASH));
    }

    @Test
    void hangsUpWithoutAWordOnATorrentWeDoNotServe() {
      assertThatThrownBy(
              () -> handshaker.respond(new OneByteAtATimeInputStream(WIRE), sent, PEER, OTHER_TORRENT::equals))
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "peer asked for info hash d8f739cec3286f27fd34ef8e4bb3dc01cd1fb16f, which we do not serve"
                  + " (peer 192.0.2.7:51413)");
      assertThat(sent.toByteArray()).as("nothing sent").isEmpty();
    }

    @Test
    void refusesOurselvesWithoutAnswering() {
      byte[] ours = ourHandshakeFor(INFO_HASH);
      assertThatThrownBy(() -> handshaker.respond(new OneByteAtATimeInputStream(ours), sent, PEER, INFO_HASH::equals))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("connected to ourselves");
      assertThat(sent.toByteArray()).isEmpty();
    }

    @Test
    void rejectsAHandshakeCutShort() {
      byte[] cut = Arrays.copyOf(WIRE, 30);
      assertThatThrownBy(() -> handshaker.respond(new OneByteAtATimeInputStream(cut), sent, PEER, INFO_HASH::equals))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("connection closed after 30 of 68 handshake bytes (peer 192.0.2.7:51413)");
      assertThat(sent.toByteArray()).isEmpty();
    }

    @Test
    void advertisesOnlyTheExtensionsItWasGiven() throws Exception {
      Handshaker withFast = new Handshaker(OUR_ID, Extensions.of(Extension.FAST));
      withFast.respond(new OneByteAtATimeInputStream(WIRE), sent, PEER, INFO_HASH::equals);
      assertThat(Arrays.copyOfRange(sent.toByteArray(), 20, 28)).containsExactly(hex("00 00 00 00 00 00 00 04"));
    }
  }
}
