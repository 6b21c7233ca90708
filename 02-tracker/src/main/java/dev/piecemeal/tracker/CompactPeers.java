package dev.piecemeal.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The compact peer list: each peer is its address's bytes then its port, big-endian, with nothing
 * between entries. Six bytes for IPv4 (BEP 23, the {@code peers} string; BEP 15's announce
 * response), eighteen for IPv6 (BEP 7, {@code peers6}).
 *
 * <pre>
 * 7f 00 00 01 | 1a e1      127.0.0.1:6881
 * c0 00 02 07 | c8 d5      192.0.2.7:51413
 *
 * 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 | 1a e1   [2001:db8::1]:6881
 * </pre>
 *
 * <p>An entry with port 0 cannot be dialled and is dropped; a length that is not a whole number of
 * entries means the tracker sent something else, and the whole list is refused.
 */
public final class CompactPeers {
  /** Bytes per IPv4 entry: 4 address + 2 port. */
  public static final int IPV4_ENTRY = 6;
  /** Bytes per IPv6 entry: 16 address + 2 port. */
  public static final int IPV6_ENTRY = 18;

  private CompactPeers() {}

  /**
   * Reads {@code length} bytes of entries starting at {@code offset}, each {@code entrySize} bytes
   * ({@link #IPV4_ENTRY} or {@link #IPV6_ENTRY}), into {@code into}.
   *
   * @param field what the bytes are, for the error message ("'peers'", "'peers6'")
   * @param trackerUrl where they came from, for the error message
   * @throws TrackerException when {@code length} is not a multiple of the entry size
   */
  static void decode(
      byte[] bytes, int offset, int length, int entrySize, String field, String trackerUrl,
      PeerList into) throws TrackerException {
    if (length % entrySize != 0) {
      throw new TrackerException(
          trackerUrl,
          field + " is " + length + " bytes, not a multiple of " + entrySize + " (one peer each)");
    }
    int addressSize = entrySize - 2;
    // The loop is bounded by the bytes we hold, which the caller has already bounded.
    for (int at = offset; at < offset + length && !into.isFull(); at += entrySize) {
      byte[] address = new byte[addressSize];
      System.arraycopy(bytes, at, address, 0, addressSize);
      int port = ((bytes[at + addressSize] & 0xff) << 8) | (bytes[at + addressSize + 1] & 0xff);
      if (port == 0) {
        into.drop();
        continue;
      }
      into.add(new PeerAddress(fromBytes(address), port));
    }
  }

  /** 4 or 16 raw bytes as an address; {@link InetAddress#getByAddress} makes no DNS lookup. */
  private static InetAddress fromBytes(byte[] address) {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }
}
