package dev.piecemeal.client.cli;

import dev.piecemeal.client.StatusLine;
import java.util.Locale;

/**
 * Byte counts for people: exact and readable at once, {@code 230,400 bytes (225.0 KiB)}. The
 * readable half is the status line's {@link StatusLine#size}, so every command writes sizes alike.
 */
final class Sizes {
  private Sizes() {}

  /** {@code 283 bytes}, {@code 25,200 bytes (24.6 KiB)}: the same on every machine (Locale.ROOT). */
  static String exactAndReadable(long bytes) {
    String exact = String.format(Locale.ROOT, "%,d %s", bytes, bytes == 1 ? "byte" : "bytes");
    return bytes < 1024 ? exact : exact + " (" + StatusLine.size(bytes) + ")";
  }
}
