package dev.piecemeal.bencode;

import java.util.Optional;

/**
 * The rule that keeps a torrent inside its download folder. A torrent names its files with
 * path components ({@code ["chapters", "chapter-1.txt"]}); whoever made the torrent chooses them, so
 * a hostile one can try {@code ["..", "..", ".bashrc"]}, {@code ["/etc/passwd"]}, or
 * {@code ["C:", "Windows"]}. Each component must be one plain name:
 *
 * <pre>
 * ""            empty                       ".", ".."     current and parent folder
 * "a/b", "a\b"  a separator inside           "/etc"        absolute (a separator again)
 * "a\0b"        a NUL byte                   "C:", "c:x"   a Windows drive letter
 * </pre>
 *
 * <p>Design: we reject such a torrent with a clear error. libtorrent instead rewrites the bad
 * component ({@code ".."} is dropped, {@code "/"} becomes {@code "_"}); rewriting keeps a few odd
 * torrents loadable but silently changes where files land, and every rewrite rule is one more place
 * for a path escape to hide.
 *
 * <p>Simplified: names that only Windows refuses ({@code CON}, {@code NUL}, a trailing dot or
 * space, a {@code :} later in the name) are allowed. A production client on Windows maps them to
 * safe names when it creates the file; Piecemeal's storage runs where they are ordinary names, and
 * none of them can point outside the download folder.
 */
public final class SafePath {
  private SafePath() {}

  /** What is wrong with {@code component} as one file or folder name, or empty when it is safe. */
  public static Optional<String> problem(String component) {
    if (component.isEmpty()) {
      return Optional.of("an empty path component is not allowed");
    }
    if (component.equals(".") || component.equals("..")) {
      return Optional.of("\"" + component + "\" is not allowed");
    }
    if (component.indexOf('/') >= 0 || component.indexOf('\\') >= 0) {
      return Optional.of("a path separator inside \"" + printable(component) + "\" is not allowed");
    }
    if (component.indexOf('\0') >= 0) {
      return Optional.of("a NUL byte inside \"" + printable(component) + "\" is not allowed");
    }
    if (component.length() >= 2 && component.charAt(1) == ':' && isAsciiLetter(component.charAt(0))) {
      return Optional.of("a Windows drive letter in \"" + printable(component) + "\" is not allowed");
    }
    return Optional.empty();
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Control characters as {@code \xNN}, so an error message stays on one line. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
