package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a magnet link (BEP 9, "magnet URI format") into a {@link MagnetLink}. One method per
 * production:
 *
 * <pre>
 * link       = "magnet:?" parameter *( "&amp;" parameter )      the scheme in any case
 * parameter  = name "=" value | junk                         junk (no "=", or no name) is ignored
 * value      = *( "%" HEXDIG HEXDIG | "+" | character )      decoded after splitting on "&amp;"
 * xt         = "urn:btih:" ( 40 HEXDIG | 32 base32 )         or "urn:btmh:1220" 64 HEXDIG (v2)
 * so         = entry *( "," entry ),  entry = n | n "-" m
 * </pre>
 *
 * <p>The order matters: the link is split on {@code &} first and each value is percent-decoded
 * after, so {@code tr=udp%3A%2F%2Ft.example%2Fa%3Fx%3D1%26y%3D2} is one tracker whose URL holds a
 * {@code &}. Names are matched in any case ({@code XT}, {@code dN}); a name we do not use ({@code
 * xl}, {@code kt}, {@code as}, {@code xs}, {@code dht}, {@code tr.1}) is skipped, but its value is
 * still decoded: a bad percent escape is an error in any parameter.
 *
 * <p>Design: strict where a mistake would name the wrong torrent or hide a broken link (a hash of
 * the wrong length or with a wrong character, two different hashes, a bad escape: each an error),
 * lenient where a part is only a hint (a tracker we cannot announce to, a peer that is not an
 * address, a {@code so} entry that is not a range: each skipped). libtorrent 2.0.8 is looser in
 * the first group; {@code MagnetCasesTest} lists each case where we differ and why.
 */
final class MagnetParser {
  private static final String PREFIX = "magnet:?";
  private static final String BTIH = "urn:btih:";
  private static final String BTMH = "urn:btmh:";
  /** BEP 52's multihash prefix: 0x12 is sha2-256, 0x20 its 32 bytes. */
  private static final String SHA256_MULTIHASH = "1220";
  private static final Pattern FILE_RANGE = Pattern.compile("([0-9]+)(?:-([0-9]+))?");
  /** The longest value quoted in an error message; a longer one is cut with an ellipsis. */
  private static final int QUOTE_LIMIT = 48;

  private final String link;
  private InfoHash btih;
  private String btmh;
  private String displayName;
  private final Set<String> trackers = new LinkedHashSet<>();
  private final Set<PeerAddress> peers = new LinkedHashSet<>();
  private final List<String> webSeeds = new ArrayList<>();
  private final List<MagnetLink.FileRange> selectOnly = new ArrayList<>();
  private int trackerParameters;
  private int peerParameters;

  private MagnetParser(String link) {
    this.link = link;
  }

  static MagnetLink parse(String link) throws MagnetException {
    return new MagnetParser(link).link();
  }

  // link = "magnet:?" parameter *( "&" parameter )
  private MagnetLink link() throws MagnetException {
    // 1. the length first: everything after this costs time in proportion to it
    if (link.length() > MagnetLink.MAX_LENGTH) {
      throw new MagnetException(null, String.format("%,d characters is longer than the %,d accepted",
          link.length(), MagnetLink.MAX_LENGTH), MagnetLink.MAX_LENGTH);
    }
    // 2. the scheme, in any case (RFC 3986, 3.1), then "?"
    if (!link.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new MagnetException(null, "not a magnet link: it must begin with \"magnet:?\", not \""
          + quote(link.substring(0, Math.min(link.length(), PREFIX.length()))) + "\"", 0);
    }
    // 3. each parameter, in the link's order
    int start = PREFIX.length();
    while (start <= link.length()) {
      int end = link.indexOf('&', start);
      if (end < 0) {
        end = link.length();
      }
      parameter(start, end);
      start = end + 1;
    }
    // 4. a v1 info-hash, or the reason there is none.
    //    Simplified: v1 only. A v2-only link (urn:btmh alone) is read, checked and refused;
    //    libtorrent downloads it, asking peers by the v2 hash for v2 metadata. v2's per-file hash
    //    trees would be a chapter of their own, as chapter 1's Metainfo says for v2-only torrents.
    if (btih == null && btmh != null) {
      throw new MagnetException("xt", "v2 magnet links (urn:btmh) are not supported yet; this one"
          + " has the v2 info-hash " + btmh + " and no urn:btih", -1);
    }
    if (btih == null) {
      throw new MagnetException("xt", "no info-hash: a magnet link needs xt=urn:btih: and 40 hex"
          + " or 32 base32 characters", -1);
    }
    return new MagnetLink(btih, Optional.ofNullable(displayName), List.copyOf(trackers),
        List.copyOf(peers), webSeeds, selectOnly, Optional.ofNullable(btmh));
  }

