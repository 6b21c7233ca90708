package dev.piecemeal.client.magnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.piecemeal.testing.Corpus;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the test corpus's {@code magnet-cases.tsv}, read with {@link MagnetLink#parse}.
 * The corpus's expectations are ours, with one exception (a v2-only link, below); its last column
 * says what libtorrent 2.0.8 did, and {@link #DIFFERENT_FROM_LIBTORRENT} says, row by row, where
 * we do otherwise and why.
 */
class MagnetCasesTest {

  /**
   * The rows where Piecemeal's answer is not libtorrent 2.0.8's. Review it as a whole: every line
   * is a policy. The test below checks that the table names exactly these rows.
   */
  static final Map<String, String> DIFFERENT_FROM_LIBTORRENT = Map.ofEntries(
      // Parts that are only hints: we clean them up where libtorrent's parser keeps them.
      Map.entry("junk-params-transmission", "libtorrent loses dn after a bare '&empty': a bug we do not copy"),
      Map.entry("tr-duplicates", "a repeated tracker is kept once: announcing twice to one tracker helps no one"
          + " (libtorrent's session drops the repeat later, its parser does not)"),
      Map.entry("tr-filter-schemes", "only http, https and udp trackers are kept: we cannot announce to the others"
          + " (libtorrent master filters them too)"),
      Map.entry("scheme-uppercase", "URI schemes are case-insensitive (RFC 3986, 3.1); libtorrent 2.0.8 refuses MAGNET:"),
      // Parts that name the torrent: where libtorrent guesses, we refuse, since a guess can name the wrong torrent.
      Map.entry("btih-non-hex", "libtorrent accepts it with an empty hash: a link that names no torrent is an error"),
      Map.entry("btih-base32-bad-digit", "libtorrent decodes '1' to a hash of a torrent nobody meant"),
      Map.entry("btih-conflicting", "libtorrent keeps the last hash silently: two torrents in one link is ambiguous"),
      Map.entry("btmh-non-hex", "libtorrent accepts it with an empty hash, as btih-non-hex"),
      Map.entry("bad-escape-in-tr", "libtorrent keeps what it could decode: a broken link is said, not half used"),
      Map.entry("bad-escape-in-ws", "as bad-escape-in-tr"),
      Map.entry("bad-escape-in-dn", "as bad-escape-in-tr (libtorrent keeps \"a\")"),
      Map.entry("bad-escape-dn-lone-percent", "as bad-escape-in-tr (libtorrent gives an empty name)"),
      // The one row where we differ from the corpus too.
      Map.entry("btmh-v2", "a v2-only link is refused as 'not supported yet': Piecemeal speaks v1, and"
          + " without a v1 info-hash there is nothing to ask peers for. The v2 hash is still read and"
          + " checked, so the btmh-* error rows fail for the corpus's reasons"));

  /** Every row we refuse, with the words our message must contain: what is wrong, and which parameter. */
  static final Map<String, String> PROBLEMS = Map.ofEntries(
      Map.entry("empty-string", "magnet link: not a magnet link: it must begin with \"magnet:?\""),
      Map.entry("magnet-only", "magnet link: not a magnet link: it must begin with \"magnet:?\""),
      Map.entry("no-scheme", "magnet link: not a magnet link: it must begin with \"magnet:?\""),
      Map.entry("no-question-mark", "magnet link: not a magnet link: it must begin with \"magnet:?\""),
      Map.entry("http-url", "magnet link: not a magnet link: it must begin with \"magnet:?\""),
      Map.entry("magnet-q-only", "magnet link: xt: no info-hash"),
      Map.entry("missing-hash", "magnet link: xt: no info-hash"),
      Map.entry("xt-not-urn", "magnet link: xt: no info-hash"),
      Map.entry("xt-only-sha1", "magnet link: xt: no info-hash"),
      Map.entry("xt-key-no-value", "magnet link: xt: no info-hash"),
      Map.entry("btih-empty", "xt: info-hash \"\" is 0 characters, not 40 (hex) or 32 (base32)"),
      Map.entry("btih-8-chars", "xt: info-hash \"abababab\" is 8 characters, not 40 (hex) or 32 (base32)"),
      Map.entry("btih-22-chars", "is 22 characters, not 40 (hex) or 32 (base32)"),
      Map.entry("btih-39-hex", "is 39 characters, not 40 (hex) or 32 (base32)"),
      Map.entry("btih-41-hex", "is 41 characters, not 40 (hex) or 32 (base32)"),
      Map.entry("btih-leading-space", "is 21 characters, not 40 (hex) or 32 (base32)"),
      Map.entry("btih-base32-trailing-newline", "is 33 characters, not 40 (hex) or 32 (base32)"),
      Map.entry("btih-non-hex", "xt: info-hash character 0 is \"z\", not a hex digit"),
      Map.entry("btih-base32-bad-digit", "xt: info-hash character 31 is \"1\", not a base32 digit (A-Z, 2-7)"),
      Map.entry("btih-base32-padding", "xt: info-hash character 31 is \"=\", not a base32 digit"),
      Map.entry("btih-base32-only-32", "xt: info-hash character 0 is \"=\", not a base32 digit"),
      Map.entry("btih-conflicting", "xt: a second, different info-hash abababababababababababababababababababab"
          + " (the first was cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd)"),
      Map.entry("btmh-short", "is 67 characters, not 68 (1220 and 64 hex digits)"),
      Map.entry("btmh-long", "is 70 characters, not 68 (1220 and 64 hex digits)"),
      Map.entry("btmh-bad-length-byte", "does not begin with 1220 (a sha2-256 multihash of 32 bytes)"),
      Map.entry("btmh-sha1-multihash", "does not begin with 1220 (a sha2-256 multihash of 32 bytes)"),
      Map.entry("btmh-non-hex", "xt: v2 info-hash character 4 is \"z\", not a hex digit"),
      Map.entry("bad-escape-in-xt", "xt: \"%%3\" is not a percent escape (a % and two hex digits) at offset 14"),
      Map.entry("bad-escape-in-tr", "tr: \"%zz\" is not a percent escape"),
      Map.entry("bad-escape-in-ws", "ws: \"%2\" is not a percent escape"),
      Map.entry("bad-escape-in-dn", "dn: \"%zz\" is not a percent escape"),
      Map.entry("bad-escape-dn-lone-percent", "dn: \"%\" is not a percent escape"),
      Map.entry("btmh-v2", "xt: v2 magnet links (urn:btmh) are not supported yet"));

  record Case(String id, String uri, String expect, String v1, String v2, String dn, String trackers,
      String webSeeds, String peers, String selectOnly, String note, String libtorrent) {
    @Override
    public String toString() {
      return id;
    }

    /** What we do: the corpus's expectation, except for the one row where we differ from it. */
    boolean weAccept() {
      return expect.equals("ok") && !id.equals("btmh-v2");
    }

    boolean libtorrentAccepts() {
      return expect.equals("ok") ? !libtorrent.startsWith("rejects") : libtorrent.startsWith("accepts");
    }

    boolean libtorrentAgrees() {
      return weAccept() == libtorrentAccepts() && (!weAccept() || libtorrent.equals("same"));
    }
  }

  static List<Case> rows() throws IOException {
    List<String> lines = Files.readAllLines(Corpus.resolve("magnet-cases.tsv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("id\turi\texpect\tinfo_hash_v1\tinfo_hash_v2\tdn\ttrackers"
        + "\tweb_seeds\tpeers\tselect_only\tnote_or_error\tsource\tlibtorrent_2.0.8");
    List<Case> cases = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      cases.add(new Case(f[0], unescape(f[1]), f[2], f[3], f[4], unescape(f[5]), f[6], f[7], f[8],
          f[9], f[10], f[12]));
    }
    return cases;
  }

  static Stream<Case> cases() throws IOException {
    return rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsOrRefusesAsTheCorpusExpects(Case row) throws Exception {
    if (row.weAccept()) {
      MagnetLink link = MagnetLink.parse(row.uri());
      assertThat(link.infoHash().hex()).isEqualTo(row.v1());
      assertThat(link.v2InfoHash().orElse("")).isEqualTo(row.v2());
      assertThat(link.displayName().orElse("")).isEqualTo(row.dn());
      assertThat(link.trackers()).isEqualTo(list(row.trackers()));
      assertThat(link.webSeeds()).isEqualTo(list(row.webSeeds()));
      // PeerAddress prints ::1 as 0:0:0:0:0:0:0:1, so compare addresses, not text.
      assertThat(link.peers()).isEqualTo(list(row.peers()).stream().map(PeerAddress::parse).toList());
      assertThat(expanded(link.selectOnly())).isEqualTo(row.selectOnly());
    } else {
      MagnetException e = catchThrowableOfType(MagnetException.class, () -> MagnetLink.parse(row.uri()));
      assertThat(e).as("%s must be refused (%s)", row.id(), row.note()).isNotNull();
      assertThat(PROBLEMS).as("the words %s's message must contain", row.id()).containsKey(row.id());
      assertThat(e.getMessage()).startsWith("magnet link: ").contains(PROBLEMS.get(row.id()));
      assertThat(e.offset()).isBetween(-1, row.uri().length());
      if (!row.v2().isEmpty()) {
        assertThat(e.getMessage()).as("the v2 hash was read").contains(row.v2());
      }
    }
  }

  @Test
  void theDifferencesFromLibtorrentAreExactlyTheRowsWhereItsAnswerIsNotOurs() throws IOException {
    Set<String> differing = rows().stream().filter(row -> !row.libtorrentAgrees()).map(Case::id)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(differing).isEqualTo(new TreeSet<>(DIFFERENT_FROM_LIBTORRENT.keySet()));
  }

  @Test
  void everyProblemIsARowWeRefuse() throws IOException {
    Set<String> refused = rows().stream().filter(row -> !row.weAccept()).map(Case::id)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(refused).isEqualTo(new TreeSet<>(PROBLEMS.keySet()));
  }

  /** The corpus's {@code |}-separated lists; empty is none. */
  private static List<String> list(String column) {
    return column.isEmpty() ? List.of() : Arrays.asList(column.split("\\|", -1));
  }

  /** The corpus writes select-only indexes one by one: {@code 0,2,3,4,5}. */
  private static String expanded(List<MagnetLink.FileRange> ranges) {
    List<String> indexes = new ArrayList<>();
    for (MagnetLink.FileRange range : ranges) {
      for (int i = range.first(); i <= range.last(); i++) {
        indexes.add(Integer.toString(i));
      }
    }
    return String.join(",", indexes);
  }

  /** The corpus's text escape, {@code \xNN} for one character (a newline, a NUL); all else as written. */
  private static String unescape(String escaped) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '\\') {
        out.append((char) Integer.parseInt(escaped.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
