package dev.piecemeal.bitfield;

import dev.piecemeal.handshake.ProtocolException;
import java.util.Arrays;

/**
 * Which pieces of a torrent someone has: one bit per piece (BEP 3, "bitfield"). On the wire, the
 * high bit of the first byte is piece 0, and the spare bits after the last piece must be zero:
 *
 * <pre>
 * 10 pieces, we have 0, 1 and 9:
 *   byte 0: 1100 0000   pieces 0..7 (high bit first)
 *   byte 1: 0100 0000   pieces 8, 9, then six spare bits that must be 0
 * </pre>
 *
 * <p>Why not {@link java.util.BitSet}: it numbers bits the other way inside a byte ({@code
 * BitSet.valueOf} makes the <em>low</em> bit of byte 0 bit 0), it has no fixed size to check spare
 * bits against, and it grows silently when set past its end. Inside, this class keeps the bits the
 * way BitSet does, in {@code long} words with piece {@code i} at bit {@code i % 64} of word {@code
 * i / 64}, so counting is one {@link Long#bitCount} per 64 pieces and iteration skips 64 absent
 * pieces at a time with {@link Long#numberOfTrailingZeros}; {@link #fromBytes} and {@link
 * #toBytes} reverse each byte's bits on the way in and out.
 *
 * <p>Mutable and not thread-safe: a peer's bitfield belongs to that peer's connection thread, ours
 * to the {@link PiecePicker} that guards it with its lock.
 */
public final class Bitfield {

  private final int pieceCount;
  private final long[] words;
  private int cardinality;

  /** An empty bitfield: no pieces of {@code pieceCount}. */
  public Bitfield(int pieceCount) {
    if (pieceCount < 1) {
      throw new IllegalArgumentException("piece count " + pieceCount + " is not positive");
    }
    this.pieceCount = pieceCount;
    this.words = new long[(pieceCount + 63) / 64];
  }

  /** A bitfield with every piece: what a seed has, or what HAVE ALL says (BEP 6). */
  public static Bitfield full(int pieceCount) {
    Bitfield all = new Bitfield(pieceCount);
    Arrays.fill(all.words, -1L);
    int spare = all.words.length * 64 - pieceCount;
    all.words[all.words.length - 1] >>>= spare;
    all.cardinality = pieceCount;
    return all;
  }

  /**
   * A peer's bitfield as it came off the wire, checked against the torrent: exactly {@code
   * ceil(pieceCount / 8)} bytes, and no spare bit set after the last piece.
   *
   * @throws ProtocolException the length is wrong or a spare bit is set
   */
  public static Bitfield fromBytes(byte[] bytes, int pieceCount) throws ProtocolException {
    int expected = (pieceCount + 7) / 8;
    if (bytes.length != expected) {
      throw new ProtocolException(
          "bitfield of " + bytes.length + " bytes, expected " + expected + " for " + pieceCount
              + " pieces");
    }
    // tag::spare-bits[]
    // The last byte holds pieceCount % 8 real bits, high bits first; the rest are spare.
    int used = pieceCount % 8 == 0 ? 8 : pieceCount % 8;
    int spareMask = 0xff >>> used;
    int spare = bytes[bytes.length - 1] & spareMask;
    if (spare != 0) {
      int firstSpare = (bytes.length - 1) * 8 + Integer.numberOfLeadingZeros(spare) - 24;
      throw new ProtocolException(
          "bitfield has spare bit " + firstSpare + " set, but the last piece is "
              + (pieceCount - 1));
    }
    // end::spare-bits[]
    Bitfield bitfield = new Bitfield(pieceCount);
    for (int i = 0; i < bytes.length; i++) {
      // Reverse the byte: wire bit 7 (piece 8i) becomes bit 0 of its place in the word.
      long reversed = Integer.reverse(bytes[i] & 0xff) >>> 24;
      bitfield.words[i / 8] |= reversed << (8 * (i % 8));
    }
    bitfield.recount();
    return bitfield;
  }

  /** The bits as the wire carries them: high bit of byte 0 is piece 0, spare bits zero. */
  public byte[] toBytes() {
    byte[] bytes = new byte[(pieceCount + 7) / 8];
    for (int i = 0; i < bytes.length; i++) {
      int eight = (int) (words[i / 8] >>> (8 * (i % 8))) & 0xff;
      bytes[i] = (byte) (Integer.reverse(eight) >>> 24);
    }
    return bytes;
  }

