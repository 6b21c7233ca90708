package dev.piecemeal.bencode;

/**
 * Input that is not valid bencode, or a bencoded value that is not what was expected. The message
 * says what is wrong and where: {@code string length 99999999999 exceeds remaining input (12 bytes)
 * at offset 8}.
 */
public class BencodeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long offset;
  private final String problem;

  /** An error found at a byte offset of the input. */
  public BencodeException(String problem, long offset) {
    super(problem + " at offset " + offset);
    this.offset = offset;
    this.problem = problem;
  }

  /** An error that has no single byte offset (a missing field, a value out of range). */
  public BencodeException(String message) {
    super(message);
    this.offset = -1;
    this.problem = message;
  }

  /**
   * What is wrong, without the offset: lets a caller that knows more (which file, which field)
   * say it again in its own words.
   */
  public String problem() {
    return problem;
  }

  /** The byte offset where the problem was found, or -1 when there is none. */
  public long offset() {
    return offset;
  }
}
