package dev.piecemeal.client.dht;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A KRPC message's {@code t}: a short byte string the querying node chooses and the queried node
 * echoes in its response or error, so that the querier can tell which query is answered (BEP 5,
 * "KRPC protocol").
 *
 * <pre>
 * 1:t 2:aa       the transaction id "aa" (0x6161), BEP 5's examples
 * </pre>
 *
 * <p>BEP 5 says the id is "typically 2 characters"; libtorrent sends 2 bytes, jech/dht (the DHT of
 * Transmission) 4. We accept 1 to {@value #MAX_LENGTH} bytes: room for any of them, and a bound on
 * what a stranger can make us echo back.
 */
public final class TransactionId {
  /** The longest transaction id accepted. */
  public static final int MAX_LENGTH = 16;

  private final byte[] bytes;

  private TransactionId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The transaction id of these bytes (copied).
   *
   * @throws IllegalArgumentException when not 1 to {@value #MAX_LENGTH} bytes
   */
  public static TransactionId fromBytes(byte[] bytes) {
    if (bytes.length < 1 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a transaction id is 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
    }
    return new TransactionId(bytes.clone());
  }

  /** A two-byte id from a counter, as libtorrent makes them: 0 is {@code 0000}, 258 is {@code 0102}. */
  public static TransactionId ofShort(int counter) {
    return new TransactionId(new byte[] {(byte) (counter >>> 8), (byte) counter});
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes in lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** {@code TransactionId[6161]}. */
  @Override
  public String toString() {
    return "TransactionId[" + hex() + "]";
  }
}
