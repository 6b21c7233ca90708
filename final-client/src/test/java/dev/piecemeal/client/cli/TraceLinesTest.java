package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The {@code --trace} line of {@code peers} and {@code download}: address, arrow, chapter 5's message line. */
class TraceLinesTest {
  private static final PeerAddress PEER = PeerAddress.parse("127.0.0.1:51413");

  private final List<String> printed = new ArrayList<>();
  private final TraceLines trace = new TraceLines(9, printed::add);

  @Test
  void printsTheAddressTheArrowAndTheMessage() {
    trace.message(PEER, true, new Message.Request(new BlockRequest(3, 16384, 16384)));
    trace.message(PEER, false, new Message.Have(7));
    trace.message(PEER, false, new Message.Bitfield(Bitfield.full(9).toBytes()));

    assertThat(printed).containsExactly(
        "127.0.0.1:51413 -> request piece 3 begin 16384 length 16384",
        "127.0.0.1:51413 <- have piece 7",
        "127.0.0.1:51413 <- bitfield 9/9 pieces");
  }

  @Test
  void aHandshakeShowsTheInfoHashThePeerIdItsClientAndTheExtensions() {
    PeerId id = PeerId.fromBytes("-TR3000-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
    InfoHash hash = InfoHash.fromBytes(new byte[20]);

    trace.handshake(PEER, false, new Handshake(Extensions.of(Extension.FAST), hash, id));

    assertThat(printed).containsExactly("127.0.0.1:51413 <- handshake info hash " + hash.hex()
        + "  peer id -TR3000-abcdefghijkl (Transmission 3.00)  extensions BEP6-fast");
  }

  @Nested
  class ExtensionHandshakeText {

    @Test
    void showsKeysInTheOrderSentTextQuotedAndShortBinaryInHex() throws Exception {
      byte[] payload = ("d1:md11:ut_metadatai3ee1:pi51413e4:reqqi512e1:v17:Transmission 3.00"
          + "6:yourip4:\u007f\u0000\u0000\u0001e").getBytes(StandardCharsets.ISO_8859_1);

      assertThat(TraceLines.extensionHandshakeText(new Message.Extended(0, payload)))
          .isEqualTo(" {m: {ut_metadata: 3}, p: 51413, reqq: 512, v: \"Transmission 3.00\", yourip: <4 bytes 7f000001>}");
    }

    @Test
    void aPayloadThatIsNotBencodedSaysSo() {
      assertThat(TraceLines.extensionHandshakeText(new Message.Extended(0, "d1:m".getBytes(StandardCharsets.US_ASCII))))
          .startsWith(" (not bencoded: ");
    }

    @Test
    void onlyTheHandshakeIsDecoded() {
      assertThat(TraceLines.extensionHandshakeText(new Message.Extended(3, "de".getBytes(StandardCharsets.US_ASCII))))
          .isEmpty();
      assertThat(TraceLines.extensionHandshakeText(new Message.Interested())).isEmpty();
    }

    @Test
    void endsTheMessageLineOfAnExtensionHandshake() {
      trace.message(PEER, false, new Message.Extended(0, "d1:v3:abce".getBytes(StandardCharsets.US_ASCII)));

      assertThat(printed).containsExactly("127.0.0.1:51413 <- extended id 0 (handshake), 10 bytes {v: \"abc\"}");
    }
  }
}
