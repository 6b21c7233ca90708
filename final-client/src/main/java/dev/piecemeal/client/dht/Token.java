package dev.piecemeal.client.dht;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The write token of BEP 5 ("get_peers"): a short byte string a node hands out with its answer to
 * {@code get_peers}, which the asker must send back in its {@code announce_peer} to the same node.
 * It proves the announcer can receive at the address it announces from, so nobody can announce a
 * stranger's address. To everyone but the node that made it, a token is opaque bytes.
 *
 * <p>Our own are {@value Tokens#LENGTH} bytes ({@link Tokens}); libtorrent's are 4, BEP 5's example
 * is 8, and a whole SHA-1, as BEP 5 describes BitTorrent's, would be 20. We accept 1 to
 * {@value #MAX_LENGTH} bytes from others: more than any of them, and a bound on what we keep and
 * send back.
 */
public final class Token {
  /** The longest token accepted from another node. */
  public static final int MAX_LENGTH = 32;

  private final byte[] bytes;

  private Token(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The token of these bytes (copied).
   *
   * @throws IllegalArgumentException when not 1 to {@value #MAX_LENGTH} bytes
   */
  public static Token fromBytes(byte[] bytes) {
    if (bytes.length < 1 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a token is 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
    }
    return new Token(bytes.clone());
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The bytes in lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * True when this token has the bytes of {@code expected}, compared in time that does not depend
   * on where they differ: a token checked with an early-exit compare leaks, to a patient attacker
   * with a clock, how many of its leading bytes are right.
   */
  boolean matches(byte[] expected) {
    return MessageDigest.isEqual(bytes, expected);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Token other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The bytes in hex: BEP 5's example token {@code aoeusnth} is {@code Token[616f657573...]}. */
  @Override
  public String toString() {
    return "Token[" + hex() + "]";
  }
}
