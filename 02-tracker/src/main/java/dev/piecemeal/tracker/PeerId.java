package dev.piecemeal.tracker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The 20 bytes a client calls itself by, in announces and in the handshake (BEP 3, "peer id").
 * Piecemeal uses the common Azureus style: a dash, two letters for the client, four characters of
 * version, a dash, then twelve random bytes, made once per run.
 *
 * <pre>
 * -PM0100-  | 12 random bytes
 * client PM, version 0.1.0 (major, minor, patch, build)
 * </pre>
 *
 * <p>The peer id first appears in chapter 2, because an announce must carry one; chapter 3 makes
 * the connections that it names.
 */
public final class PeerId {
  /** Peer ids are exactly 20 bytes. */
  public static final int LENGTH = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Our own peer id for this run: {@code -PM} + version + {@code -} + 12 random bytes. */
  public static PeerId random() {
    byte[] id = new byte[LENGTH];
    byte[] prefix = ("-PM" + versionDigits(buildVersion()) + "-").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, id, 0, prefix.length);
    byte[] tail = new byte[LENGTH - prefix.length];
    RANDOM.nextBytes(tail);
    System.arraycopy(tail, 0, id, prefix.length, tail.length);
    return new PeerId(id);
  }

  /** The peer id of these 20 bytes (copied), as received from a tracker or in a handshake. */
  public static PeerId fromBytes(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a peer id is " + LENGTH + " bytes, not " + bytes.length);
    }
    return new PeerId(bytes.clone());
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
   * The leading printable ASCII characters (up to 8), which name the client in the Azureus style:
   * {@code -TR3000-}. Empty when the id starts with a byte that is not printable.
   */
  public String printablePrefix() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8 && bytes[i] >= 0x20 && bytes[i] < 0x7f; i++) {
      out.append((char) bytes[i]);
    }
    return out.toString();
  }

  /**
   * The whole id with printable ASCII kept and every other byte written {@code %XX}, the way
   * trackers log peer ids: {@code -TR3000-%A1b%00...}.
   */
  public String printable() {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      if (b >= 0x20 && b < 0x7f && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  /** The version of this build, from {@code version.properties}; "0.0.0" when run from classes. */
  static String buildVersion() {
    try (InputStream in = PeerId.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "0.0.0";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "0.0.0");
      return version.startsWith("${") ? "0.0.0" : version;
    } catch (IOException e) {
      return "0.0.0";
    }
  }

  /**
   * Four version characters from "major.minor.patch[-qualifier]": one digit each for major,
   * minor and patch, then 0. Numbers above 9 are written as letters from A, as Azureus-style
   * clients do.
   */
  static String versionDigits(String version) {
    String[] parts = version.split("[.-]");
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      int n = 0;
      if (i < parts.length) {
        try {
          n = Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
          n = 0;
        }
      }
      digits.append(Character.toUpperCase(Character.forDigit(Math.min(Math.max(n, 0), 35), 36)));
    }
    return digits.append('0').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Short, for logs: {@code PeerId[-PM0100-]}. */
  @Override
  public String toString() {
    return "PeerId[" + printablePrefix() + "]";
  }
}
