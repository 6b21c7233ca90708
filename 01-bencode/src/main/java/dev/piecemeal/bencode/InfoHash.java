package dev.piecemeal.bencode;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A torrent's identity: the SHA-1 of its {@code info} dictionary's bytes exactly as they are in the
 * .torrent file (BEP 3, "metainfo files"). Trackers and peers know a torrent only by these 20 bytes.
 *
 * <p>Byte-string manners: {@link #fromBytes} and {@link #fromHex} name their input, {@link #bytes()}
 * and {@link #hex()} name their output, and {@code bytes()} returns a copy.
 */
public final class InfoHash {
  /** SHA-1 digests are 20 bytes. */
  public static final int LENGTH = 20;

  private final byte[] bytes;

  private InfoHash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The info-hash of these 20 bytes (copied). */
  public static InfoHash fromBytes(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "an info-hash is " + LENGTH + " bytes, not " + bytes.length);
    }
    return new InfoHash(bytes.clone());
  }

  /** The info-hash written as 40 hex digits, upper or lower case. */
  public static InfoHash fromHex(String hex) {
    if (hex.length() != LENGTH * 2) {
      throw new IllegalArgumentException(
          "an info-hash is " + LENGTH * 2 + " hex digits, not " + hex.length());
    }
    return new InfoHash(HexFormat.of().parseHex(hex));
  }

  /** A copy of the 20 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 40 lowercase hex digits, as clients and trackers print it. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Short, for logs: {@code InfoHash[d8f739ce…]}. */
  @Override
  public String toString() {
    return "InfoHash[" + hex().substring(0, 8) + "…]";
  }
}
