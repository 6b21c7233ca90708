package dev.piecemeal.handshake;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The first 68 bytes each side sends on a peer connection (BEP 3, "peer protocol"): which
 * protocol, which extensions, which torrent, and who is speaking.
 *
 * <pre>
 * 13 | "BitTorrent protocol" | 8 reserved              | info hash (20) | peer id (20)
 * 13   42 69 74 54 6f 72 ... | 00 00 00 00 00 10 00 05 | d8 f7 39 ce ... | 2d 54 52 33 30 30 30 2d ...
 * 1  + 19                    + 8                       + 20             + 20             = 68 bytes
 * </pre>
 *
 * <p>Decoding and encoding are exact inverses: {@code read} keeps every reserved bit, so
 * {@code encode()} gives back the bytes that were read.
 */
public record Handshake(Extensions extensions, InfoHash infoHash, PeerId peerId) {

  /** The protocol name, 19 ASCII bytes. */
  public static final String PROTOCOL = "BitTorrent protocol";

  /** The whole handshake: 1 + 19 + 8 + 20 + 20. */
  public static final int LENGTH = 68;

  private static final byte[] PROTOCOL_BYTES = PROTOCOL.getBytes(StandardCharsets.US_ASCII);
  private static final int RESERVED_AT = 1 + PROTOCOL_BYTES.length;
  private static final int INFO_HASH_AT = RESERVED_AT + 8;
  private static final int PEER_ID_AT = INFO_HASH_AT + InfoHash.LENGTH;

  public Handshake {
    Objects.requireNonNull(extensions, "extensions");
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(peerId, "peerId");
  }

  // tag::encode[]
  /** The 68 bytes to send. */
  public byte[] encode() {
    byte[] bytes = new byte[LENGTH];
    bytes[0] = (byte) PROTOCOL_BYTES.length;
    System.arraycopy(PROTOCOL_BYTES, 0, bytes, 1, PROTOCOL_BYTES.length);
    System.arraycopy(extensions.bytes(), 0, bytes, RESERVED_AT, 8);
    System.arraycopy(infoHash.bytes(), 0, bytes, INFO_HASH_AT, InfoHash.LENGTH);
    System.arraycopy(peerId.bytes(), 0, bytes, PEER_ID_AT, PeerId.LENGTH);
    return bytes;
  }
  // end::encode[]

  // tag::read[]
  /**
   * Reads exactly one handshake: never a byte more, because what follows it on the connection is
   * the first message, and it belongs to the message reader. Works however the 68 bytes are split
   * across TCP segments.
   *
   * @throws ProtocolException when the bytes are not a BitTorrent handshake, or the stream ends
   *     before 68 bytes ({@code connection closed after 30 of 68 handshake bytes})
   * @throws IOException when reading fails (a timeout, a reset)
   */
  public static Handshake read(InputStream in) throws IOException, ProtocolException {
    byte[] bytes = new byte[LENGTH];

    // 1. One byte first: a peer that speaks something else (an encrypted stream, HTTP, TLS) is
    //    refused here, before we wait for 67 more bytes it may never send.
    require(in, bytes, 0, 1);
    if (bytes[0] != PROTOCOL_BYTES.length) {
      throw new ProtocolException(
          "handshake starts with byte " + (bytes[0] & 0xff) + ", not 19 (the length of \"" + PROTOCOL
              + "\"): the peer speaks another protocol, or encrypts (MSE)");
    }

    // 2. The other 67 bytes, exactly.
    require(in, bytes, 1, LENGTH - 1);

    // 3. The protocol name. A peer that spells it differently speaks another protocol.
    byte[] name = Arrays.copyOfRange(bytes, 1, RESERVED_AT);
    if (!Arrays.equals(name, PROTOCOL_BYTES)) {
      throw new ProtocolException(
          "protocol name is \"" + printable(name) + "\", not \"" + PROTOCOL + "\"");
    }

    // 4. The three fields; the caller decides whether it likes them.
    return new Handshake(
        Extensions.fromBytes(Arrays.copyOfRange(bytes, RESERVED_AT, INFO_HASH_AT)),
        InfoHash.fromBytes(Arrays.copyOfRange(bytes, INFO_HASH_AT, PEER_ID_AT)),
        PeerId.fromBytes(Arrays.copyOfRange(bytes, PEER_ID_AT, LENGTH)));
  }

  /** Fills {@code bytes[from, from + count)} from the stream, however many reads that takes. */
  private static void require(InputStream in, byte[] bytes, int from, int count)
      throws IOException, ProtocolException {
    int end = from + count;
    int filled = from;
    while (filled < end) {
      int n = in.read(bytes, filled, end - filled); // asks for at most what is missing
      if (n < 0) {
        throw new ProtocolException("connection closed after " + filled + " of " + LENGTH + " handshake bytes");
      }
      filled += n;
    }
  }
  // end::read[]

  /** ASCII as is, any other byte as {@code \xNN}: a peer's bytes, safe to print. */
  private static String printable(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b & 0xff));
      }
    }
    return out.toString();
  }
}
