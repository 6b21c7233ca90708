package dev.piecemeal.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the shared test corpus, {@code ../shared/corpus} beside the project root. The build passes
 * the path as the system property {@code piecemeal.corpus}; when a test runs outside Maven, we walk
 * up from the working directory. A missing corpus fails the test: a test that skips silently can
 * never fail.
 */
public final class Corpus {
  private Corpus() {}

  /** The corpus folder; fails with a clear message when it cannot be found. */
  public static Path root() {
    String property = System.getProperty("piecemeal.corpus");
    if (property != null && Files.isDirectory(Paths.get(property))) {
      return Paths.get(property).normalize();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/corpus").normalize();
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "the shared test corpus was not found: expected ../shared/corpus beside the project root"
            + " (or -Dpiecemeal.corpus=PATH)");
  }

  /** A file or folder inside the corpus. */
  public static Path resolve(String relative) {
    return root().resolve(relative);
  }
}
