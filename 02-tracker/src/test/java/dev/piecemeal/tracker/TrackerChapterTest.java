package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.ProjectRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/02-tracker.md honest: every code block it quotes, marked by a line
 * {@code <!-- snippet: 02-tracker/src/main/java/.../File.java#tag -->} right before the fence, must
 * equal the region between {@code // tag::tag[]} and {@code // end::tag[]} in that file (without
 * the region's common indentation); every tagged region is quoted; every relative link resolves.
 */
class TrackerChapterTest {
  private static final Pattern QUOTE =
      Pattern.compile("<!-- (?:snippet|quote): ([^#\\s]+)#([\\w-]+) -->\\R```\\w*\\R(.*?)```", Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("// tag::([\\w-]+)\\[\\]");
  private static final Pattern LINK = Pattern.compile("\\]\\((\\.\\./[^)#\\s]+)(#[^)]*)?\\)");

  private final Path root = ProjectRoot.path();
  private final String chapter = read(root.resolve("docs/02-tracker.md"));

  @Test
  void quotesEachTaggedRegionAsTheCodeHasIt() throws IOException {
    List<String> quoted = new ArrayList<>();
    Matcher quote = QUOTE.matcher(chapter);
    while (quote.find()) {
      String file = quote.group(1);
      String tag = quote.group(2);
      quoted.add(file + "#" + tag);
      assertThat(region(read(root.resolve(file)), tag))
          .as("docs/02-tracker.md quotes %s#%s; copy the region again", file, tag)
          .isEqualTo(quote.group(3));
    }
    assertThat(quoted).as("the chapter quotes some code").isNotEmpty();

    try (Stream<Path> sources = Files.walk(root.resolve("02-tracker/src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        String file = root.relativize(source).toString().replace('\\', '/');
        Matcher tag = TAG.matcher(read(source));
        while (tag.find()) {
          assertThat(quoted).as("%s tags %s for the chapter to quote", file, tag.group(1))
              .contains(file + "#" + tag.group(1));
        }
      }
    }
  }

  @Test
  void linksOnlyToFilesThatExist() {
    Matcher link = LINK.matcher(chapter);
    while (link.find()) {
      assertThat(root.resolve("docs").resolve(link.group(1)).normalize())
          .as("docs/02-tracker.md links to %s", link.group(1)).exists();
    }
  }

  /** The lines between the tags, tag lines left out, common indentation removed; null if no such tag. */
  private static String region(String source, String tag) {
    List<String> lines = new ArrayList<>();
    boolean inside = false;
    for (String line : source.split("\\R", -1)) {
      if (line.contains("// tag::" + tag + "[]")) {
        inside = true;
      } else if (line.contains("// end::" + tag + "[]")) {
        int indent = lines.stream().filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return out.toString();
      } else if (inside) {
        lines.add(line);
      }
    }
    return null;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
