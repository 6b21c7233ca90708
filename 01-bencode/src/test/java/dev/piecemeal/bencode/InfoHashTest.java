package dev.piecemeal.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InfoHashTest {
  private static final String HEX = "d8f739cefa2b1a2f4c8f2e1a1b2c3d4e5f607182";

  @Test
  void hexRoundTripsThroughBytes() {
    InfoHash hash = InfoHash.fromHex(HEX);
    assertThat(InfoHash.fromBytes(hash.bytes()).hex()).isEqualTo(HEX);
  }

  @Test
  void comparesByContentNotByReference() {
    assertThat(InfoHash.fromHex(HEX)).isEqualTo(InfoHash.fromHex(HEX.toUpperCase()));
    assertThat(InfoHash.fromHex(HEX)).hasSameHashCodeAs(InfoHash.fromHex(HEX));
  }

  @Test
  void bytesReturnsACopySoTheHashCannotBeChanged() {
    InfoHash hash = InfoHash.fromHex(HEX);
    hash.bytes()[0] = 0;
    assertThat(hash.hex()).isEqualTo(HEX);
  }

  @Test
  void toStringShowsTheFirstEightHexDigits() {
    assertThat(InfoHash.fromHex(HEX)).hasToString("InfoHash[d8f739ce…]");
  }

  @Test
  void rejectsAHashThatIsNotTwentyBytes() {
    assertThatThrownBy(() -> InfoHash.fromBytes(new byte[19]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not 19");
  }
}
