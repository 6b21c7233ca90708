package dev.piecemeal.bitfield;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.handshake.ProtocolException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BitfieldTest {

  @Test
  void readsTheHighBitOfTheFirstByteAsPieceZero() throws Exception {
    Bitfield bitfield = Bitfield.fromBytes(hex(
        "c0",         // 1100 0000: pieces 0 and 1
        "40"),        // 0100 0000: piece 9; the six low bits are spare
        10);
    assertThat(setPieces(bitfield)).containsExactly(0, 1, 9);
    assertThat(bitfield.cardinality()).isEqualTo(3);
  }

  @Test
  void writesPiecesHighBitFirst() {
    Bitfield bitfield = new Bitfield(10);
    bitfield.set(0);
    bitfield.set(1);
    bitfield.set(9);
    assertThat(bitfield.toBytes()).isEqualTo(hex("c0", "40"));
  }

  /** The one line that shows why BitSet would read a peer's bitfield backwards. */
  @Test
  void numbersBitsTheOtherWayFromBitSetInsideAByte() throws Exception {
    byte[] onlyPieceZero = hex("80");
    assertThat(BitSet.valueOf(onlyPieceZero).nextSetBit(0)).as("BitSet's reading").isEqualTo(7);
    assertThat(Bitfield.fromBytes(onlyPieceZero, 8).nextSetBit(0)).as("the spec's").isZero();
  }

  @Test
  void roundTripsRandomBitfieldsOfEverySizeUpTo200() throws Exception {
    Random random = new Random(6);
    for (int pieces = 1; pieces <= 200; pieces++) {
      Bitfield original = new Bitfield(pieces);
      for (int piece = 0; piece < pieces; piece++) {
        if (random.nextBoolean()) {
          original.set(piece);
        }
      }
      Bitfield back = Bitfield.fromBytes(original.toBytes(), pieces);
      assertThat(back).as("%d pieces", pieces).isEqualTo(original);
      assertThat(back.cardinality()).isEqualTo(original.cardinality());
    }
  }

  @Test
  void fullHasEveryPieceAndNoSpareBit() {
    assertThat(Bitfield.full(10).toBytes()).isEqualTo(hex("ff", "c0"));
    assertThat(Bitfield.full(64).cardinality()).isEqualTo(64);
    assertThat(Bitfield.full(65).toBytes()).isEqualTo(hex("ffffffffffffffff", "80"));
    assertThat(Bitfield.full(65).isComplete()).isTrue();
  }

  @Test
  void iteratesAcrossWordBoundaries() {
    Bitfield bitfield = new Bitfield(200);
    for (int piece : new int[] {0, 63, 64, 127, 128, 199}) {
      bitfield.set(piece);
    }
    assertThat(setPieces(bitfield)).containsExactly(0, 63, 64, 127, 128, 199);
    assertThat(bitfield.nextSetBit(129)).isEqualTo(199);
    assertThat(bitfield.nextSetBit(200)).isEqualTo(-1);
  }

  @Test
  void findsTheNextMissingPieceAndNoneInAFullBitfield() {
    Bitfield bitfield = Bitfield.full(130);
    assertThat(bitfield.nextClearBit(0)).isEqualTo(-1);
    bitfield.clear(129);
    bitfield.clear(64);
    assertThat(bitfield.nextClearBit(0)).isEqualTo(64);
    assertThat(bitfield.nextClearBit(65)).isEqualTo(129);
    assertThat(bitfield.cardinality()).isEqualTo(128);
  }

  @Test
  void countsAPieceSetTwiceOnce() {
    Bitfield bitfield = new Bitfield(10);
    assertThat(bitfield.set(3)).isTrue();
    assertThat(bitfield.set(3)).as("already set").isFalse();
    assertThat(bitfield.cardinality()).isEqualTo(1);
    assertThat(bitfield.clear(3)).isTrue();
    assertThat(bitfield.clear(3)).as("already clear").isFalse();
    assertThat(bitfield.isEmpty()).isTrue();
  }

  @Test
  void tellsWhetherAnotherHasAPieceThisOneLacks() {
    Bitfield ours = new Bitfield(100);
    Bitfield theirs = new Bitfield(100);
    theirs.set(70);
    assertThat(ours.lacksAnyOf(theirs)).isTrue();
    ours.set(70);
    assertThat(ours.lacksAnyOf(theirs)).isFalse();
  }

  @Test
  void copiesShareNothing() {
    Bitfield original = new Bitfield(10);
    Bitfield copy = original.copy();
    copy.set(1);
    assertThat(original.has(1)).isFalse();
    assertThat(copy).hasToString("Bitfield[1/10]");
  }

  @Test
  void refusesAPieceOutsideTheTorrent() {
    assertThatThrownBy(() -> new Bitfield(10).set(10))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("piece 10 outside 0..9");
  }

  @Nested
  class Malformed {

    @Test
    void rejectsABitfieldOneByteShort() {
      assertThatThrownBy(() -> Bitfield.fromBytes(hex("ff"), 10))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("bitfield of 1 bytes, expected 2 for 10 pieces");
    }

    @Test
    void rejectsABitfieldOneByteLong() {
      assertThatThrownBy(() -> Bitfield.fromBytes(hex("ff", "c0", "00"), 10))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("bitfield of 3 bytes, expected 2 for 10 pieces");
    }

    @Test
    void rejectsSpareBitsSetInLastByte() {
      byte[] bytes = hex(
          "ff",         // pieces 0..7
          "e0");        // 1110 0000: pieces 8, 9, and spare bit 10 set
      assertThatThrownBy(() -> Bitfield.fromBytes(bytes, 10))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("bitfield has spare bit 10 set, but the last piece is 9");
    }

    @Test
    void rejectsTheLastSpareBitSet() {
      byte[] bytes = hex(
          "00",
          "01");        // 0000 0001: spare bit 15
      assertThatThrownBy(() -> Bitfield.fromBytes(bytes, 10))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("bitfield has spare bit 15 set, but the last piece is 9");
    }

    @Test
    void acceptsAFullLastByteWhenPiecesFillIt() throws Exception {
      assertThat(Bitfield.fromBytes(hex("ff", "ff"), 16).isComplete()).isTrue();
    }
  }

  private static List<Integer> setPieces(Bitfield bitfield) {
    List<Integer> pieces = new ArrayList<>();
    for (int p = bitfield.nextSetBit(0); p >= 0; p = bitfield.nextSetBit(p + 1)) {
      pieces.add(p);
    }
    return pieces;
  }
}
