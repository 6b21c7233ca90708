package dev.piecemeal.handshake;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A handshake as an annotated hex dump, one field per line, the way chapter 4 draws it:
 *
 * <pre>
 * 13                                                            protocol name length: 19
 * 42 69 74 54 6f 72 72 65 6e 74 20 70 72 6f 74 6f 63 6f 6c      "BitTorrent protocol"
 * 00 00 00 00 00 10 00 04                                       reserved: BEP6-fast, BEP10-extension-protocol
 * d0 75 ad ab 10 48 28 d5 e9 46 a8 83 3c 5a b0 47 27 10 54 78   info hash
 * 2d 54 52 33 30 30 30 2d 73 64 6c 39 69 31 78 73 76 6e 72 6b   peer id -TR3000-sdl9i1xsvnrk
 * </pre>
 *
 * {@code piecemeal handshake --hex} prints it for every handshake sent and received.
 */
public final class HandshakeDump {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
  private static final int HEX_WIDTH = 20 * 3 + 2; // 20 bytes as "xx " and two spaces

  private HandshakeDump() {}

  /** Five lines, one per field, each ending with a newline. */
  public static String annotate(Handshake handshake) {
    byte[] bytes = handshake.encode();
    String reserved = handshake.extensions().toString();
    if (handshake.extensions().unnamedBits() != 0) {
      reserved += " (and bits we have no name for)";
    }
    return field(bytes, 0, 1, "protocol name length: 19")
        + field(bytes, 1, 20, "\"" + Handshake.PROTOCOL + "\"")
        + field(bytes, 20, 28, "reserved: " + reserved)
        + field(bytes, 28, 48, "info hash")
        + field(bytes, 48, 68, "peer id " + handshake.peerId().printable());
  }

  private static String field(byte[] bytes, int from, int to, String note) {
    String hex = HEX.formatHex(Arrays.copyOfRange(bytes, from, to));
    return hex + " ".repeat(HEX_WIDTH - hex.length()) + note + "\n";
  }
}
