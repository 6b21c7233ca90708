package dev.piecemeal.handshake;

/**
 * A protocol extension a peer can advertise by setting one bit in the handshake's 8 reserved bytes.
 * Each BEP that needed a flag took one bit; the byte and mask below are where the BEP put it
 * (bytes numbered 0 to 7 from the start of the reserved field).
 *
 * <pre>
 * reserved:  00 00 00 00 00 10 00 05
 *                           |     |
 *                           |     +-- byte 7: 0x04 fast extension (BEP 6) | 0x01 DHT (BEP 5)
 *                           +-------- byte 5: 0x10 extension protocol (BEP 10)
 * </pre>
 */
public enum Extension {
  /** BEP 5: the peer runs a DHT node and will send a PORT message with its UDP port. */
  DHT(7, 0x01, "BEP5-DHT"),
  /** BEP 6: HAVE ALL, HAVE NONE, SUGGEST, REJECT and ALLOWED FAST messages. */
  FAST(7, 0x04, "BEP6-fast"),
  /** BEP 10: an extended handshake follows, naming further extensions (metadata, PEX) by name. */
  EXTENSION_PROTOCOL(5, 0x10, "BEP10-extension-protocol");

  private final int byteIndex;
  private final int mask;
  private final String token;

  Extension(int byteIndex, int mask, String token) {
    this.byteIndex = byteIndex;
    this.mask = mask;
    this.token = token;
  }

  /** Which of the 8 reserved bytes holds the bit, 0 first. */
  public int byteIndex() {
    return byteIndex;
  }

  /** The bit within that byte. */
  public int mask() {
    return mask;
  }

  /** The name Piecemeal prints for it: {@code BEP5-DHT}, {@code BEP6-fast}, {@code BEP10-extension-protocol}. */
  public String token() {
    return token;
  }
}
