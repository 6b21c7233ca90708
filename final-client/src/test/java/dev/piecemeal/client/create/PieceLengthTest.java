package dev.piecemeal.client.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PieceLengthTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * 1024;

  @Nested
  class Chosen {
    @Test
    void isTheSmallestForOneByte() {
      assertThat(PieceLength.choose(1)).isEqualTo(16 * KIB);
    }

    @Test
    void staysAtTheSmallestUpToTwoThousandSmallestPieces() {
      assertThat(PieceLength.choose(2000L * 16 * KIB)).isEqualTo(16 * KIB);
      assertThat(PieceLength.choose(2000L * 16 * KIB + 1)).as("one byte more needs a 2001st piece")
          .isEqualTo(32 * KIB);
    }

    @Test
    void doublesAtEachBoundaryOfTwoThousandPieces() {
      for (int length = 32 * KIB; length <= 16 * MIB; length *= 2) {
        assertThat(PieceLength.choose(2000L * length)).as("2000 pieces of %d", length).isEqualTo(length);
        assertThat(PieceLength.choose(2000L * length / 2 + 1)).as("just over 2000 pieces of %d", length / 2)
            .isEqualTo(length);
      }
    }

    @Test
    void makesMoreThanAThousandPiecesOnceAboveTheSmallest() {
      for (long total : new long[] {32_768_001L, 100_000_000L, 4_206_649_000L, 16_777_216_000L}) {
        long pieces = PieceLength.pieceCount(total, PieceLength.choose(total));
        assertThat(pieces).as("pieces for %d bytes", total).isBetween(1001L, 2000L);
      }
    }

    @Test
    void stopsAtSixteenMebibytesForHugeContent() {
      assertThat(PieceLength.choose(2000L * 16 * MIB + 1)).isEqualTo(16 * MIB);
      assertThat(PieceLength.choose(1L << 42)).as("4 TiB").isEqualTo(16 * MIB);
    }

    @Test
    void refusesNoContentAtAll() {
      assertThatThrownBy(() -> PieceLength.choose(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least one byte");
    }
  }

  @Nested
  class Given {
    @Test
    void acceptsEveryPowerOfTwoFromSixteenKibibytesToSixtyFourMebibytes() {
      for (long length = 16 * KIB; length <= 64 * MIB; length *= 2) {
        assertThat(PieceLength.problem(length)).as("%d", length).isEmpty();
      }
    }

    @Test
    void refusesANumberThatIsNotAPowerOfTwo() {
      assertThat(PieceLength.problem(1000)).contains("is not a power of two of at least 16 KiB");
      assertThat(PieceLength.problem(3 * 16 * KIB)).contains("is not a power of two of at least 16 KiB");
    }

    @Test
    void refusesAPowerOfTwoBelowSixteenKibibytes() {
      assertThat(PieceLength.problem(8 * KIB)).contains("is not a power of two of at least 16 KiB");
      assertThat(PieceLength.problem(0)).contains("is not a power of two of at least 16 KiB");
      assertThat(PieceLength.problem(-16 * KIB)).contains("is not a power of two of at least 16 KiB");
    }

    @Test
    void refusesMoreThanSixtyFourMebibytes() {
      assertThat(PieceLength.problem(128 * MIB)).contains("is more than the largest piece length, 64 MiB");
    }
  }

  @Test
  void countsAShortLastPiece() {
    assertThat(PieceLength.pieceCount(16 * KIB, 16 * KIB)).isEqualTo(1);
    assertThat(PieceLength.pieceCount(16 * KIB + 1, 16 * KIB)).isEqualTo(2);
  }

  @Test
  void writesLengthsInTheirLargestWholeUnit() {
    assertThat(PieceLength.readable(16 * KIB)).isEqualTo("16 KiB");
    assertThat(PieceLength.readable(512 * KIB)).isEqualTo("512 KiB");
    assertThat(PieceLength.readable(4 * MIB)).isEqualTo("4 MiB");
  }
}
