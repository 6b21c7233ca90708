package dev.piecemeal.client.cli;

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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The book quotes code by name, never by copy-and-forget. A chapter marks a quote with
 *
 * <pre>
 * &lt;!-- snippet: 01-bencode/src/main/java/dev/piecemeal/bencode/BencodeDecoder.java#byte-string --&gt;
 * ```java
 * ...the region between // tag::byte-string[] and // end::byte-string[]...
 * ```
 * </pre>
 *
 * and this test fails when the quoted block no longer matches the tagged region (tag lines left
 * out, common indentation removed), when a tagged region is quoted by no chapter (checked for a
 * module once its chapter {@code docs/<module>.md} exists), or when a link in the docs or a module
 * README points at a file that is not there.
 */
class DocsSnippetsTest {
  private static final Pattern SNIPPET = Pattern.compile("<!--\\s*snippet:\\s*(\\S+)#(\\S+)\\s*-->");
  private static final Pattern TAG = Pattern.compile("//\\s*tag::([\\w-]+)\\[\\]");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  record Quote(Path chapter, String file, String tag, String block) {}

  @Test
  void everyQuotedBlockMatchesItsTaggedRegion() throws IOException {
    List<Quote> quotes = quotes();
    assertThat(quotes).as("the book quotes at least one tagged region").isNotEmpty();
    for (Quote quote : quotes) {
      Path source = ProjectRoot.resolve(quote.file());
      assertThat(source).as("%s quotes a file that does not exist", quote.chapter()).isRegularFile();
      assertThat(quote.block())
          .as("%s quotes %s#%s; update the chapter to match the code", quote.chapter().getFileName(),
              quote.file(), quote.tag())
          .isEqualTo(region(source, quote.tag()));
    }
  }

  @Test
  void everyTaggedRegionIsQuotedByAChapter() throws IOException {
    List<String> quoted = quotes().stream().map(q -> q.file() + "#" + q.tag()).collect(Collectors.toList());
    Path root = ProjectRoot.path();
    try (Stream<Path> sources = Files.walk(root)) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/")).collect(Collectors.toList())) {
        String relative = root.relativize(source).toString().replace('\\', '/');
        // A module's tags wait for its chapter: 06-bitfield/... is checked once docs/06-bitfield.md exists.
        String module = relative.substring(0, relative.indexOf('/'));
        if (!Files.isRegularFile(root.resolve("docs/" + module + ".md"))) {
          continue;
        }
        Matcher tag = TAG.matcher(Files.readString(source, StandardCharsets.UTF_8));
        while (tag.find()) {
          String name = relative + "#" + tag.group(1);
          assertThat(quoted).as("tag only what a chapter quotes: %s is quoted nowhere", name).contains(name);
        }
      }
    }
  }

  @Test
  void everyRelativeLinkInTheDocsPointsAtAFile() throws IOException {
    for (Path page : pages()) {
      Matcher link = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
      while (link.find()) {
        String target = link.group(1);
        if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) {
          continue;
        }
        Path resolved = page.getParent().resolve(target.replaceAll("#.*$", "")).normalize();
        assertThat(resolved).as("%s links to %s", ProjectRoot.path().relativize(page), target).exists();
      }
    }
  }

  /** The chapters in docs/ and the module READMEs. */
  private static List<Path> pages() throws IOException {
    Path root = ProjectRoot.path();
    List<Path> pages = new ArrayList<>();
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    try (Stream<Path> modules = Files.list(root)) {
      modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(pages::add);
    }
    return pages;
  }

  private static List<Quote> quotes() throws IOException {
    List<Quote> quotes = new ArrayList<>();
    try (Stream<Path> docs = Files.list(ProjectRoot.resolve("docs"))) {
      for (Path chapter : docs.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList())) {
        List<String> lines = Files.readAllLines(chapter, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = SNIPPET.matcher(lines.get(i));
          if (!m.find()) {
            continue;
          }
          assertThat(i + 1 < lines.size() && lines.get(i + 1).startsWith("```"))
              .as("%s line %d: a snippet marker must be followed by a fenced code block", chapter.getFileName(), i + 1)
              .isTrue();
          List<String> block = new ArrayList<>();
          int j = i + 2;
          while (j < lines.size() && !lines.get(j).startsWith("```")) {
            block.add(lines.get(j++));
          }
          assertThat(j).as("%s: unclosed code block after a snippet marker", chapter.getFileName()).isLessThan(lines.size());
          quotes.add(new Quote(chapter, m.group(1), m.group(2), String.join("\n", block)));
        }
      }
    }
    return quotes;
  }

  /** The lines between the tag markers, without them, with their common indentation removed. */
  private static String region(Path source, String tag) throws IOException {
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals("// tag::" + tag + "[]")) {
        assertThat(start).as("%s has two regions tagged %s", source, tag).isEqualTo(-1);
        start = i;
      } else if (lines.get(i).trim().equals("// end::" + tag + "[]")) {
        end = i;
      }
    }
    assertThat(start).as("%s has no region tagged %s", source, tag).isNotNegative();
    assertThat(end).as("%s: region %s is not closed by // end::%s[]", source, tag, tag).isGreaterThan(start);
    List<String> region = lines.subList(start + 1, end);
    int indent = region.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
  }
}
