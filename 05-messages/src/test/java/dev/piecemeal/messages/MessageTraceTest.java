package dev.piecemeal.messages;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MessageTraceTest {

  /** A torrent of 12 pieces: a bitfield of 2 bytes, the last 4 bits spare. */
  private final MessageTrace trace = new MessageTrace(12);

  @Nested
  class OneLinePerKind {

    @Test
    void keepAlive() {
      assertThat(trace.describe(new Message.KeepAlive())).isEqualTo("keep-alive");
    }

    @Test
    void theFourStateMessages() {
      assertThat(trace.describe(new Message.Choke())).isEqualTo("choke");
      assertThat(trace.describe(new Message.Unchoke())).isEqualTo("unchoke");
      assertThat(trace.describe(new Message.Interested())).isEqualTo("interested");
      assertThat(trace.describe(new Message.NotInterested())).isEqualTo("not interested");
    }

    @Test
    void have() {
      assertThat(trace.describe(new Message.Have(7))).isEqualTo("have piece 7");
    }

    @Test
    void bitfieldShowsHowManyPiecesItClaims() {
      assertThat(trace.describe(new Message.Bitfield(hex("ff", "f0")))).isEqualTo("bitfield 12/12 pieces");
      assertThat(trace.describe(new Message.Bitfield(hex("81", "10")))).isEqualTo("bitfield 3/12 pieces");
      assertThat(trace.describe(new Message.Bitfield(hex("00", "00")))).isEqualTo("bitfield 0/12 pieces");
    }

    @Test
    void request() {
      assertThat(trace.describe(new Message.Request(new BlockRequest(0, 16384, 16384))))
          .isEqualTo("request piece 0 begin 16384 length 16384");
    }

    @Test
    void pieceShowsItsBlockNotItsBytes() {
      assertThat(trace.describe(Message.Piece.of(3, 0, new byte[16384])))
          .isEqualTo("piece piece 3 begin 0 length 16384");
    }

    @Test
    void cancel() {
      assertThat(trace.describe(new Message.Cancel(new BlockRequest(1, 0, 100))))
          .isEqualTo("cancel piece 1 begin 0 length 100");
    }

    @Test
    void port() {
      assertThat(trace.describe(new Message.Port(6881))).isEqualTo("port 6881");
    }

    @Test
    void theFastExtensionsMessages() {
      assertThat(trace.describe(new Message.Suggest(5))).isEqualTo("suggest piece 5");
      assertThat(trace.describe(new Message.HaveAll())).isEqualTo("have all");
      assertThat(trace.describe(new Message.HaveNone())).isEqualTo("have none");
      assertThat(trace.describe(new Message.RejectRequest(new BlockRequest(2, 32768, 16384))))
          .isEqualTo("reject request piece 2 begin 32768 length 16384");
      assertThat(trace.describe(new Message.AllowedFast(11))).isEqualTo("allowed fast piece 11");
    }

    @Test
    void extendedHandshakeIsNamedAndMeasured() {
      byte[] payload = "d1:md11:ut_metadatai2eee".getBytes(StandardCharsets.US_ASCII);
      assertThat(trace.describe(new Message.Extended(0, payload)))
          .isEqualTo("extended id 0 (handshake), 24 bytes");
    }

    @Test
    void otherExtendedMessagesShowTheirIdAndLength() {
      assertThat(trace.describe(new Message.Extended(2, hex("64")))).isEqualTo("extended id 2, 1 byte");
      assertThat(trace.describe(new Message.Extended(3, new byte[0]))).isEqualTo("extended id 3, 0 bytes");
    }
  }

  @Nested
  class Arrows {

    @Test
    void sentMessagesPointAway() {
      assertThat(trace.sent(new Message.Interested())).isEqualTo("-> interested");
    }

    @Test
    void receivedMessagesPointBack() {
      assertThat(trace.received(new Message.Unchoke())).isEqualTo("<- unchoke");
    }
  }

  @Nested
  class Bounded {

    @Test
    void aBitfieldOfAMillionPiecesIsStillOneShortLine() {
      MessageTrace large = new MessageTrace(1_000_000);
      byte[] bits = new byte[125_000];
      Arrays.fill(bits, (byte) 0xff);
      String line = large.received(new Message.Bitfield(bits));
      assertThat(line).isEqualTo("<- bitfield 1000000/1000000 pieces");
    }

    @Test
    void anExtendedMessageOfAMebibyteShowsOnlyItsLength() {
      String line = trace.received(new Message.Extended(1, new byte[1024 * 1024]));
      assertThat(line).isEqualTo("<- extended id 1, 1048576 bytes");
    }
  }

  @Nested
  class Malformed {

    @Test
    void saysWhenSpareBitsAreSet() {
      assertThat(trace.describe(new Message.Bitfield(hex("ff", "ff"))))
          .isEqualTo("bitfield 12/12 pieces, 4 spare bits set");
    }

    @Test
    void saysWhenABitfieldHasTheWrongLengthForTheTorrent() {
      assertThat(trace.describe(new Message.Bitfield(hex("ff", "ff", "01"))))
          .isEqualTo("bitfield of 3 bytes (2 for 12 pieces), 17 bits set");
    }

    @Test
    void refusesATorrentWithoutPieces() {
      assertThatThrownBy(() -> new MessageTrace(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("piece count 0 is not positive");
    }
  }
}
