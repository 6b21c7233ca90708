package dev.piecemeal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps a chapter's quoted code equal to the code. A chapter quotes a region the code marks with
 * {@code // tag::name[]} and {@code // end::name[]}, by putting a marker line right before the
 * fenced block:
 *
 * <pre>
 * &lt;!-- quote: 05-messages/src/main/java/dev/piecemeal/messages/MessageReader.java#check-length --&gt;
 * ```java
 * ...the region, without its tag lines, without its common indentation...
 * ```
 * </pre>
 *
 * A chapter test asserts that {@link #mismatches} is empty; the problems it lists say which quote
 * drifted and how to fix it. The same link check runs over every README ({@link #brokenLinks},
 * from {@code ReadmeLinksTest}), so an index from idea to file cannot point at a file that moved.
 */
public final class ChapterQuotes {
  private ChapterQuotes() {}

  private static final Pattern QUOTE =
      Pattern.compile("<!-- quote: ([^#\\s]+)#([\\w-]+) -->\\R```\\w*\\R(.*?)```", Pattern.DOTALL);
  /** A relative link: not a web address, not an anchor in the same page. */
  private static final Pattern LINK =
      Pattern.compile("\\]\\((?!https?:|mailto:|#)([^)#\\s]+)(#[^)]*)?\\)");
  private static final Pattern TAG = Pattern.compile("//\\s*tag::([\\w-]+)\\[\\]");

  /** How many quotes the chapter has: a chapter test checks it is not zero. */
  public static int quoteCount(String chapter) {
    String text = read(ProjectRoot.path().resolve("docs").resolve(chapter));
    return (int) QUOTE.matcher(text).results().count();
  }

  /**
   * Every problem with a chapter's quotes and links: a quote that no longer matches its region, a
   * region or file that is gone, a tag in the module's sources that the chapter does not quote,
   * a relative link to a file that does not exist.
   *
   * @param chapter the chapter's file name in {@code docs/}, such as {@code 05-messages.md}
   * @param module the module folder whose tags the chapter must quote, such as {@code 05-messages}
   */
  public static List<String> mismatches(String chapter, String module) {
    return mismatches(module, List.of(chapter));
  }

  /**
   * The same for a module that several chapters tell, as {@code final-client} holds chapters 8 and
   * on: each chapter's quotes must match, and each tag in the module must be quoted by one of them.
   */
  public static List<String> mismatches(String module, List<String> chapters) {
    Path root = ProjectRoot.path();
    List<String> problems = new ArrayList<>();
    List<String> quoted = new ArrayList<>();

    for (String chapter : chapters) {
      String text = read(root.resolve("docs").resolve(chapter));
      Matcher quote = QUOTE.matcher(text);
      while (quote.find()) {
        String file = quote.group(1);
        String tag = quote.group(2);
        quoted.add(file + "#" + tag);
        Path source = root.resolve(file);
        if (!Files.exists(source)) {
          problems.add(chapter + " quotes " + file + ", which does not exist");
          continue;
        }
        String region = region(read(source), tag);
        if (region == null) {
          problems.add(chapter + " quotes region " + tag + " of " + file + ", which has no such tag");
        } else if (!region.equals(quote.group(3))) {
          problems.add(chapter + " quotes " + file + "#" + tag + " as it was; it now reads:\n" + region);
        }
      }
      problems.addAll(brokenLinks(root, "docs/" + chapter));
    }

    for (Path source : javaFiles(root.resolve(module).resolve("src/main/java"))) {
      String file = root.relativize(source).toString().replace('\\', '/');
      Matcher tag = TAG.matcher(read(source));
      while (tag.find()) {
        if (!quoted.contains(file + "#" + tag.group(1))) {
          problems.add(file + " tags region " + tag.group(1) + ", which " + String.join(" or ", chapters)
              + " never quotes");
        }
      }
    }
    return problems;
  }

  /**
   * Every relative link in a Markdown file (a chapter, a README) to a file or folder that does not
   * exist, resolved from the Markdown file's own folder, as a reader's browser would. Web
   * addresses and anchors in the same page are not checked.
   *
   * @param folder the folder {@code file} is relative to, usually the project root
   * @param file the Markdown file, such as {@code 05-messages/README.md}; the problems name it so
   */
  public static List<String> brokenLinks(Path folder, String file) {
    Path markdown = folder.resolve(file);
    List<String> problems = new ArrayList<>();
    Matcher link = LINK.matcher(read(markdown));
    while (link.find()) {
      if (!Files.exists(markdown.getParent().resolve(link.group(1)).normalize())) {
        problems.add(file + " links to " + link.group(1) + ", which does not exist");
      }
    }
    return problems;
  }

  private static final Pattern EXCERPT =
      Pattern.compile("<!-- excerpt: (\\S+) -->\\R```\\w*\\R(.*?)```", Pattern.DOTALL);

  /**
   * Every problem with a chapter's excerpts of program output. Output a chapter shows (a hex dump, a
   * run of {@code piecemeal info}) is marked with {@code <!-- excerpt: path/to/x.expected.txt -->}
   * before its fenced block, and must appear in that golden file, which a test writes from a real
   * run. Lines starting with {@code $ } (the command typed) and {@code ...} lines (an elision)
   * split the block into parts that must each appear whole.
   */
  public static List<String> excerptMismatches(String chapter) {
    Path root = ProjectRoot.path();
    String text = read(root.resolve("docs").resolve(chapter));
    List<String> problems = new ArrayList<>();
    Matcher excerpt = EXCERPT.matcher(text);
    while (excerpt.find()) {
      Path golden = root.resolve(excerpt.group(1));
      if (!Files.exists(golden)) {
        problems.add(chapter + " shows an excerpt of " + excerpt.group(1) + ", which does not exist");
        continue;
      }
      String output = read(golden);
      StringBuilder part = new StringBuilder();
      for (String line : (excerpt.group(2) + "...\n").split("\\R")) {
        if (line.startsWith("$ ") || line.trim().equals("...")) {
          if (part.length() > 0 && !output.contains(part)) {
            problems.add(chapter + " shows output that " + excerpt.group(1) + " no longer contains:\n" + part);
          }
          part.setLength(0);
        } else {
          part.append(line).append('\n');
        }
      }
    }
    return problems;
  }

  /** How many output excerpts the chapter has. */
  public static int excerptCount(String chapter) {
    String text = read(ProjectRoot.path().resolve("docs").resolve(chapter));
    return (int) EXCERPT.matcher(text).results().count();
  }

  /** The lines between the tag's start and end, tag lines dropped, common indentation removed. */
  private static String region(String source, String tag) {
    List<String> lines = new ArrayList<>();
    boolean inside = false;
    for (String line : source.split("\\R", -1)) {
      if (line.contains("// tag::" + tag + "[]")) {
        inside = true;
      } else if (line.contains("// end::" + tag + "[]")) {
        return dedent(lines);
      } else if (inside && !line.matches("\\s*// (tag|end)::[\\w-]+\\[\\]\\s*")) {
        lines.add(line);
      }
    }
    return null;
  }

  private static String dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }

  private static List<Path> javaFiles(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
