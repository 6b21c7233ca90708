package dev.piecemeal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the chapter and the code from drifting apart: every code block in {@code docs/04-handshake.md}
 * that follows a marker {@code <!-- snippet: PATH#TAG -->} must equal the region of PATH between
 * {@code // tag::TAG[]} and {@code // end::TAG[]}, indentation removed. Edit the code, and this test
 * tells you which quote in the chapter to update.
 */
class ChapterSnippetsTest {
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

  @Test
  void everyQuotedBlockMatchesItsTaggedRegion() throws IOException {
    Path chapter = ProjectRoot.resolve("docs/04-handshake.md");
    List<String> lines = Files.readAllLines(chapter);
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher marker = MARKER.matcher(lines.get(i).strip());
      if (!marker.matches()) {
        continue;
      }
      assertThat(lines.get(i + 1)).as("line %d of %s opens a code block", i + 2, chapter).startsWith("```");
      List<String> quoted = new ArrayList<>();
      for (int j = i + 2; !lines.get(j).startsWith("```"); j++) {
        quoted.add(lines.get(j));
      }
      assertThat(String.join("\n", quoted))
          .as("the block after line %d of %s quotes %s#%s", i + 1, chapter, marker.group(1), marker.group(2))
          .isEqualTo(String.join("\n", taggedRegion(ProjectRoot.resolve(marker.group(1)), marker.group(2))));
      checked++;
    }
    assertThat(checked).as("snippets checked in %s", chapter).isPositive();
  }

  /** The lines between the tag's markers, with their common indentation removed. */
  static List<String> taggedRegion(Path source, String tag) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int start = indexOf(lines, "// tag::" + tag + "[]", source);
    int end = indexOf(lines, "// end::" + tag + "[]", source);
    List<String> region = lines.subList(start + 1, end);
    int indent = region.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    List<String> dedented = new ArrayList<>();
    for (String line : region) {
      dedented.add(line.isBlank() ? "" : line.substring(indent));
    }
    return dedented;
  }

  private static int indexOf(List<String> lines, String marker, Path source) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError(marker + " not found in " + source);
  }
}
