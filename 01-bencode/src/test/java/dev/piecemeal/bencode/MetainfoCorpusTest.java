package dev.piecemeal.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.piecemeal.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Every .torrent of the shared corpus ({@code torrents/EXPECTED.tsv}), loaded as a user's file
 * would be. The corpus records what libtorrent does; where Piecemeal deliberately does otherwise,
 * the row is listed in {@link #DELIBERATE_DIFFERENCES} with a word our error must contain.
 */
class MetainfoCorpusTest {

  /**
   * Rows libtorrent loads and we refuse, each with the word our error must contain. Review this
   * table as a whole: every line is a policy.
   */
  static final Map<String, String> DELIBERATE_DIFFERENCES = Map.ofEntries(
      // Unsafe paths are refused, not rewritten (see SafePath): libtorrent sanitizes these.
      Map.entry("absolute_filename.torrent", "path separator"),        // ["/foobar"]
      Map.entry("backslash_path.torrent", "path separator"),           // ["\\", "\\", "bar"]
      Map.entry("empty_path.torrent", "empty path component"),         // ["", ""]
      Map.entry("empty_path_multi.torrent", "empty path component"),   // [""]
      Map.entry("hidden_parent_path.torrent", "path separator"),       // ["foo/../../../bar"]
      Map.entry("invalid_directory_name.torrent", "path separator"),   // ["/", "foo"]
      Map.entry("invalid_filename.torrent", "info.name"),              // name "\est2"
      Map.entry("invalid_filename2.torrent", "info.name"),             // name "\est2"
      Map.entry("invalid_name2.torrent", "info.name: \"..\""),         // name ".."
      Map.entry("parent_path.torrent", "\"..\" is not allowed"),       // ["..", "..", "bar"]
      Map.entry("slash_path.torrent", "path separator"),               // ["/", "/", "bar"]
      Map.entry("slash_path2.torrent", "path separator"),              // ["abc/../../def", "/", "bar"]
      Map.entry("slash_path3.torrent", "info.name"),                   // name "temp/../../abc"
      Map.entry("symlink_filtered_path.torrent", "path separator"),    // ["a", "/", "bar"]
      // Two entries for one file are refused, not renamed (see FileList.PathClaims).
      Map.entry("duplicate_files.torrent", "also the path of"),
      // v2-only torrents are refused: Piecemeal speaks v1 (hybrids load through their v1 part).
      Map.entry("v2_incomplete_piece_layer.torrent", "v2-only"),
      Map.entry("v2_invalid_filename.torrent", "v2-only"),
      Map.entry("v2_invalid_filename2.torrent", "v2-only"),
      Map.entry("v2_multiple_files.torrent", "v2-only"),
      Map.entry("v2_no_piece_layers.torrent", "v2-only"),
      Map.entry("v2_only.torrent", "v2-only"),
      Map.entry("v2_symlinks.torrent", "v2-only"));

  record Row(String file, String expect, String name, String totalLength, String pieceLength,
      String numFiles, String infoHashHex, String note, String metaVersion, String numPieces) {
    @Override
    public String toString() {
      return file;
    }
  }

  static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(Corpus.resolve("torrents/EXPECTED.tsv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).startsWith(
        "file\texpect\tname\ttotal_length\tpiece_length\tnum_files\tinfo_hash_hex\tnote\tmeta_version\tinfo_hash_v2_hex\tnum_pieces");
    return lines.stream().skip(1).map(line -> line.split("\t", -1))
        .map(f -> new Row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[10]))
        .collect(Collectors.toList());
  }

  static Stream<Row> torrents() throws IOException {
    return rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torrents")
  void loadsOrRefusesAsTheCorpusExpects(Row row) throws Exception {
    Path file = Corpus.resolve("torrents/" + row.file());
    if (DELIBERATE_DIFFERENCES.containsKey(row.file())) {
      assertThat(row.expect()).as("a difference is only needed where libtorrent loads the file").isEqualTo("ok");
      MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Metainfo.fromFile(file));
      assertThat(e).as("%s must be refused: %s", row.file(), row.note()).isNotNull();
      assertThat(e.getMessage()).contains(DELIBERATE_DIFFERENCES.get(row.file()));
    } else if (row.expect().equals("ok")) {
      Metainfo metainfo = Metainfo.fromFile(file);
      assertThat(metainfo.infoHash().hex()).isEqualTo(row.infoHashHex());
      assertThat(rawName(metainfo)).isEqualTo(BencodeCasesTest.unescape(row.name()));
      assertThat(metainfo.totalLength()).isEqualTo(Long.parseLong(row.totalLength()));
      assertThat(metainfo.pieceLength()).isEqualTo(Integer.parseInt(row.pieceLength()));
      assertThat(metainfo.files()).hasSize(Integer.parseInt(row.numFiles()));
      assertThat(metainfo.pieceCount()).isEqualTo(Integer.parseInt(row.numPieces()));
      assertThat(metainfo.isHybrid()).isEqualTo(row.metaVersion().equals("hybrid"));
    } else {
      MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Metainfo.fromFile(file));
      assertThat(e).as("%s must be refused: %s", row.file(), row.note()).isNotNull();
      assertThat(e.getMessage()).as("says what and where").matches("[a-z\"].*: .+|.+ at offset \\d+");
    }
  }

  @Test
  void everyDeliberateDifferenceIsACorpusRow() throws IOException {
    Set<String> files = rows().stream().map(Row::file).collect(Collectors.toCollection(TreeSet::new));
    assertThat(files).containsAll(DELIBERATE_DIFFERENCES.keySet());
  }

  /** The name's bytes as they are in the file, before any decoding. */
  private static byte[] rawName(Metainfo metainfo) throws BencodeException {
    BencodeDictionary info = (BencodeDictionary) BencodeDecoder.decodeTorrent(metainfo.infoBytes());
    return ((BencodeString) info.get("name").orElseThrow()).bytes();
  }
}
