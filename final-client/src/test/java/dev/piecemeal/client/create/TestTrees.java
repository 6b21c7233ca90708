package dev.piecemeal.client.create;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Folders of files made in the test, so that a reader sees the input:
 * {@code TestTrees.write(folder, Map.of("docs/readme.md", bytes(7777, 1)))}.
 */
final class TestTrees {
  private TestTrees() {}

  /** {@code length} reproducible random bytes. */
  static byte[] bytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes each "folder/file" of {@code files} below {@code root}, in the map's iteration order. */
  static Path write(Path root, Map<String, byte[]> files) throws IOException {
    Files.createDirectories(root);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
    }
    return root;
  }
}