  // parameter = name "=" value | junk
  private void parameter(int start, int end) throws MagnetException {
    int equals = link.indexOf('=', start);
    if (equals < 0 || equals >= end || equals == start) {
      return; // "&empty", "&=": no name, or no value; Transmission's tests have both
    }
    String name = link.substring(start, equals).toLowerCase(Locale.ROOT);
    int at = equals + 1;
    String value = value(name, at, end);
    switch (name) {
      case "xt" -> exactTopic(value, at);
      case "dn" -> displayName = value.isEmpty() ? displayName : value; // the last one counts
      case "tr" -> tracker(value, at);
      case "x.pe" -> peer(value, at);
      case "ws" -> {
        if (!value.isEmpty()) {
          webSeeds.add(value);
        }
      }
      case "so" -> selectOnly(value);
      default -> { } // xl, kt, as, xs, dht, tr.1, …: nothing this client uses
    }
  }

  // value = *( "%" HEXDIG HEXDIG | "+" | character )
  /**
   * The value between {@code start} and {@code end}, percent-decoded: {@code %XX} is one byte,
   * {@code +} a space (as HTML forms write it, and links copied from them), any other character
   * its own UTF-8 bytes. The bytes are then read as UTF-8 (a byte sequence that is not UTF-8
   * becomes U+FFFD, as {@link String#String(byte[], java.nio.charset.Charset)} does).
   */
  private String value(String name, int start, int end) throws MagnetException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
    int plain = start; // where the current run of characters that stand for themselves began
    for (int i = start; i < end; i++) {
      char c = link.charAt(i);
      if (c != '%' && c != '+') {
        continue;
      }
      bytes.writeBytes(link.substring(plain, i).getBytes(StandardCharsets.UTF_8));
      if (c == '+') {
        bytes.write(' ');
      } else {
        int high = i + 1 < end ? hexDigit(link.charAt(i + 1)) : -1;
        int low = i + 2 < end ? hexDigit(link.charAt(i + 2)) : -1;
        if (high < 0 || low < 0) {
          throw new MagnetException(name, "\"" + quote(link.substring(i, Math.min(end, i + 3)))
              + "\" is not a percent escape (a % and two hex digits)", i);
        }
        bytes.write(high << 4 | low);
        i += 2;
      }
      plain = i + 1;
    }
    bytes.writeBytes(link.substring(plain, end).getBytes(StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  // xt = "urn:btih:" ( 40 HEXDIG | 32 base32 ) | "urn:btmh:1220" 64 HEXDIG | another URN
  private void exactTopic(String value, int at) throws MagnetException {
    if (value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
      InfoHash hash = btih(value.substring(BTIH.length()), at);
      if (btih != null && !btih.equals(hash)) {
        throw new MagnetException("xt", "a second, different info-hash " + hash.hex()
            + " (the first was " + btih.hex() + "): which torrent is meant?", at);
      }
      btih = hash;
    } else if (value.regionMatches(true, 0, BTMH, 0, BTMH.length())) {
      String hash = btmh(value.substring(BTMH.length()), at);
      if (btmh != null && !btmh.equals(hash)) {
        throw new MagnetException("xt", "a second, different v2 info-hash " + hash
            + " (the first was " + btmh + "): which torrent is meant?", at);
      }
      btmh = hash;
    }
    // Any other xt (urn:ed2k:, urn:sha1:, urn:tree:tiger:, "blah") names the file for another
    // network: not ours, and not an error, since one link may name a file for several.
  }

  /** The 20 bytes of a v1 info-hash: 40 hex digits, or 32 base32 characters, in any case. */
  private InfoHash btih(String hash, int at) throws MagnetException {
    if (hash.length() == 2 * InfoHash.LENGTH) {
      for (int i = 0; i < hash.length(); i++) {
        if (hexDigit(hash.charAt(i)) < 0) {
          throw new MagnetException("xt", "info-hash character " + i + " is " + describe(hash.charAt(i))
              + ", not a hex digit", at);
        }
      }
      return InfoHash.fromHex(hash);
    }
    if (hash.length() == 32) {
      for (int i = 0; i < hash.length(); i++) {
        if (Base32.digit(hash.charAt(i)) < 0) {
          throw new MagnetException("xt", "info-hash character " + i + " is " + describe(hash.charAt(i))
              + ", not a base32 digit (A-Z, 2-7)", at);
        }
      }
      return InfoHash.fromBytes(Base32.decode(hash));
    }
    throw new MagnetException("xt", "info-hash \"" + quote(hash) + "\" is " + hash.length()
        + " characters, not 40 (hex) or 32 (base32)", at);
  }

  /**
   * The 64 lowercase hex digits of a v2 info-hash, written as a multihash (BEP 52): {@code 12} for
   * sha2-256, {@code 20} for its 32 bytes, then the 32 bytes in hex.
   */
  private String btmh(String multihash, int at) throws MagnetException {
    if (!multihash.startsWith(SHA256_MULTIHASH)) {
      throw new MagnetException("xt", "v2 info-hash \"" + quote(multihash)
          + "\" does not begin with 1220 (a sha2-256 multihash of 32 bytes)", at);
    }
    int expected = SHA256_MULTIHASH.length() + 64;
    if (multihash.length() != expected) {
      throw new MagnetException("xt", "v2 info-hash \"" + quote(multihash) + "\" is "
          + multihash.length() + " characters, not " + expected + " (1220 and 64 hex digits)", at);
    }
    for (int i = SHA256_MULTIHASH.length(); i < multihash.length(); i++) {
      if (hexDigit(multihash.charAt(i)) < 0) {
        throw new MagnetException("xt", "v2 info-hash character " + i + " is "
            + describe(multihash.charAt(i)) + ", not a hex digit", at);
      }
    }
    return multihash.substring(SHA256_MULTIHASH.length()).toLowerCase(Locale.ROOT);
  }

  /**
   * One {@code tr}: kept when it is an {@code http}, {@code https} or {@code udp} URL we do not
   * have yet. Others are skipped: {@code wss://} (WebTorrent's trackers, for WebRTC peers), {@code ftp://}, text that is
   * no URL; a tracker we cannot announce to is of no use, and one bad hint spoils no link.
   */
  private void tracker(String url, int at) throws MagnetException {
    trackerParameters++;
    if (trackerParameters > MagnetLink.MAX_TRACKERS) {
      throw new MagnetException("tr", "more than " + MagnetLink.MAX_TRACKERS + " trackers", at);
    }
    int colon = url.indexOf("://");
    String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https") || scheme.equals("udp")) {
      trackers.add(url);
    }
  }

  /**
   * One {@code x.pe}: {@code 192.0.2.7:6881} or {@code [2001:db8::1]:6881}, kept once; anything
   * else is skipped.
   *
   * <p>Simplified: a peer given by host name ({@code peer.example:6881}) is skipped, not looked
   * up. libtorrent resolves it; we never make a DNS query on the word of a link pasted from
   * anywhere, and {@link PeerAddress#parse} takes IP literals only, as it does for {@code --peer}.
   */
  private void peer(String hostAndPort, int at) throws MagnetException {
    peerParameters++;
    if (peerParameters > MagnetLink.MAX_PEERS) {
      throw new MagnetException("x.pe", "more than " + MagnetLink.MAX_PEERS + " peers", at);
    }
    try {
      peers.add(PeerAddress.parse(hostAndPort));
    } catch (IllegalArgumentException notAnAddress) {
      // skipped: a hint that is no address
    }
  }

  // so = entry *( "," entry ),  entry = n | n "-" m
  /**
   * BEP 53's file indexes, {@code 0,2,4,6-8}. An entry that is not a number or a range {@code
   * n-m} with {@code n <= m} ({@code -4}, {@code 3-}, {@code a}, {@code 7-4}, a number past
   * 2^31 - 1) is skipped, as libtorrent skips it.
   */
  private void selectOnly(String value) {
    for (String entry : value.split(",", -1)) {
      Matcher m = FILE_RANGE.matcher(entry);
      if (!m.matches()) {
        continue;
      }
      long first = index(m.group(1));
      long last = m.group(2) == null ? first : index(m.group(2));
      if (first >= 0 && last >= first) {
        selectOnly.add(new MagnetLink.FileRange((int) first, (int) last));
      }
    }
  }

  /** A file index from ASCII digits, or -1 when it does not fit an int. */
  private static long index(String digits) {
    if (digits.length() > 10) {
      return -1;
    }
    long index = Long.parseLong(digits);
    return index > Integer.MAX_VALUE ? -1 : index;
  }

  /**
   * The value of an ASCII hex digit; -1 for anything else. Not {@link Character#digit}, which
   * takes the digits of other scripts too ({@code '٣'} is 3).
   */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** One character for a message: {@code "z"}, {@code a space}, or {@code U+000A}. */
  private static String describe(char c) {
    if (c == ' ') {
      return "a space";
    }
    return c > 0x20 && c < 0x7f ? "\"" + c + "\"" : String.format("U+%04X", (int) c);
  }

  /** A value to quote in a message, cut to {@value #QUOTE_LIMIT} characters. */
  private static String quote(String text) {
    return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "…";
  }
}
