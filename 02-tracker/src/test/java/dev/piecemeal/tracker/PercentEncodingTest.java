package dev.piecemeal.tracker;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PercentEncodingTest {

  @Test
  void keepsUnreservedBytesAndEncodesEveryOtherByte() {
    byte[] bytes = hex(
        "12",   // not printable: %12
        "34",   // '4': unreserved
        "56",   // 'V'
        "78",   // 'x'
        "9a",   // above 0x7f: %9A, not a UTF-8 sequence
        "20",   // space: %20, never '+'
        "25",   // '%' itself
        "26",   // '&' would end the parameter
        "2b",   // '+' would read as a space
        "3d",   // '='
        "2d 2e 5f 7e", // - . _ ~ : unreserved
        "00 ff");
    assertThat(PercentEncoding.encode(bytes)).isEqualTo("%124Vx%9A%20%25%26%2B%3D-._~%00%FF");
  }

  /** Each of the 256 byte values, encoded then decoded by the JDK's own decoder, comes back. */
  @Test
  void everyByteValueRoundTrips() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    String encoded = PercentEncoding.encode(all);
    // ISO-8859-1 maps each %XX to the char XX, so the decoded text is the bytes one for one.
    byte[] decoded =
        URLDecoder.decode(encoded, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
    assertThat(decoded).isEqualTo(all);
    // 66 unreserved bytes stay as one char each; the other 190 take three.
    assertThat(encoded).hasSize(66 + 190 * 3);
  }

  @Test
  void writesHexDigitsInUppercase() {
    assertThat(PercentEncoding.encode(hex("abcdef"))).isEqualTo("%AB%CD%EF");
  }
}
