package dev.piecemeal.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the project's root folder (the reactor), for tests that read {@code samples/} or
 * {@code docs/}. The build passes it as {@code piecemeal.root}; outside Maven we walk up from the
 * working directory to the folder that holds {@code 01-bencode} and {@code pom.xml}.
 */
public final class ProjectRoot {
  private ProjectRoot() {}

  /** The root folder; fails with a clear message when it cannot be found. */
  public static Path path() {
    String property = System.getProperty("piecemeal.root");
    if (property != null && isRoot(Paths.get(property))) {
      return Paths.get(property).toAbsolutePath().normalize();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (isRoot(dir)) {
        return dir;
      }
    }
    throw new IllegalStateException("the project root (the folder with 01-bencode/ and pom.xml) was not found"
        + " above " + Paths.get("").toAbsolutePath() + " (or -Dpiecemeal.root=PATH)");
  }

  /** A file or folder inside the project. */
  public static Path resolve(String relative) {
    return path().resolve(relative);
  }

  private static boolean isRoot(Path dir) {
    return Files.isDirectory(dir.resolve("01-bencode")) && Files.isRegularFile(dir.resolve("pom.xml"));
  }
}