  /** A copy that shares nothing with this one. */
  public Bitfield copy() {
    Bitfield copy = new Bitfield(pieceCount);
    System.arraycopy(words, 0, copy.words, 0, words.length);
    copy.cardinality = cardinality;
    return copy;
  }

  /** How many pieces the torrent has: the number of bits, not of those set. */
  public int pieceCount() {
    return pieceCount;
  }

  /** Whether the piece is present. */
  public boolean has(int piece) {
    checkIndex(piece);
    return (words[piece >>> 6] & (1L << piece)) != 0;
  }

  /** Marks a piece as present; returns false if it already was. */
  public boolean set(int piece) {
    checkIndex(piece);
    long bit = 1L << piece; // Java shifts a long by piece % 64
    if ((words[piece >>> 6] & bit) != 0) {
      return false;
    }
    words[piece >>> 6] |= bit;
    cardinality++;
    return true;
  }

  /** Marks a piece as absent; returns false if it already was. */
  public boolean clear(int piece) {
    checkIndex(piece);
    long bit = 1L << piece;
    if ((words[piece >>> 6] & bit) == 0) {
      return false;
    }
    words[piece >>> 6] &= ~bit;
    cardinality--;
    return true;
  }

  /** How many pieces are present, kept as a running count. */
  public int cardinality() {
    return cardinality;
  }

  /** No piece is present. */
  public boolean isEmpty() {
    return cardinality == 0;
  }

  /** Every piece is present. */
  public boolean isComplete() {
    return cardinality == pieceCount;
  }

  /** The first present piece at or after {@code from}, or -1 if there is none. */
  public int nextSetBit(int from) {
    if (from < 0) {
      throw new IndexOutOfBoundsException("negative piece index " + from);
    }
    if (from >= pieceCount) {
      return -1;
    }
    int w = from >>> 6;
    long word = words[w] & (-1L << from); // ignore bits below from
    while (true) {
      if (word != 0) {
        return w * 64 + Long.numberOfTrailingZeros(word);
      }
      if (++w == words.length) {
        return -1;
      }
      word = words[w];
    }
  }

  /** The first absent piece at or after {@code from}, or -1 if there is none. */
  public int nextClearBit(int from) {
    if (from < 0) {
      throw new IndexOutOfBoundsException("negative piece index " + from);
    }
    if (from >= pieceCount) {
      return -1;
    }
    int w = from >>> 6;
    long word = ~words[w] & (-1L << from);
    while (true) {
      if (word != 0) {
        int piece = w * 64 + Long.numberOfTrailingZeros(word);
        return piece < pieceCount ? piece : -1;
      }
      if (++w == words.length) {
        return -1;
      }
      word = ~words[w];
    }
  }

  /** Whether {@code other} has a piece this one lacks: would we be interested in its owner. */
  public boolean lacksAnyOf(Bitfield other) {
    requireSameSize(other);
    for (int w = 0; w < words.length; w++) {
      if ((other.words[w] & ~words[w]) != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Bitfield that
        && pieceCount == that.pieceCount
        && Arrays.equals(words, that.words);
  }

  @Override
  public int hashCode() {
    return 31 * pieceCount + Arrays.hashCode(words);
  }

  /** Short: {@code Bitfield[37/100]}, pieces present out of all. */
  @Override
  public String toString() {
    return "Bitfield[" + cardinality + "/" + pieceCount + "]";
  }

  private void recount() {
    int count = 0;
    for (long word : words) {
      count += Long.bitCount(word);
    }
    cardinality = count;
  }

  private void checkIndex(int piece) {
    if (piece < 0 || piece >= pieceCount) {
      throw new IndexOutOfBoundsException(
          "piece " + piece + " outside 0.." + (pieceCount - 1));
    }
  }

  private void requireSameSize(Bitfield other) {
    if (other.pieceCount != pieceCount) {
      throw new IllegalArgumentException(
          "bitfield of " + other.pieceCount + " pieces, expected " + pieceCount);
    }
  }
}
