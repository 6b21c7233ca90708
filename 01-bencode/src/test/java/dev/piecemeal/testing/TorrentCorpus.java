package dev.piecemeal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The test corpus's real .torrent files and their expectations ({@code torrents/EXPECTED.tsv}),
 * with the table of rows where Piecemeal deliberately differs from libtorrent. Chapter 1 loads
 * them with {@code Metainfo}; the final client runs {@code piecemeal info} over them.
 */
public final class TorrentCorpus {
  private TorrentCorpus() {}

  /**
   * Rows libtorrent loads and we refuse, each with the word our error must contain. Review this
   * table as a whole: every line is a policy.
   */
  public static final Map<String, String> DELIBERATE_DIFFERENCES = Map.ofEntries(
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

  public record Row(String file, String expect, String name, String totalLength, String pieceLength,
      String numFiles, String infoHashHex, String note, String metaVersion, String numPieces) {
    @Override
    public String toString() {
      return file;
    }
  }

  public static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(Corpus.resolve("torrents/EXPECTED.tsv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).startsWith(
        "file\texpect\tname\ttotal_length\tpiece_length\tnum_files\tinfo_hash_hex\tnote\tmeta_version\tinfo_hash_v2_hex\tnum_pieces");
    return lines.stream().skip(1).map(line -> line.split("\t", -1))
        .map(f -> new Row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[10]))
        .collect(Collectors.toList());
  }

  /** The path of a corpus torrent. */
  public static Path file(String name) {
    return Corpus.resolve("torrents/" + name);
  }

  /** The corpus's escape: {@code \xNN} is one byte, every other character is its own ASCII byte. */
  public static byte[] unescape(String escaped) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '\\') {
        out.write(Integer.parseInt(escaped.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }
}
