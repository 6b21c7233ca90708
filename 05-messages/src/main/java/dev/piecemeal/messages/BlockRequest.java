package dev.piecemeal.messages;

/**
 * One block of one piece: the unit a downloader asks for. REQUEST, CANCEL and the fast extension's
 * REJECT REQUEST all carry one (BEP 3, "request"; BEP 6, "reject request"), and the piece picker of
 * chapter 6 hands them out.
 *
 * <pre>
 * 00000001 | 00004000 | 00004000
 * index 1  | begin 16384 | length 16384: the second 16 KiB block of piece 1
 * </pre>
 *
 * @param pieceIndex the piece, counted from 0
 * @param begin the block's offset inside the piece, in bytes
 * @param length the block's length: 1 to {@link #MAX_LENGTH} bytes
 */
public record BlockRequest(int pieceIndex, int begin, int length) {

  /**
   * The largest block anyone may ask for, 16 KiB. BEP 3: "All current implementations use 2^14 (16
   * kiB), and close connections which request an amount greater than that."
   */
  public static final int MAX_LENGTH = 16 * 1024;

  public BlockRequest {
    if (pieceIndex < 0) {
      throw new IllegalArgumentException("negative piece index " + pieceIndex);
    }
    if (begin < 0) {
      throw new IllegalArgumentException("negative block offset " + begin);
    }
    if (length < 1 || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "block length " + length + " outside 1.." + MAX_LENGTH + " bytes");
    }
  }

  /** The offset just past the block's last byte, inside its piece. */
  public long end() {
    return (long) begin + length;
  }

  @Override
  public String toString() {
    return "block " + pieceIndex + ":" + begin + "+" + length;
  }
}
