package dev.piecemeal.messages;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MessageTest {

  @Test
  void comparesBitfieldsByTheirBytes() {
    assertThat(new Message.Bitfield(hex("c0"))).isEqualTo(new Message.Bitfield(hex("c0")));
    assertThat(new Message.Bitfield(hex("c0"))).isNotEqualTo(new Message.Bitfield(hex("80")));
    assertThat(new Message.Bitfield(hex("c0")).hashCode())
        .isEqualTo(new Message.Bitfield(hex("c0")).hashCode());
  }

  @Test
  void copiesABitfieldsBytesInAndOut() {
    byte[] bytes = hex("c0");
    Message.Bitfield bitfield = new Message.Bitfield(bytes);
    bytes[0] = 0;
    bitfield.bytes()[0] = 0;
    assertThat(bitfield.bytes()).isEqualTo(hex("c0"));
  }

  @Test
  void copiesAnExtendedPayloadInAndOut() {
    byte[] payload = hex("6465");
    Message.Extended extended = new Message.Extended(3, payload);
    payload[0] = 0;
    extended.payload()[0] = 0;
    assertThat(extended).isEqualTo(new Message.Extended(3, hex("6465")));
    assertThat(extended.length()).isEqualTo(2);
  }

  @Test
  void comparesPiecesByTheirBlocksContent() {
    assertThat(Message.Piece.of(1, 0, hex("cafe"))).isEqualTo(Message.Piece.of(1, 0, hex("cafe")));
    assertThat(Message.Piece.of(1, 0, hex("cafe"))).isNotEqualTo(Message.Piece.of(1, 0, hex("cafd")));
  }

  @Test
  void givesEachCallerOfBlockItsOwnPositionOverTheSameBytes() {
    Message.Piece piece = Message.Piece.of(1, 0, hex("cafebabe"));
    ByteBuffer first = piece.block();
    first.get(new byte[4]);
    assertThat(first.remaining()).isZero();
    assertThat(piece.block().remaining()).isEqualTo(4);
    assertThat(piece.length()).isEqualTo(4);
  }

  @Test
  void namesTheRequestAPieceAnswers() {
    assertThat(Message.Piece.of(2, 16384, new byte[100]).request())
        .isEqualTo(new BlockRequest(2, 16384, 100));
  }

  @Test
  void printsShortDescriptionsForTraces() {
    assertThat(Message.Piece.of(2, 16384, new byte[100])).hasToString("Piece[2:16384+100]");
    assertThat(new Message.Bitfield(new byte[13])).hasToString("Bitfield[13 bytes]");
    assertThat(new Message.Extended(1, new byte[40])).hasToString("Extended[id 1, 40 bytes]");
    assertThat(new Message.Request(new BlockRequest(1, 0, 16384)))
        .hasToString("Request[block=block 1:0+16384]");
  }

  @Nested
  class Invalid {

    @Test
    void rejectsANegativePieceIndex() {
      assertThatThrownBy(() -> new Message.Have(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("negative piece index -1");
    }

    @Test
    void rejectsABlockRequestOfZeroBytes() {
      assertThatThrownBy(() -> new BlockRequest(0, 0, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("block length 0 outside 1..16384 bytes");
    }

    @Test
    void rejectsABlockRequestLargerThan16KiB() {
      assertThatThrownBy(() -> new BlockRequest(0, 0, 16385))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("block length 16385 outside 1..16384 bytes");
    }

    @Test
    void rejectsAPieceWithAnEmptyBlock() {
      assertThatThrownBy(() -> Message.Piece.of(0, 0, new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("block of 0 bytes outside 1..16384");
    }

    @Test
    void rejectsAPortThatDoesNotFitTwoBytes() {
      assertThatThrownBy(() -> new Message.Port(65536))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("port 65536 outside 0..65535");
    }

    @Test
    void rejectsAnExtendedIdThatDoesNotFitOneByte() {
      assertThatThrownBy(() -> new Message.Extended(256, new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("extended id 256 outside 0..255");
    }
  }
}
