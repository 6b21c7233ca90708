package dev.piecemeal.bencode;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A bencoded byte string, {@code <length>:<bytes>}. It is bytes, not text: the {@code pieces}
 * field of a torrent is 20-byte SHA-1 hashes back to back. Text is decoded only where a field is
 * text, with {@link #utf8()}.
 *
 * <p>A record over {@code byte[]} would compare array references, so this is a small final class
 * with byte-string manners: factories named for their input, accessors named for their output,
 * and a copy in and out so that the value stays immutable.
 */
public final class BencodeString implements BencodeValue, Comparable<BencodeString> {
  private final byte[] bytes;

  private BencodeString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The string of these raw bytes (copied). */
  public static BencodeString fromBytes(byte[] bytes) {
    return new BencodeString(bytes.clone());
  }

  /** The string of this text's UTF-8 bytes. */
  public static BencodeString fromUtf8(String text) {
    return new BencodeString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Package-private: the decoder hands over a freshly copied array and skips the second copy. */
  static BencodeString wrap(byte[] ownedBytes) {
    return new BencodeString(ownedBytes);
  }

  /** A copy of the raw bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The byte at {@code index}, as stored (signed). */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /**
   * The bytes read as UTF-8 text.
   *
   * @throws CharacterCodingException if the bytes are not valid UTF-8
   */
  public String utf8() throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** The bytes read as UTF-8, with each invalid sequence replaced by U+FFFD: for display only. */
  public String utf8Lenient() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** True when these are exactly the UTF-8 bytes of {@code text}. */
  public boolean equalsUtf8(String text) {
    return Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8));
  }

  /** BEP 3 orders dictionary keys as raw bytes, compared unsigned (so 0xe9 sorts after 'z'). */
  @Override
  public int compareTo(BencodeString other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String kind() {
    return "string";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BencodeString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Printable ASCII as text in quotes, anything else as hex: {@code "spam"} or {@code 0x00ff80}. */
  @Override
  public String toString() {
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        return "0x" + HexFormat.of().formatHex(bytes);
      }
    }
    return '"' + new String(bytes, StandardCharsets.US_ASCII) + '"';
  }
}
