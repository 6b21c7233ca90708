package dev.piecemeal.bitfield;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AvailabilityTest {

  private final Availability<String> availability = new Availability<>(4);

  private static Bitfield bits(String hex) throws Exception {
    return Bitfield.fromBytes(hex(hex), 4);
  }

  private int[] counts() {
    int[] counts = new int[availability.pieceCount()];
    for (int piece = 0; piece < counts.length; piece++) {
      counts[piece] = availability.count(piece);
    }
    return counts;
  }

  @Test
  void countsHowManyPeersHaveEachPiece() throws Exception {
    availability.peerHas("A", bits("c0")); // 1100
    availability.peerHas("B", bits("e0")); // 1110
    availability.peerHas("C", bits("40")); // 0100
    assertThat(counts()).containsExactly(2, 3, 1, 0);
  }

  @Test
  void countsAHaveOnceHoweverOftenItIsSent() {
    availability.peerHave("A", 2);
    availability.peerHave("A", 2);
    assertThat(counts()).containsExactly(0, 0, 1, 0);
  }

  @Test
  void startsAPeerWithoutABitfieldFromNothing() {
    availability.peerHave("A", 3);
    assertThat(availability.of("A").toBytes()).isEqualTo(hex("10"));
    assertThat(availability.of("B").isEmpty()).as("a peer that said nothing").isTrue();
  }

  @Test
  void replacesWhatAPeerSaidBefore() throws Exception {
    availability.peerHas("A", bits("c0"));
    availability.peerHas("A", bits("30"));
    assertThat(counts()).containsExactly(0, 0, 1, 1);
  }

  @Test
  void forgetsAPeerThatLeft() throws Exception {
    availability.peerHas("A", Bitfield.full(4));
    availability.peerHas("B", bits("80"));
    availability.peerHave("B", 3);

    availability.peerGone("A");

    assertThat(counts()).containsExactly(1, 0, 0, 1);
    assertThat(availability.peerCount()).isEqualTo(1);
    availability.peerGone("A");
    assertThat(counts()).as("a second goodbye changes nothing").containsExactly(1, 0, 0, 1);
  }

  @Test
  void keepsItsOwnCopyOfABitfield() {
    Bitfield sent = new Bitfield(4);
    availability.peerHas("A", sent);
    sent.set(0);
    assertThat(availability.count(0)).isZero();
    assertThat(availability.peerHasPiece("A", 0)).isFalse();
  }
}
