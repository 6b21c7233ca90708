package dev.piecemeal.client.dht;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * KRPC packets spelled out in tests: bencode is mostly text, so a String part is its ASCII bytes
 * and a {@code byte[]} part (from {@code Hex.hex}) goes in raw, for ids and addresses.
 *
 * <pre>
 * packet(
 *     "d",
 *       "1:a", "d", "2:id", "20:", hex("0102030405060708090a0b0c0d0e0f1011121314"), "e",
 *       "1:q", "4:ping",
 *       "1:t", "2:aa",
 *       "1:y", "1:q",
 *     "e");
 * </pre>
 */
final class Packets {
  private Packets() {}

  static byte[] packet(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
      } else if (part instanceof byte[] bytes) {
        out.writeBytes(bytes);
      } else {
        throw new IllegalArgumentException("a packet part is a String or a byte[], not " + part);
      }
    }
    return out.toByteArray();
  }

  /** Twenty ASCII bytes as a node id, the way BEP 5's examples write them. */
  static NodeId id(String twentyAsciiBytes) {
    return NodeId.fromBytes(twentyAsciiBytes.getBytes(StandardCharsets.US_ASCII));
  }
}
