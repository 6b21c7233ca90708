package dev.piecemeal.tracker.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an announce's query string, each value percent-decoded to raw bytes: the
 * reverse of {@link dev.piecemeal.tracker.PercentEncoding}, on the tracker's side.
 *
 * <pre>
 * info_hash=%124Vx%9A...&amp;port=6881&amp;event=started
 *   info_hash → 12 34 56 78 9a ...     (20 bytes, not text)
 *   port      → "6881"
 *   event     → "started"
 * </pre>
 *
 * <p>The values stay bytes, because {@code info_hash} and {@code peer_id} are not text. A {@code +}
 * is the byte {@code +}, not a space: HTML forms write a space so, but BitTorrent clients
 * percent-encode every byte outside RFC 3986's unreserved set, so a {@code +} that reaches us
 * unencoded came from a client that meant the byte 0x2b.
 *
 * <p>Untrusted input: the whole query is refused above {@link #MAX_LENGTH} characters before it is
 * split, so it cannot size the map; a parameter given twice is refused rather than guessed at.
 */
final class QueryString {
  /** A real announce is about 300 characters; a query ten times that is not an announce. */
  static final int MAX_LENGTH = 4096;

  private final Map<String, byte[]> values;

  private QueryString(Map<String, byte[]> values) {
    this.values = values;
  }

  /**
   * Reads a raw query ({@code URI.getRawQuery()}, still percent-encoded); null reads as empty.
   *
   * @throws AnnounceRefusedException for a query that is too long, a parameter given twice, or a
   *     {@code %} not followed by two hex digits, naming the parameter
   */
  static QueryString parse(String rawQuery) throws AnnounceRefusedException {
    Map<String, byte[]> values = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new QueryString(values);
    }
    if (rawQuery.length() > MAX_LENGTH) {
      throw new AnnounceRefusedException(
          "query is " + rawQuery.length() + " characters, more than the " + MAX_LENGTH + " allowed");
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue; // "a=1&&b=2": an empty pair says nothing
      }
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
      String name = new String(decode(rawName, rawName), StandardCharsets.ISO_8859_1);
      if (values.put(name, decode(rawValue, name)) != null) {
        throw new AnnounceRefusedException("parameter " + name + " is given twice");
      }
    }
    return new QueryString(values);
  }

  /** The decoded bytes of {@code name}, if it was given. */
  Optional<byte[]> bytes(String name) {
    return Optional.ofNullable(values.get(name)).map(byte[]::clone);
  }

  /** The value of {@code name} as ASCII text (numbers, events), if it was given. */
  Optional<String> text(String name) {
    return Optional.ofNullable(values.get(name))
        .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1));
  }

  /** Percent-decoding: {@code %XX} is the byte 0xXX, every other character is its own byte. */
  private static byte[] decode(String raw, String parameter) throws AnnounceRefusedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new AnnounceRefusedException(
              "parameter " + parameter + " has a % not followed by two hex digits at character " + i);
        }
        out.write(high << 4 | low);
        i += 2;
      } else if (c > 0x7f) {
        // URI.getRawQuery keeps other characters as they are; a request line is ASCII.
        throw new AnnounceRefusedException(
            "parameter " + parameter + " has a character that is not ASCII at character " + i);
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }
}
