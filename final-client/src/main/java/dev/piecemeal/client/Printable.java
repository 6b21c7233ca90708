package dev.piecemeal.client;

/**
 * Strangers' text made safe for a terminal: a tracker's {@code failure reason}, a UDP tracker's
 * error, a torrent's name, a peer's words in an error. Printed raw, an escape sequence in such
 * text is obeyed (ESC {@code [2J} clears the screen, ESC {@code ]0;…} retitles the window, a
 * carriage return overwrites the line before it); here every control character is shown instead:
 *
 * <pre>
 * the text, character by character          as printed
 * d o n e CR ESC [ 3 1 m h i LF             done\r\x1b[31mhi\n
 * ペ ン ギ ン . i s o                         ペンギン.iso      (other Unicode as it was)
 * </pre>
 *
 * <p>Shown as escapes: the C0 controls U+0000..U+001F ({@code \n}, {@code \r}, {@code \t} by
 * name, the rest as {@code \xNN}, ESC as {@code \x1b}), DEL U+007F and the C1 controls
 * U+0080..U+009F (a terminal may read U+009B alone as the start of an escape sequence), as
 * {@code \xNN}. The result is one line.
 *
 * <p>Simplified: a backslash already in the text is not doubled, so {@code \n} typed by a torrent's
 * maker reads like an escaped newline. A tool whose output is parsed back (jq, a shell's {@code
 * printf %q}) doubles it; ours is read by a person, Windows paths stay readable, and text escaped
 * twice (an error line that was a log line) comes out the same.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every control character shown as an escape, on one line. */
  public static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
