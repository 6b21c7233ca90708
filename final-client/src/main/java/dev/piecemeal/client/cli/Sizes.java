package dev.piecemeal.client.cli;

import java.util.Locale;

/** Byte counts for people: exact and readable at once, {@code 230,400 bytes (225.0 KiB)}. */
final class Sizes {
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Sizes() {}

  /** {@code 283 bytes}, {@code 25,200 bytes (24.6 KiB)}: the same on every machine (Locale.ROOT). */
  static String exactAndReadable(long bytes) {
    String exact = String.format(Locale.ROOT, "%,d %s", bytes, bytes == 1 ? "byte" : "bytes");
    return bytes < 1024 ? exact : exact + " (" + readable(bytes) + ")";
  }

  /** Binary units, one decimal: {@code 24.6 KiB}, {@code 4.9 GiB}. */
  static String readable(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
