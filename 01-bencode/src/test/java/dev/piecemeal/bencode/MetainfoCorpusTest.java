package dev.piecemeal.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.piecemeal.testing.TorrentCorpus;
import dev.piecemeal.testing.TorrentCorpus.Row;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every .torrent of the test corpus ({@code torrents/EXPECTED.tsv}), loaded as a user's file
 * would be. The corpus records what libtorrent does; where Piecemeal deliberately does otherwise,
 * the row is listed in {@link TorrentCorpus#DELIBERATE_DIFFERENCES} with a word our error must contain.
 */
class MetainfoCorpusTest {

  static Stream<Row> torrents() throws IOException {
    return TorrentCorpus.rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torrents")
  void loadsOrRefusesAsTheCorpusExpects(Row row) throws Exception {
    Path file = TorrentCorpus.file(row.file());
    if (TorrentCorpus.DELIBERATE_DIFFERENCES.containsKey(row.file())) {
      assertThat(row.expect()).as("a difference is only needed where libtorrent loads the file").isEqualTo("ok");
      MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Metainfo.fromFile(file));
      assertThat(e).as("%s must be refused: %s", row.file(), row.note()).isNotNull();
      assertThat(e.getMessage()).contains(TorrentCorpus.DELIBERATE_DIFFERENCES.get(row.file()));
    } else if (row.expect().equals("ok")) {
      Metainfo metainfo = Metainfo.fromFile(file);
      assertThat(metainfo.infoHash().hex()).isEqualTo(row.infoHashHex());
      assertThat(rawName(metainfo)).isEqualTo(TorrentCorpus.unescape(row.name()));
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
    Set<String> files = TorrentCorpus.rows().stream().map(Row::file).collect(Collectors.toCollection(TreeSet::new));
    assertThat(files).containsAll(TorrentCorpus.DELIBERATE_DIFFERENCES.keySet());
  }

  /** The name's bytes as they are in the file, before any decoding. */
  private static byte[] rawName(Metainfo metainfo) throws BencodeException {
    BencodeDictionary info = (BencodeDictionary) BencodeDecoder.decodeTorrent(metainfo.infoBytes());
    return ((BencodeString) info.get("name").orElseThrow()).bytes();
  }
}
