package dev.piecemeal.messages;

/**
 * What a legal message can look like for one torrent: how many pieces it has (which fixes the
 * bitfield's size and the largest piece index) and how large an extension message may be. {@link
 * MessageReader} checks every length prefix and every piece index against these before it trusts
 * them.
 *
 * <pre>
 * MessageLimits.forPieces(100)   // bitfield: exactly 13 bytes; piece indexes 0..99
 * </pre>
 *
 * <p>Before a magnet link's metadata is in, the piece count is not known, only a bound on it
 * ({@link #beforeMetadata}): a bitfield may then be any length up to that bound's, and is checked
 * against the real count later, by whoever learns it.
 *
 * @param pieceCount the torrent's number of pieces, at least 1; with {@code exactBitfield} false,
 *     the most it may have
 * @param maxExtendedPayload the largest extension payload accepted, in bytes
 * @param exactBitfield true when {@code pieceCount} is the torrent's: a bitfield must be exactly
 *     {@link #bitfieldLength} bytes; false when it is only a bound: 1 to that many
 */
public record MessageLimits(int pieceCount, int maxExtendedPayload, boolean exactBitfield) {

  /**
   * The default bound on an extension message's payload, 1 MiB.
   *
   * <p>Simplified: one fixed bound for every extension. A production client can bound each
   * extension by what it may legally carry, once the extension handshake has named it; the
   * largest we will meet (a BEP 9 metadata piece, 16 KiB plus a small dictionary) is far below 1
   * MiB, and 1 MiB is still small enough to allocate for one connection.
   */
  public static final int DEFAULT_MAX_EXTENDED_PAYLOAD = 1024 * 1024;

  public MessageLimits {
    if (pieceCount < 1) {
      throw new IllegalArgumentException("piece count " + pieceCount + " is not positive");
    }
    if (maxExtendedPayload < 0) {
      throw new IllegalArgumentException(
          "extension payload bound " + maxExtendedPayload + " is negative");
    }
  }

  /** The limits for a torrent of {@code pieceCount} pieces and this extension bound. */
  public MessageLimits(int pieceCount, int maxExtendedPayload) {
    this(pieceCount, maxExtendedPayload, true);
  }

  /**
   * The limits for a torrent whose piece count is not known yet, only that it is at most {@code
   * mostPieces}: a magnet link's, while its metadata is fetched (chapter 10). Piece indexes are
   * checked against the bound, and a bitfield may be any length up to the bound's.
   */
  public static MessageLimits beforeMetadata(int mostPieces) {
    return new MessageLimits(mostPieces, DEFAULT_MAX_EXTENDED_PAYLOAD, false);
  }

  /** The limits for a torrent of {@code pieceCount} pieces, with the default extension bound. */
  public static MessageLimits forPieces(int pieceCount) {
    return new MessageLimits(pieceCount, DEFAULT_MAX_EXTENDED_PAYLOAD);
  }

  /**
   * The exact size of this torrent's bitfield (with {@code exactBitfield} false, its largest): one
   * bit per piece, rounded up to whole bytes.
   */
  public int bitfieldLength() {
    return (pieceCount + 7) / 8;
  }
}
