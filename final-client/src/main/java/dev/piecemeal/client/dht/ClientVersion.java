package dev.piecemeal.client.dht;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A KRPC message's optional {@code v}: which software sent it. BEP 5 asks for four bytes, two
 * letters for the client and two bytes of version ({@code LT} then 0x0102 for libtorrent 1.2),
 * "as registered in BEP 20"; real nodes send other lengths too, so we accept 1 to
 * {@value #MAX_LENGTH} bytes and only ever show it.
 *
 * <pre>
 * 1:v 4:PM\x00\x01      Piecemeal, version 0.1
 * </pre>
 */
public final class ClientVersion {
  /** The longest {@code v} accepted. */
  public static final int MAX_LENGTH = 16;

  /** What we send: {@code PM}, then version 0.1. */
  public static final ClientVersion PIECEMEAL =
      new ClientVersion(new byte[] {'P', 'M', 0, 1});

  private final byte[] bytes;

  private ClientVersion(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The version string of these bytes (copied).
   *
   * @throws IllegalArgumentException when not 1 to {@value #MAX_LENGTH} bytes
   */
  public static ClientVersion fromBytes(byte[] bytes) {
    if (bytes.length < 1 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a client version is 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
    }
    return new ClientVersion(bytes.clone());
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientVersion other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The printable two-letter client then the rest in hex: {@code ClientVersion[LT 0102]}. */
  @Override
  public String toString() {
    int letters = 0;
    while (letters < Math.min(2, bytes.length) && bytes[letters] > 0x20 && bytes[letters] < 0x7f) {
      letters++;
    }
    String client = new String(bytes, 0, letters, StandardCharsets.US_ASCII);
    String rest = HexFormat.of().formatHex(bytes, letters, bytes.length);
    return "ClientVersion[" + client + (client.isEmpty() || rest.isEmpty() ? "" : " ") + rest + "]";
  }
}
