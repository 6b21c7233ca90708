package dev.piecemeal.client.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.storage.Recheck;
import dev.piecemeal.storage.RecheckResult;
import dev.piecemeal.storage.TorrentStorage;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentCreatorTest {
  private static final String TRACKER = "http://127.0.0.1:6969/announce";
  private static final TorrentOptions OPTIONS = TorrentOptions.trackers(TRACKER);

  @TempDir Path folder;

  @Test
  void makesASingleFileTorrentThatRecheckFindsComplete() throws Exception {
    Path file = Files.write(folder.resolve("single.bin"), TestTrees.bytes(4 * 1024 * 1024 + 12_345, 1));
    Metainfo metainfo = load(create(file, OPTIONS));

    assertThat(metainfo.isSingleFile()).isTrue();
    assertThat(metainfo.name()).isEqualTo("single.bin");
    assertThat(metainfo.totalLength()).isEqualTo(4 * 1024 * 1024 + 12_345);
    assertThat(metainfo.pieceLength()).as("4 MiB in at most 2000 pieces: 16 KiB is enough").isEqualTo(16 * 1024);
    assertThat(metainfo.pieceCount()).isEqualTo(257);
    assertThat(metainfo.announce()).contains(TRACKER);
    assertThat(recheck(metainfo, folder).isComplete()).as("chapter 7's recheck of the data").isTrue();
  }

  @Test
  void makesAFolderTorrentWithNestedFoldersAZeroLengthFileAndANonAsciiName() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.txt", TestTrees.bytes(100_003, 1));
    files.put("docs/deep/nested/data.bin", TestTrees.bytes(1_234_567, 2));
    files.put("docs/readme.md", TestTrees.bytes(7_777, 3));
    files.put("empty.dat", new byte[0]);
    files.put("musique/café-crème.txt", TestTrees.bytes(4_321, 4));
    Path root = TestTrees.write(folder.resolve("piecemeal-multi"), files);

    Metainfo metainfo = load(create(root, OPTIONS.withPieceLength(32 * 1024)));

    assertThat(metainfo.isSingleFile()).isFalse();
    assertThat(metainfo.name()).isEqualTo("piecemeal-multi");
    assertThat(metainfo.pieceLength()).isEqualTo(32 * 1024);
    assertThat(metainfo.files()).extracting(TorrentFile::relativePath, TorrentFile::length).containsExactly(
        Tuple.tuple("piecemeal-multi/a.txt", 100_003L),
        Tuple.tuple("piecemeal-multi/docs/deep/nested/data.bin", 1_234_567L),
        Tuple.tuple("piecemeal-multi/docs/readme.md", 7_777L),
        Tuple.tuple("piecemeal-multi/empty.dat", 0L),
        Tuple.tuple("piecemeal-multi/musique/café-crème.txt", 4_321L));
    RecheckResult result = recheck(metainfo, folder);
    assertThat(result.isComplete()).as("chapter 7's recheck of the data").isTrue();
    assertThat(result.pieceCount()).isEqualTo(42); // 1,346,668 bytes: 41 pieces of 32 KiB and 3,180 bytes
  }

  @Test
  void writesTheNameAndPathsAsUtf8() throws Exception {
    Path root = TestTrees.write(folder.resolve("crème"), Map.of("naïve.txt", new byte[] {1}));
    BencodeDictionary info = infoOf(create(root, OPTIONS));
    assertThat(new String(BencodeEncoder.encode(info), StandardCharsets.ISO_8859_1))
        .contains("4:name6:cr\u00c3\u00a8me")
        .contains("4:pathl10:na\u00c3\u00afve.txtee");
  }

  @Nested
  class Deterministic {
    @Test
    void twoRunsGiveTheSameInfoHashWhateverTheDateTrackersAndThreads() throws Exception {
      Path root = TestTrees.write(folder.resolve("tree"), Map.of(
          "x/1.bin", TestTrees.bytes(300_000, 1), "x/2.bin", TestTrees.bytes(5, 2), "y", new byte[0]));
      CreatedTorrent first = TorrentCreator.create(ContentScan.of(root),
          OPTIONS.withCreationDate(Instant.parse("2025-01-01T00:00:00Z")).withCreatedBy("Piecemeal 0.1.0"),
          1, (done, total) -> { });
      CreatedTorrent second = TorrentCreator.create(ContentScan.of(root),
          TorrentOptions.trackers("udp://127.0.0.1:1/announce", TRACKER).withComment("again")
              .withCreationDate(Instant.parse("2026-06-30T12:00:00Z")).withCreatedBy("Piecemeal 9.9.9"),
          4, (done, total) -> { });
      assertThat(second.infoHash()).isEqualTo(first.infoHash());
      assertThat(second.bytes()).as("the files differ outside info").isNotEqualTo(first.bytes());
    }

    @Test
    void theSameFilesMadeInAnotherOrderGiveTheSameInfoHash() throws Exception {
      List<String> names = List.of("b/2", "a", "b/1", "ü/x", "c.dat");
      Map<String, byte[]> forward = new LinkedHashMap<>();
      Map<String, byte[]> backward = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        forward.put(names.get(i), TestTrees.bytes(20_000 + i, i));
      }
      for (int i = names.size() - 1; i >= 0; i--) {
        backward.put(names.get(i), forward.get(names.get(i)));
      }
      CreatedTorrent one = create(TestTrees.write(folder.resolve("one/content"), forward), OPTIONS);
      CreatedTorrent two = create(TestTrees.write(folder.resolve("two/content"), backward), OPTIONS);
      assertThat(two.infoHash()).isEqualTo(one.infoHash());
    }

    @Test
    void keepsDatesAndToolsOutOfTheInfoDictionary() throws Exception {
      Path file = Files.write(folder.resolve("f"), new byte[100]);
      BencodeDictionary info = infoOf(create(file, OPTIONS.withCreationDate(Instant.now()).withComment("c")));
      assertThat(info.entries()).extracting(e -> e.key().utf8Lenient())
          .containsExactly("length", "name", "piece length", "pieces");
    }

    @Test
    void privateAndANameOfItsOwnMakeAnotherTorrent() throws Exception {
      Path file = Files.write(folder.resolve("f"), new byte[100]);
      CreatedTorrent plain = create(file, OPTIONS);
      CreatedTorrent hidden = create(file, OPTIONS.withPrivate(true));
      CreatedTorrent renamed = create(file, OPTIONS.withName("g"));
      assertThat(hidden.infoHash()).isNotEqualTo(plain.infoHash());
      assertThat(renamed.infoHash()).isNotEqualTo(plain.infoHash());
      assertThat(load(hidden).isPrivate()).isTrue();
      assertThat(load(renamed).name()).isEqualTo("g");
    }
  }

  @Nested
  class Trackers {
    @Test
    void oneTrackerIsTheAnnounceAlone() throws Exception {
      CreatedTorrent torrent = create(Files.write(folder.resolve("f"), new byte[100]), OPTIONS);
      BencodeDictionary root = rootOf(torrent);
      assertThat(root.get("announce-list")).isEmpty();
      assertThat(load(torrent).trackerTiers()).containsExactly(List.of(TRACKER));
    }

    @Test
    void severalTrackersAreOneTierEachAndTheFirstIsTheAnnounce() throws Exception {
      String udp = "udp://127.0.0.1:6969/announce";
      CreatedTorrent torrent = create(Files.write(folder.resolve("f"), new byte[100]),
          TorrentOptions.trackers(TRACKER, udp));
      Metainfo metainfo = load(torrent);
      assertThat(metainfo.announce()).contains(TRACKER);
      assertThat(metainfo.trackerTiers()).containsExactly(List.of(TRACKER), List.of(udp));
    }

    @Test
    void theCommentCreatorAndDateAreOutsideInfo() throws Exception {
      Metainfo metainfo = load(create(Files.write(folder.resolve("f"), new byte[100]), OPTIONS
          .withComment("holiday photos").withCreatedBy("Piecemeal 0.1.0")
          .withCreationDate(Instant.parse("2026-01-01T00:00:00Z"))));
      assertThat(metainfo.comment()).contains("holiday photos");
      assertThat(metainfo.createdBy()).contains("Piecemeal 0.1.0");
      assertThat(metainfo.creationDate()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    }
  }

  @Test
  void refusesBeforeHashingATorrentTooLargeForATorrentFile() throws Exception {
    // A sparse file of 500,001 pieces of 16 KiB: its hashes alone would be 10,000,020 bytes.
    Path file = folder.resolve("huge.img");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(500_001L * 16 * 1024);
    }
    assertThatThrownBy(() -> create(file, OPTIONS.withPieceLength(16 * 1024)))
        .isInstanceOfSatisfying(CreateException.class,
            e -> assertThat(e.kind()).isEqualTo(CreateException.Kind.REFUSED))
        .hasMessage("500,001 pieces of 16 KiB need 10,000,020 bytes of hashes, more than the limit of"
            + " 10,000,000 bytes for a .torrent file; choose a larger piece length");
  }

  private static CreatedTorrent create(Path path, TorrentOptions options) throws Exception {
    return TorrentCreator.create(ContentScan.of(path), options, 2, (done, total) -> { });
  }

  private static Metainfo load(CreatedTorrent torrent) throws Exception {
    Metainfo metainfo = Metainfo.fromBytes(torrent.bytes());
    assertThat(metainfo.infoHash()).as("the loader's info-hash").isEqualTo(torrent.infoHash());
    return metainfo;
  }

  private static BencodeDictionary rootOf(CreatedTorrent torrent) throws Exception {
    return (BencodeDictionary) BencodeDecoder.decode(torrent.bytes());
  }

  private static BencodeDictionary infoOf(CreatedTorrent torrent) throws Exception {
    return (BencodeDictionary) rootOf(torrent).get("info").orElseThrow();
  }

  private static RecheckResult recheck(Metainfo metainfo, Path dataFolder) throws Exception {
    try (TorrentStorage storage = TorrentStorage.openForReading(metainfo, dataFolder)) {
      return Recheck.run(storage, 2, (checked, total) -> { });
    }
  }
}
