package dev.piecemeal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: a readable {@code .expected.txt} kept in the source tree beside the test that
 * checks it. A test renders what it sees and compares; run with {@code -Dgolden.update=true} to
 * rewrite the files instead, then review the change with {@code git diff} like any other.
 */
public final class GoldenFiles {
  private GoldenFiles() {}

  /** Compares {@code actual} with the golden file, or rewrites it under {@code -Dgolden.update=true}. */
  public static void check(Path golden, String actual) {
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(golden).as("golden file %s is missing: run the test with -Dgolden.update=true", golden).exists();
      assertThat(actual)
          .as("%s differs; if the change is intended, rerun with -Dgolden.update=true and review the diff", golden)
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The classic hex dump of the first {@code count} bytes, 16 a line:
   * {@code 00000000  64 38 3a 61 6e 6e 6f 75  6e 63 65 33 35 3a 68 74  |d8:announce35:ht|}.
   */
  public static String hexDump(byte[] bytes, int count) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(count, bytes.length);
    for (int line = 0; line < end; line += 16) {
      out.append(String.format("%08x", line));
      StringBuilder ascii = new StringBuilder();
      for (int i = line; i < line + 16; i++) {
        out.append(i % 8 == 0 ? "  " : " ");
        if (i < end) {
          int b = bytes[i] & 0xff;
          out.append(String.format("%02x", b));
          ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        } else {
          out.append("  ");
        }
      }
      out.append("  |").append(ascii).append("|\n");
    }
    return out.toString();
  }
}
