package dev.piecemeal.tracker;

/**
 * Percent-encoding of raw bytes for a URL query (RFC 3986, section 2.1), the way BEP 3 wants the
 * 20-byte {@code info_hash} and {@code peer_id} sent.
 *
 * <p>Each byte is looked at alone: the 66 unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) stand
 * for themselves, every other byte becomes {@code %} and two uppercase hex digits. There is no
 * text here and no character set: the bytes of a SHA-1 are not UTF-8, and hex would be 40 bytes
 * that the tracker takes for a different torrent.
 *
 * <pre>
 * bytes  12    34    56    78    9a    bc    de    f1    23    45    ...
 * sent   %124Vx%9A%BC%DE%F1%23E...
 *        (0x34 is '4', 0x56 is 'V', 0x78 is 'x', 0x45 is 'E': unreserved, sent as is)
 * </pre>
 *
 * <p>Why not {@link java.net.URLEncoder}: it encodes <em>text</em> through a charset (a byte above
 * 0x7f would first have to become a character) and writes a space as {@code +}, a form-encoding
 * habit that not every tracker undoes.
 */
public final class PercentEncoding {
  private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /** The bytes percent-encoded, unreserved bytes left as they are. */
  public static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int unsigned = b & 0xff;
      if (isUnreserved(unsigned)) {
        out.append((char) unsigned);
      } else {
        out.append('%').append(HEX_DIGITS[unsigned >> 4]).append(HEX_DIGITS[unsigned & 0x0f]);
      }
    }
    return out.toString();
  }

  /** RFC 3986's unreserved set: {@code ALPHA / DIGIT / "-" / "." / "_" / "~"}. */
  static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
