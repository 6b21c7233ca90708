package dev.piecemeal.client.magnet;

/**
 * Base32 (RFC 4648, section 6), the second way BEP 9 lets a magnet link write an info-hash: 5 bits
 * per character from {@code A-Z} and {@code 2-7}, so the 160 bits of a SHA-1 are exactly 32
 * characters and need no {@code =} padding.
 *
 * <pre>
 * M     F     R     G     C     Y     T     B     …    characters
 * 01100 00101 10001 00110 00010 11000 10011 00001 …    their 5-bit values (M = 12, F = 5, …)
 * 01100001 01100010 01100001 01100010 01100001 …       the same bits, 8 at a time
 * 'a'      'b'      'a'      'b'      'a'              → 61 62 61 62 61 …
 * </pre>
 *
 * <p>The JDK has {@link java.util.Base64} and no base32. Magnet links write it in either case, so
 * {@link #digit} reads both.
 */
final class Base32 {
  private Base32() {}

  /** The value 0..31 of one base32 character, upper or lower case; -1 for any other character. */
  static int digit(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a';
    }
    if (c >= '2' && c <= '7') {
      return 26 + (c - '2');
    }
    return -1;
  }

  /**
   * The bytes of {@code digits}, whose number of bits (5 per character) must be a whole number of
   * bytes: 32 characters are 20 bytes.
   *
   * @throws IllegalArgumentException a character is not a base32 digit, or the bits do not fill
   *     whole bytes
   */
  static byte[] decode(String digits) {
    if (digits.length() * 5 % 8 != 0) {
      throw new IllegalArgumentException(digits.length() + " base32 characters are not whole bytes");
    }
    byte[] out = new byte[digits.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < digits.length(); i++) {
      int value = digit(digits.charAt(i));
      if (value < 0) {
        throw new IllegalArgumentException("character " + i + " is not a base32 digit");
      }
      // Shift 5 bits in at the bottom; as soon as 8 are waiting, the top 8 are the next byte.
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (buffer >> bits);
        buffer &= (1 << bits) - 1;
      }
    }
    return out;
  }
}
