package dev.piecemeal.client.magnet;

import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Extension payloads spelled out field by field: bencode as the ASCII it is, raw bytes in hex
 * (chapter 1's {@code Hex.hex}).
 *
 * <pre>
 * byte[] request = bytes(
 *     ascii("d"),
 *     ascii("8:msg_type", "i0e"),   // 0: request
 *     ascii("5:piece", "i1e"),      // piece 1
 *     ascii("e"));
 * </pre>
 */
final class Payloads {
  private Payloads() {}

  /** The parts, one after another. */
  static byte[] bytes(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The ASCII bytes of the parts, concatenated. */
  static byte[] ascii(String... parts) {
    return String.join("", parts).getBytes(StandardCharsets.US_ASCII);
  }

  /** What chapter 5's writer puts on the wire for {@code message}: the length, the id, the rest. */
  static byte[] onTheWire(Message message) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MessageWriter writer = new MessageWriter(out);
      writer.write(message);
      writer.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
