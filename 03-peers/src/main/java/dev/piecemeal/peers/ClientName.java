package dev.piecemeal.peers;

import dev.piecemeal.tracker.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client software and version a peer id announces, decoded the way clients show it in their
 * peer lists: {@code -TR3000-…} is Transmission 3.00, {@code -LT2080-…} is libtorrent 2.0.8,
 * {@code A2-1-36-0-…} is aria2 1.36.0.
 *
 * <p>Nothing in BEP 3 says what a peer id contains; these are conventions (BEP 20, "peer ID
 * conventions", records them). Most clients use the Azureus style, a dash, two letters naming the
 * client, four version characters and a dash:
 *
 * <pre>
 * -  T R  3 0 0 0  -  | 12 random bytes
 *    client  version
 * </pre>
 *
 * How the four version characters read differs by client, which is why each entry of the table
 * names its style. A version character is a digit, or a letter for numbers past 9
 * ({@code A} = 10, so {@code -LT20C0-} is libtorrent 2.0.12).
 *
 * <p>Simplified: a table of about twenty clients. Transmission's table knows over a hundred
 * (BitComet's, Shadow's and other older styles); the ones here are those a learner meets on a
 * public torrent today. An id we do not know is shown as "unknown", never guessed.
 */
public record ClientName(String client, String version) {
  // version is "" when the client is known but its version characters are not readable.

  public ClientName {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(version, "version");
  }

  /** How an Azureus-style client writes its four version characters after {@code -XX}. */
  private enum VersionStyle {
    /** {@code 2080} is 2.0.8; the fourth character is a build number that clients do not show. */
    THREE_DIGITS,
    /** {@code 5770} is 5.7.7.0: all four are shown. */
    FOUR_DIGITS,
    /** {@code 3000} is 3.00 up to version 3, {@code 4050} is 4.0.5 from 4 on; a last Z is a dev build. */
    TRANSMISSION,
    /** Hex digits then a release letter: {@code 355B} is 3.5.5 Beta. */
    UTORRENT,
    /** {@code 22R1} is 2.2 RC1, {@code 22D1} is 2.2 Dev 1, {@code 4130} is 4.1.3. */
    KTORRENT
  }

  private record Known(String client, VersionStyle style) {}

  // tag::client-table[]
  private static final Map<String, Known> AZUREUS_STYLE =
      Map.ofEntries(
          Map.entry("AZ", new Known("Vuze", VersionStyle.FOUR_DIGITS)),
          Map.entry("BI", new Known("BiglyBT", VersionStyle.FOUR_DIGITS)),
          Map.entry("BT", new Known("BitTorrent", VersionStyle.UTORRENT)),
          Map.entry("BW", new Known("BitTorrent Web", VersionStyle.UTORRENT)),
          Map.entry("DE", new Known("Deluge", VersionStyle.FOUR_DIGITS)),
          Map.entry("KT", new Known("KTorrent", VersionStyle.KTORRENT)),
          Map.entry("LT", new Known("libtorrent", VersionStyle.THREE_DIGITS)),
          Map.entry("Lr", new Known("LibreTorrent", VersionStyle.THREE_DIGITS)),
          Map.entry("PM", new Known("Piecemeal", VersionStyle.THREE_DIGITS)),
          Map.entry("SD", new Known("Thunder", VersionStyle.FOUR_DIGITS)),
          Map.entry("TR", new Known("Transmission", VersionStyle.TRANSMISSION)),
          Map.entry("UM", new Known("uTorrent Mac", VersionStyle.UTORRENT)),
          Map.entry("UT", new Known("uTorrent", VersionStyle.UTORRENT)),
          Map.entry("UW", new Known("uTorrent Web", VersionStyle.UTORRENT)),
          Map.entry("WW", new Known("WebTorrent", VersionStyle.FOUR_DIGITS)),
          Map.entry("XL", new Known("Xunlei", VersionStyle.FOUR_DIGITS)),
          Map.entry("lt", new Known("libTorrent (rakshasa)", VersionStyle.THREE_DIGITS)),
          Map.entry("qB", new Known("qBittorrent", VersionStyle.THREE_DIGITS)));

  /** aria2 spells its version out: {@code A2-1-36-0-}. */
  private static final Pattern ARIA2 = Pattern.compile("A2-(\\d+)-(\\d+)-(\\d+)-.*", Pattern.DOTALL);

  /** The original BitTorrent ("mainline") client: {@code M7-4-3--} or {@code M4-20-8-}. */
  private static final Pattern MAINLINE = Pattern.compile("M(\\d+)-(\\d+)-(\\d+)-.*", Pattern.DOTALL);
  // end::client-table[]

  /** The client behind this peer id, when its prefix is one we know. */
  public static Optional<ClientName> fromPeerId(PeerId peerId) {
    // ISO-8859-1 maps each byte to one char, so binary bytes cannot break the matching below.
    String id = new String(peerId.bytes(), StandardCharsets.ISO_8859_1);
    if (id.charAt(0) == '-') {
      Known known = AZUREUS_STYLE.get(id.substring(1, 3));
      if (known == null) {
        return Optional.empty();
      }
      // A known client with version characters we cannot read: name it, invent no version.
      return Optional.of(new ClientName(known.client(), version(known.style(), id).orElse("")));
    }
    Matcher aria2 = ARIA2.matcher(id);
    if (aria2.matches()) {
      return Optional.of(new ClientName("aria2", aria2.group(1) + "." + aria2.group(2) + "." + aria2.group(3)));
    }
    Matcher mainline = MAINLINE.matcher(id);
    if (mainline.matches()) {
      return Optional.of(
          new ClientName("BitTorrent", mainline.group(1) + "." + mainline.group(2) + "." + mainline.group(3)));
    }
    return Optional.empty();
  }

  private static Optional<String> version(VersionStyle style, String id) {
    if (style == VersionStyle.UTORRENT) {
      return utorrent(id); // hex digits, lowercase letters included
    }
    int a = digit(id.charAt(3));
    int b = digit(id.charAt(4));
    int c = digit(id.charAt(5));
    char d = id.charAt(6);
    if (a < 0 || b < 0) {
      return Optional.empty(); // not a version: do not make one up
    }
    return switch (style) {
      case THREE_DIGITS -> c < 0 ? Optional.empty() : Optional.of(a + "." + b + "." + c);
      case FOUR_DIGITS ->
          c < 0 ? Optional.empty()
              // Deluge 2 ends with a lowercase release letter (s = stable), not a fourth number.
              : Optional.of(a + "." + b + "." + c + (Character.isLowerCase(d) ? "" : "." + Math.max(digit(d), 0)));
      case TRANSMISSION -> transmission(id, a).map(version -> version + devSuffix(d));
      case UTORRENT -> throw new AssertionError("handled above");
      case KTORRENT ->
          switch (id.charAt(5)) {
            case 'R' -> Optional.of(a + "." + b + " RC" + id.charAt(6));
            case 'D' -> Optional.of(a + "." + b + " Dev " + id.charAt(6));
            default -> c < 0 ? Optional.empty() : Optional.of(a + "." + b + "." + c);
          };
    };
  }

  /** Up to 3.00 the last two characters are one two-digit minor number; from 4.0.0 on, three digits. */
  private static Optional<String> transmission(String id, int major) {
    String minor = id.substring(4, 6);
    if (major <= 3) {
      return minor.chars().allMatch(Character::isDigit) ? Optional.of(major + "." + minor) : Optional.empty();
    }
    int patch = digit(id.charAt(5));
    return patch < 0 ? Optional.empty() : Optional.of(major + "." + digit(id.charAt(4)) + "." + patch);
  }

  /** uTorrent writes hex digits and a release letter; past x.y.9 it uses the final dash too. */
  private static Optional<String> utorrent(String id) {
    int major = Character.digit(id.charAt(3), 16);
    int minor = Character.digit(id.charAt(4), 16);
    if (major < 0 || minor < 0) {
      return Optional.empty();
    }
    if (id.charAt(7) == '-') {
      int patch = Character.digit(id.charAt(5), 16);
      return patch < 0 ? Optional.empty() : Optional.of(major + "." + minor + "." + patch + releaseSuffix(id.charAt(6)));
    }
    String patch = id.substring(5, 7);
    return patch.chars().allMatch(Character::isDigit)
        ? Optional.of(major + "." + minor + "." + Integer.parseInt(patch) + releaseSuffix(id.charAt(7)))
        : Optional.empty();
  }

  private static String devSuffix(char c) {
    return c == 'Z' || c == 'X' ? " (dev)" : releaseSuffix(c);
  }

  private static String releaseSuffix(char c) {
    return switch (c) {
      case 'B', 'b' -> " beta";
      case 'A', 'a' -> " alpha";
      default -> "";
    };
  }

  /** 0-9, then A-Z for 10-35 (how libtorrent and most others write numbers past 9), else -1. */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'Z') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** As a peer list shows it: {@code Transmission 3.00}, or just the client when the version is unknown. */
  @Override
  public String toString() {
    return version.isEmpty() ? client : client + " " + version;
  }
}
