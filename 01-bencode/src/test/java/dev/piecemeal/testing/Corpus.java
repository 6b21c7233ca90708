package dev.piecemeal.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the test corpus, {@code samples/corpus} inside the project (see {@code samples/README.md}
 * for where it came from). The build passes its path as the system property {@code
 * piecemeal.corpus}; when a test runs outside Maven, we walk up from the working directory to the
 * project root, the folder that holds {@code .mvn/} and {@code pom.xml}. Nothing outside the
 * project is looked at, so a fresh clone passes its tests with nothing beside it. A missing corpus
 * fails the test: a test that skips silently can never fail.
 */
public final class Corpus {
  private Corpus() {}

  /** The corpus folder; fails with a message that says where it looked when it cannot be found. */
  public static Path root() {
    List<String> looked = new ArrayList<>();
    String property = System.getProperty("piecemeal.corpus");
    if (property != null && !property.isBlank()) {
      Path fromBuild = Paths.get(property).toAbsolutePath().normalize();
      if (Files.isDirectory(fromBuild)) {
        return fromBuild;
      }
      looked.add(fromBuild + " (the build's piecemeal.corpus)");
    }
    Path start = Paths.get("").toAbsolutePath();
    Path projectRoot = projectRootAbove(start);
    if (projectRoot == null) {
      looked.add("no project root (a folder with .mvn/ and pom.xml) above " + start);
    } else {
      Path inProject = projectRoot.resolve("samples/corpus");
      if (Files.isDirectory(inProject)) {
        return inProject;
      }
      looked.add(inProject + " (samples/corpus under the project root)");
    }
    throw new IllegalStateException(
        "the test corpus was not found; looked for it in: " + String.join("; ", looked));
  }

  private static Path projectRootAbove(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".mvn")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    return null;
  }

  /** A file or folder inside the corpus. */
  public static Path resolve(String relative) {
    return root().resolve(relative);
  }
}
