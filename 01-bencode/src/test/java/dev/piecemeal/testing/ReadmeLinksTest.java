package dev.piecemeal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every README in the project (the root's, each module's, docs/, interop/, samples/) links only to
 * files that exist: the chapters' link check, run over the indexes from idea to file. It runs with
 * chapter 1's tests, which every module's build ({@code mvn -pl 0N-x -am test}) includes.
 */
class ReadmeLinksTest {

  @Test
  void everyReadmeLinksOnlyToFilesThatExist() throws IOException {
    Path root = ProjectRoot.path();
    List<String> readmes = readmes(root);
    List<String> problems = new ArrayList<>();
    for (String readme : readmes) {
      problems.addAll(ChapterQuotes.brokenLinks(root, readme));
    }
    assertThat(readmes).as("the READMEs found under %s", root)
        .contains("README.md", "01-bencode/README.md", "final-client/README.md", "interop/README.md");
    assertThat(problems).as("broken links in %s", readmes).isEmpty();
  }

  /** The check can fail: a link to a missing file is reported, web links and anchors are not. */
  @Test
  void reportsARelativeLinkToAFileThatDoesNotExist(@TempDir Path folder) throws IOException {
    Files.createDirectories(folder.resolve("module/src"));
    Files.writeString(folder.resolve("module/src/Here.java"), "class Here {}\n");
    Files.writeString(folder.resolve("module/README.md"), String.join("\n",
        "[`Here`](src/Here.java), [the book](../docs/01-x.md#try-it),",
        "[BEP 3](https://www.bittorrent.org/beps/bep_0003.html), [below](#run-the-tests)", ""));

    assertThat(ChapterQuotes.brokenLinks(folder, "module/README.md"))
        .containsExactly("module/README.md links to ../docs/01-x.md, which does not exist");
  }

  /** Every README.md below the root, relative to it; build output and dot-folders are not entered. */
  private static List<String> readmes(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
        String name = dir.getFileName().toString();
        boolean skipped = !dir.equals(root) && (name.startsWith(".") || name.equals("target"));
        return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        if (file.getFileName().toString().equals("README.md")) {
          found.add(root.relativize(file).toString().replace('\\', '/'));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    found.sort(null);
    return found;
  }
}
