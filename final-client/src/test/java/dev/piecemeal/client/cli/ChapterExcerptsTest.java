package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ChapterQuotes;
import dev.piecemeal.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output shown in the book matches a real run: each chapter's {@code <!-- excerpt: … -->} blocks
 * must appear in the golden files that tests write from real runs (here, {@code piecemeal info}'s
 * in {@code final-client/src/test/resources/golden/}). It lives in the final client because the
 * output it checks is the final client's.
 */
class ChapterExcerptsTest {

  static Stream<String> chapters() throws IOException {
    try (Stream<Path> docs = Files.list(ProjectRoot.resolve("docs"))) {
      return docs.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("\\d\\d-.*\\.md")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chapters")
  void showsOutputAsARealRunPrintsIt(String chapter) {
    assertThat(ChapterQuotes.excerptMismatches(chapter)).isEmpty();
  }
}
