package dev.piecemeal.client.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentScanTest {
  @TempDir Path folder;

  @Test
  void findsASingleFileWithAnEmptyPathInsideTheTorrent() throws Exception {
    Path file = Files.write(folder.resolve("song.mp3"), new byte[40_000]);
    Content content = ContentScan.of(file);
    assertThat(content.singleFile()).isTrue();
    assertThat(content.name()).isEqualTo("song.mp3");
    assertThat(content.files()).singleElement().satisfies(f -> {
      assertThat(f.path()).isEmpty();
      assertThat(f.length()).isEqualTo(40_000);
    });
  }

  @Test
  void listsAFolderByNameBytesOneComponentAtATime() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : List.of("é.txt", "z.txt", "a.txt", "a-b.txt", "a/b.txt", "Z.txt", ".hidden")) {
      files.put(name, new byte[] {1});
    }
    Content content = ContentScan.of(TestTrees.write(folder.resolve("photos"), files));
    assertThat(content.files()).extracting(ContentFile::relativePath)
        .as("folder \"a\" is a prefix of \"a-b.txt\", so all of it comes first; é is 0xc3 0xa9, after z")
        .containsExactly(".hidden", "Z.txt", "a/b.txt", "a-b.txt", "a.txt", "z.txt", "é.txt");
  }

  @Test
  void keepsZeroLengthAndHiddenFilesAndLeavesOutEmptyFolders() throws Exception {
    Path root = TestTrees.write(folder.resolve("tree"), Map.of(
        "data.bin", new byte[10], "deep/nested/empty.dat", new byte[0], ".config/hidden", new byte[3]));
    Files.createDirectories(root.resolve("nothing/here"));
    Content content = ContentScan.of(root);
    assertThat(content.files()).extracting(ContentFile::relativePath, ContentFile::length)
        .containsExactly(
            tuple(".config/hidden", 3L),
            tuple("data.bin", 10L),
            tuple("deep/nested/empty.dat", 0L));
    assertThat(content.totalLength()).isEqualTo(13);
  }

  @Test
  void givesTheSameOrderWhateverOrderTheFilesWereMadeIn() throws Exception {
    Map<String, byte[]> forward = new LinkedHashMap<>();
    Map<String, byte[]> backward = new LinkedHashMap<>();
    List<String> names = List.of("a/1", "a/2", "b", "c/d/e", "c/d/f", "ü");
    names.forEach(n -> forward.put(n, n.getBytes(StandardCharsets.UTF_8)));
    for (int i = names.size() - 1; i >= 0; i--) {
      backward.put(names.get(i), forward.get(names.get(i)));
    }
    List<String> one = ContentScan.of(TestTrees.write(folder.resolve("one/x"), forward)).files().stream()
        .map(ContentFile::relativePath).toList();
    List<String> two = ContentScan.of(TestTrees.write(folder.resolve("two/x"), backward)).files().stream()
        .map(ContentFile::relativePath).toList();
    assertThat(two).isEqualTo(one).containsExactlyElementsOf(names);
  }

  @Test
  void namesTheTorrentForTheFolderEvenWhenGivenAsDot() throws Exception {
    Path root = TestTrees.write(folder.resolve("my-folder"), Map.of("f", new byte[1]));
    Content content = ContentScan.of(root.resolve("."));
    assertThat(content.name()).isEqualTo("my-folder");
  }

  @Test
  void followsThePathItselfWhenItIsASymlinkAndNamesTheTorrentForTheLink() throws Exception {
    Path target = TestTrees.write(folder.resolve("release-1.2"), Map.of("f", new byte[5]));
    Path link = Files.createSymbolicLink(folder.resolve("latest"), target);
    Content content = ContentScan.of(link);
    assertThat(content.name()).isEqualTo("latest");
    assertThat(content.files()).extracting(ContentFile::relativePath).containsExactly("f");
  }

  @Nested
  class Refused {
    @Test
    void aMissingPath() {
      Path missing = folder.resolve("nope");
      assertRefused(missing, missing + ": no such file or folder");
    }

    @Test
    void aSymlinkToAFileInsideTheFolder() throws Exception {
      Path root = TestTrees.write(folder.resolve("tree"), Map.of("docs/real.txt", new byte[4]));
      Files.createSymbolicLink(root.resolve("docs/link.txt"), root.resolve("docs/real.txt"));
      assertRefused(root, root.resolve("docs/link.txt") + ": is a symbolic link; create refuses links"
          + " inside the folder (copy what it points to into the folder, or make the torrent of the link's target)");
    }

    @Test
    void aSymlinkToAFolderOrToNothing() throws Exception {
      Path root = TestTrees.write(folder.resolve("tree"), Map.of("b.txt", new byte[4]));
      Files.createSymbolicLink(root.resolve("a-loop"), root);
      assertThatThrownBy(() -> ContentScan.of(root)).hasMessageStartingWith(root.resolve("a-loop") + ": is a symbolic link");
      Files.delete(root.resolve("a-loop"));
      Files.createSymbolicLink(root.resolve("dangling"), folder.resolve("gone"));
      assertThatThrownBy(() -> ContentScan.of(root)).hasMessageStartingWith(root.resolve("dangling") + ": is a symbolic link");
    }

    @Test
    void anEmptyFolder() throws Exception {
      Files.createDirectories(folder.resolve("empty/and/more"));
      assertRefused(folder.resolve("empty"), folder.resolve("empty")
          + ": the folder holds no files; a torrent lists files, not empty folders");
    }

    @Test
    void aFolderOfOnlyEmptyFiles() throws Exception {
      Path root = TestTrees.write(folder.resolve("zeros"), Map.of("a", new byte[0], "b/c", new byte[0]));
      assertRefused(root, root + ": every file in the folder is empty (2 files, 0 bytes); a torrent needs at least one byte");
    }

    @Test
    void anEmptyFile() throws Exception {
      Path file = Files.write(folder.resolve("empty.txt"), new byte[0]);
      assertRefused(file, file + ": the file is empty; a torrent needs at least one byte");
    }

    @Test
    void aNameThatNoTorrentMayCarry() throws Exception {
      Path root = TestTrees.write(folder.resolve("tree"), Map.of("c:windows", new byte[1]));
      assertRefused(root, root.resolve("c:windows")
          + ": cannot be a name in a torrent: a Windows drive letter in \"c:windows\" is not allowed");
    }

    @Test
    void aNameThatIsNotUtf8() throws Exception {
      assumeThat(System.getProperty("sun.jnu.encoding")).as("Java reads file names as UTF-8").isEqualTo("UTF-8");
      Path root = TestTrees.write(folder.resolve("tree"), Map.of("a", new byte[1]));
      // Java cannot name such a file itself: the shell writes the Latin-1 byte 0xe9 of "café".
      int status = new ProcessBuilder("sh", "-c", "printf x > \"$1/caf$(printf '\\351')\"", "sh", root.toString())
          .start().waitFor();
      assumeThat(status).as("sh made the file").isZero();
      assertThatThrownBy(() -> ContentScan.of(root))
          .isInstanceOf(CreateException.class)
          .hasMessageStartingWith(root.resolve("caf").toString())
          .hasMessageEndingWith(": the name is not valid UTF-8, which a torrent's file names must be; rename it");
    }

    @Test
    void aPipe() throws Exception {
      Path root = TestTrees.write(folder.resolve("tree"), Map.of("a", new byte[1]));
      Path pipe = root.resolve("pipe");
      int status;
      try {
        status = new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor();
      } catch (java.io.IOException noMkfifo) {
        status = -1;
      }
      assumeThat(status).as("mkfifo is available").isZero();
      assertRefused(root, pipe + ": is not a regular file or a folder (a pipe, a socket or a device)");
    }

    private void assertRefused(Path path, String message) {
      assertThatThrownBy(() -> ContentScan.of(path))
          .isInstanceOfSatisfying(CreateException.class,
              e -> assertThat(e.kind()).isEqualTo(CreateException.Kind.REFUSED))
          .hasMessage(message);
    }
  }
}
