package dev.piecemeal.client.create;

import java.util.Optional;

/**
 * How long the pieces of a new torrent are: chosen from the total size when the person making it
 * does not say, and checked when they do. BEP 3 notes that the piece length "is almost always a
 * power of two"; which one is a trade-off every torrent maker makes.
 *
 * <pre>
 * total size                     chosen piece length   pieces
 * up to 32,768,000 bytes         16 KiB                1 .. 2000
 * 32,768,001 .. 65,536,000       32 KiB                1001 .. 2000
 * ...                            doubling              1001 .. 2000
 * over 16,777,216,000            16 MiB                1001 and up
 * </pre>
 *
 * <p>The rule: the smallest power of two from {@value #MIN} bytes (16 KiB, one request block) to
 * 16 MiB that cuts the data into at most {@value #MOST_PIECES_CHOSEN} pieces. A smaller piece is
 * verified and shared sooner and costs less to fetch again when it fails its hash; more pieces make
 * a longer {@code pieces} string in the .torrent file (20 bytes each) and a longer bitfield. With
 * 1000 to 2000 pieces, the hashes of any torrent from 32 MB to 32 GB take 20 to 40 KB.
 *
 * <p>A piece length given on the command line may be any power of two from 16 KiB to
 * {@link #MAX} (64 MiB): beyond that a piece that fails its hash is a large loss, and the automatic
 * rule itself never goes past 16 MiB.
 */
public final class PieceLength {
  /** The smallest piece: one 16 KiB block, the unit every client requests. */
  public static final int MIN = 16 * 1024;
  /** The largest piece the rule chooses. */
  public static final int MAX_CHOSEN = 16 * 1024 * 1024;
  /** The largest piece a person may ask for. */
  public static final int MAX = 64 * 1024 * 1024;
  /** The rule chooses the smallest piece that makes no more pieces than this. */
  public static final int MOST_PIECES_CHOSEN = 2000;

  private PieceLength() {}

  // tag::choose[]
  /** The piece length for {@code totalLength} bytes of content (at least 1 byte). */
  public static int choose(long totalLength) {
    if (totalLength <= 0) {
      throw new IllegalArgumentException("a torrent holds at least one byte, not " + totalLength);
    }
    int length = MIN;
    while (length < MAX_CHOSEN && pieceCount(totalLength, length) > MOST_PIECES_CHOSEN) {
      length *= 2;
    }
    return length;
  }
  // end::choose[]

  /**
   * What is wrong with {@code length} as a piece length a person asked for, or empty when it is
   * fine: {@code is not a power of two of at least 16 KiB}, {@code is more than 64 MiB}.
   */
  public static Optional<String> problem(long length) {
    if (length < MIN || Long.bitCount(length) != 1) {
      return Optional.of("is not a power of two of at least 16 KiB");
    }
    if (length > MAX) {
      return Optional.of("is more than the largest piece length, 64 MiB");
    }
    return Optional.empty();
  }

  /** How many pieces of {@code pieceLength} hold {@code totalLength} bytes: the last may be short. */
  public static long pieceCount(long totalLength, int pieceLength) {
    return totalLength / pieceLength + (totalLength % pieceLength == 0 ? 0 : 1);
  }

  /** A power-of-two length the way a person writes it: {@code 16 KiB}, {@code 1 MiB}. */
  public static String readable(int pieceLength) {
    if (pieceLength % (1024 * 1024) == 0) {
      return pieceLength / (1024 * 1024) + " MiB";
    }
    if (pieceLength % 1024 == 0) {
      return pieceLength / 1024 + " KiB";
    }
    return pieceLength + " bytes";
  }
}
