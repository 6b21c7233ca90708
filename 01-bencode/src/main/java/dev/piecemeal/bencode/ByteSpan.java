package dev.piecemeal.bencode;

/**
 * Where a value sat in the decoded input: from {@code start} (its first byte) up to {@code end}
 * (one past its last byte). The info-hash is the SHA-1 of the {@code info} value's span, taken from
 * the file's own bytes, never from a re-encoding.
 */
public record ByteSpan(int start, int end) {

  public ByteSpan {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
    }
  }

  /** The number of bytes in the span. */
  public int length() {
    return end - start;
  }
}
