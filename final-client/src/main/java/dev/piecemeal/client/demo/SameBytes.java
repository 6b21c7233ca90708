package dev.piecemeal.client.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's last check, independent of BitTorrent: the downloaded folder holds the same files as
 * the original, byte for byte. The download already checked every piece's SHA-1; this compares
 * the bytes themselves with {@link Files#mismatch}, and the list of files, so that a file the
 * torrent left out or put in the wrong place would be caught too.
 */
final class SameBytes {
  private SameBytes() {}

  /**
   * What was compared: {@code 5 files, 8,388,608 bytes}.
   *
   * @param files how many files (empty ones too)
   * @param bytes their bytes in all
   */
  record Compared(int files, long bytes) {}

  /**
   * Checks that {@code copy} has exactly the files of {@code original}, each with the same bytes.
   *
   * @throws DemoException naming the first file that is missing, extra or different, and where
   */
  static Compared check(Path original, Path copy) throws DemoException {
    List<Path> originals = files(original);
    List<Path> copies = files(copy);
    for (Path file : originals) {
      if (!copies.contains(file)) {
        throw new DemoException(copy.resolve(file) + " is missing from the download");
      }
    }
    for (Path file : copies) {
      if (!originals.contains(file)) {
        throw new DemoException(copy.resolve(file) + " is in the download but not in the original");
      }
    }
    long bytes = 0;
    for (Path file : originals) {
      try {
        long at = Files.mismatch(original.resolve(file), copy.resolve(file));
        if (at >= 0) {
          throw new DemoException(copy.resolve(file) + " differs from the original from byte " + at);
        }
        bytes += Files.size(original.resolve(file));
      } catch (IOException e) {
        throw new DemoException("cannot compare " + copy.resolve(file) + ": " + e.getMessage(), e);
      }
    }
    return new Compared(originals.size(), bytes);
  }

  /** The regular files below {@code folder}, relative to it, sorted. */
  private static List<Path> files(Path folder) throws DemoException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).map(folder::relativize).sorted().toList();
    } catch (IOException e) {
      throw new DemoException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
