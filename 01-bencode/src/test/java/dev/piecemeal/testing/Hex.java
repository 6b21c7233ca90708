package dev.piecemeal.testing;

import java.util.HexFormat;

/**
 * Wire formats spelled out field by field in tests:
 *
 * <pre>
 * byte[] have = hex(
 *     "00000005",   // length: 5 = 1 id + 4 index
 *     "04",         // id: have
 *     "00000001");  // piece 1
 * </pre>
 *
 * Spaces inside a part are ignored, so {@code "de ad be ef"} reads as four bytes.
 */
public final class Hex {
  private Hex() {}

  /** The bytes of the hex parts, concatenated. */
  public static byte[] hex(String... parts) {
    StringBuilder all = new StringBuilder();
    for (String part : parts) {
      all.append(part.replace(" ", ""));
    }
    return HexFormat.of().parseHex(all);
  }

  /** Lowercase hex of the bytes, for messages and golden files. */
  public static String toHex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
