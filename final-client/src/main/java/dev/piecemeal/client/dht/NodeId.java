package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.InfoHash;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;

/**
 * A DHT node's name: 160 bits, the same size as an info-hash, so that nodes and torrents live in
 * one space (BEP 5, "overview"). Closeness is the XOR of two ids read as an unsigned number: the
 * more leading bits two ids share, the closer they are.
 *
 * <pre>
 * a        = 1f 00 ... 00
 * b        = 1e ff ... ff
 * a XOR b  = 01 ff ... ff     7 leading zero bits: a and b share a 7-bit prefix
 * </pre>
 *
 * <p>Byte-string manners, as {@link InfoHash}: {@link #fromBytes} and {@link #fromHex} name their
 * input, {@link #bytes()} and {@link #hex()} their output. Why not {@code java.math.BigInteger}: a
 * distance is compared byte by byte with no allocation ({@link #closerTo}), and an id stays exactly
 * 20 bytes, where a BigInteger drops leading zeros.
 */
public final class NodeId {
  /** Node ids are 20 bytes, 160 bits. */
  public static final int LENGTH = 20;
  /** The number of bits in an id. */
  public static final int BITS = LENGTH * 8;

  private final byte[] bytes;

  private NodeId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The id of these 20 bytes (copied). */
  public static NodeId fromBytes(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a node id is " + LENGTH + " bytes, not " + bytes.length);
    }
    return new NodeId(bytes.clone());
  }

  /** The id written as 40 hex digits. */
  public static NodeId fromHex(String hex) {
    if (hex.length() != LENGTH * 2) {
      throw new IllegalArgumentException(
          "a node id is " + LENGTH * 2 + " hex digits, not " + hex.length());
    }
    return new NodeId(HexFormat.of().parseHex(hex));
  }

  /** The point of the id space where a torrent's peers are stored: its info-hash (BEP 5). */
  public static NodeId fromInfoHash(InfoHash infoHash) {
    return new NodeId(infoHash.bytes());
  }

  /** A random id: our own id at first start, from a generator the caller chooses. */
  public static NodeId random(Random random) {
    byte[] id = new byte[LENGTH];
    random.nextBytes(id);
    return new NodeId(id);
  }

  /**
   * A random id whose first {@code prefixBits} bits are those of {@code prefix}: a target inside
   * the part of the id space a bucket covers, for refreshing it (BEP 5, "routing table").
   */
  public static NodeId randomWithPrefix(NodeId prefix, int prefixBits, Random random) {
    if (prefixBits < 0 || prefixBits > BITS) {
      throw new IllegalArgumentException("prefix of " + prefixBits + " bits is not in 0.." + BITS);
    }
    byte[] id = new byte[LENGTH];
    random.nextBytes(id);
    for (int bit = 0; bit < prefixBits; bit++) {
      int mask = 0x80 >>> (bit % 8);
      id[bit / 8] = (byte) ((id[bit / 8] & ~mask) | (prefix.bytes[bit / 8] & mask));
    }
    return new NodeId(id);
  }

  /** This id with bit {@code bit} (0 is the most significant) flipped. */
  public NodeId withBitFlipped(int bit) {
    if (bit < 0 || bit >= BITS) {
      throw new IllegalArgumentException("bit " + bit + " is not in 0.." + (BITS - 1));
    }
    byte[] id = bytes.clone();
    id[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    return new NodeId(id);
  }

  /** A copy of the 20 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 40 lowercase hex digits. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * How many leading bits this id shares with {@code other}: 0 to 160. The routing table files a
   * node by this number (its bucket), and the XOR distance has exactly this many leading zeros.
   */
  public int commonPrefixLength(NodeId other) {
    for (int i = 0; i < LENGTH; i++) {
      int xor = (bytes[i] ^ other.bytes[i]) & 0xff;
      if (xor != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(xor) - 24;
      }
    }
    return BITS;
  }

  /** The XOR distance to {@code other}, itself 160 bits: for showing, comparing is {@link #closerTo}. */
  public NodeId distanceTo(NodeId other) {
    byte[] xor = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      xor[i] = (byte) (bytes[i] ^ other.bytes[i]);
    }
    return new NodeId(xor);
  }

  /**
   * Negative when {@code a} is closer to this id than {@code b}, zero when they are the same id,
   * positive when farther: the XOR distances compared as unsigned numbers, byte by byte.
   */
  public int closerTo(NodeId a, NodeId b) {
    for (int i = 0; i < LENGTH; i++) {
      int da = (a.bytes[i] ^ bytes[i]) & 0xff;
      int db = (b.bytes[i] ^ bytes[i]) & 0xff;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  /** Orders ids from the closest to {@code target} to the farthest. */
  public static Comparator<NodeId> byDistanceTo(NodeId target) {
    return target::closerTo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Short, for logs: {@code NodeId[1f00ab34…]}. */
  @Override
  public String toString() {
    return "NodeId[" + hex().substring(0, 8) + "…]";
  }
}
