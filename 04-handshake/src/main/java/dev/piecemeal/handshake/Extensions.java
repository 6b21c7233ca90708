package dev.piecemeal.handshake;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The handshake's 8 reserved bytes, read as extension flags (BEP 3 reserves them; BEP 5, 6 and 10
 * each claim a bit, see {@link Extension}). Kept whole, unknown bits included, so a handshake
 * decodes and encodes back to the same 68 bytes.
 *
 * <p>The 8 bytes are held as one {@code long}, first byte highest (big-endian, as on the wire):
 * reserved bytes {@code 00 00 00 00 00 10 00 05} are {@code 0x0000_0000_0010_0005L}.
 *
 * @param bits the 8 reserved bytes as a big-endian long
 */
public record Extensions(long bits) {

  private static final Extensions NONE = new Extensions(0);

  /** All 8 bytes zero: what a client that supports no extension sends. */
  public static Extensions none() {
    return NONE;
  }

  /** The flags of these extensions set, every other bit zero. */
  public static Extensions of(Extension... extensions) {
    Extensions result = NONE;
    for (Extension extension : extensions) {
      result = result.with(extension);
    }
    return result;
  }

  /** The 8 reserved bytes as they are on the wire. */
  public static Extensions fromBytes(byte[] reserved) {
    if (reserved.length != 8) {
      throw new IllegalArgumentException("the reserved field is 8 bytes, not " + reserved.length);
    }
    long bits = 0;
    for (byte b : reserved) {
      bits = bits << 8 | (b & 0xff);
    }
    return new Extensions(bits);
  }

  /** The 8 bytes to put on the wire. */
  public byte[] bytes() {
    byte[] reserved = new byte[8];
    for (int i = 0; i < 8; i++) {
      reserved[i] = (byte) (bits >>> (8 * (7 - i)));
    }
    return reserved;
  }

  /** True when the peer set this extension's bit. */
  public boolean has(Extension extension) {
    return (bits & bitOf(extension)) != 0;
  }

  /** A copy with this extension's bit set. */
  public Extensions with(Extension extension) {
    return new Extensions(bits | bitOf(extension));
  }

  /** The extensions we have names for that are set, in BEP order. */
  public Set<Extension> named() {
    Set<Extension> named = EnumSet.noneOf(Extension.class);
    for (Extension extension : Extension.values()) {
      if (has(extension)) {
        named.add(extension);
      }
    }
    return named;
  }

  /** The bits set that no {@link Extension} names (other BEPs, or client-specific flags). */
  public long unnamedBits() {
    long unnamed = bits;
    for (Extension extension : Extension.values()) {
      unnamed &= ~bitOf(extension);
    }
    return unnamed;
  }

  /** Where an extension's bit sits in the big-endian long: byte 7 is the lowest 8 bits. */
  private static long bitOf(Extension extension) {
    return (long) extension.mask() << (8 * (7 - extension.byteIndex()));
  }

  /**
   * The named extensions, {@code BEP5-DHT, BEP6-fast, BEP10-extension-protocol}, or {@code none}.
   * Unnamed bits are not listed; {@link #unnamedBits()} has them.
   */
  @Override
  public String toString() {
    List<String> tokens = new ArrayList<>();
    for (Extension extension : named()) {
      tokens.add(extension.token());
    }
    return tokens.isEmpty() ? "none" : String.join(", ", tokens);
  }
}
