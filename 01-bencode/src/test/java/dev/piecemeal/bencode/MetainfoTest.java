package dev.piecemeal.bencode;

import static dev.piecemeal.testing.TestTorrents.file;
import static dev.piecemeal.testing.TestTorrents.multiFileInfo;
import static dev.piecemeal.testing.TestTorrents.singleFileInfo;
import static dev.piecemeal.testing.TestTorrents.strings;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.piecemeal.testing.TestTorrents;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetainfoTest {

  private static MetainfoException refusal(byte[] torrent) {
    MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Metainfo.fromBytes(torrent));
    assertThat(e).as("the torrent must be refused").isNotNull();
    return e;
  }

  private static byte[] content(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  @Nested
  class Loads {
    @Test
    void aSingleFileTorrentWithAShorterLastPiece() throws Exception {
      byte[] data = content(40_000);
      Metainfo metainfo = Metainfo.fromBytes(TestTorrents.singleFile("song.mp3", data, 16384));

      assertThat(metainfo.name()).isEqualTo("song.mp3");
      assertThat(metainfo.isSingleFile()).isTrue();
      assertThat(metainfo.totalLength()).isEqualTo(40_000);
      assertThat(metainfo.pieceCount()).isEqualTo(3);
      assertThat(metainfo.pieceSize(0)).isEqualTo(16384);
      assertThat(metainfo.pieceSize(2)).isEqualTo(40_000 - 2 * 16384);
      assertThat(metainfo.pieceHash(2)).isEqualTo(TestTorrents.sha1(Arrays.copyOfRange(data, 32768, 40_000)));
      assertThat(metainfo.files()).containsExactly(new TorrentFile(List.of("song.mp3"), 40_000, 0));
    }

    @Test
    void aMultiFileTorrentWithEachFilesOffsetAndItsFolderFirstInThePath() throws Exception {
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("README.txt", content(310));
      files.put("chapters/chapter-1.txt", content(28_000));
      files.put("chapters/empty.txt", new byte[0]);
      Metainfo metainfo = Metainfo.fromBytes(TestTorrents.multiFile("sample", 32768, files));

      assertThat(metainfo.isSingleFile()).isFalse();
      assertThat(metainfo.totalLength()).isEqualTo(28_310);
      assertThat(metainfo.files()).extracting(TorrentFile::relativePath, TorrentFile::length, TorrentFile::offset)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("sample/README.txt", 310L, 0L),
              org.assertj.core.groups.Tuple.tuple("sample/chapters/chapter-1.txt", 28_000L, 310L),
              org.assertj.core.groups.Tuple.tuple("sample/chapters/empty.txt", 0L, 28_310L));
    }

    @Test
    void theInfoHashIsTheSha1OfTheInfoBytesAsTheyAreInTheFile() throws Exception {
      byte[] torrent = TestTorrents.singleFile("a", content(10), 16384);
      Metainfo metainfo = Metainfo.fromBytes(torrent);
      assertThat(metainfo.infoHash().bytes()).isEqualTo(TestTorrents.sha1(metainfo.infoBytes()));
      assertThat(new String(torrent, US_ASCII)).contains(new String(metainfo.infoBytes(), US_ASCII));
    }

    /** The reason the decoder keeps spans: re-encoding unsorted info would change the hash. */
    @Test
    void anUnsortedInfoDictionaryIsHashedAsWrittenNotAsReEncoded() throws Exception {
      String info = "d4:name1:a6:lengthi10e12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaae";
      Metainfo metainfo = Metainfo.fromBytes(("d4:info" + info + "e").getBytes(US_ASCII));
      byte[] reEncoded = BencodeEncoder.encode(BencodeDecoder.decodeTorrent(info.getBytes(US_ASCII)));

      assertThat(metainfo.infoHash().bytes()).isEqualTo(TestTorrents.sha1(info.getBytes(US_ASCII)));
      assertThat(metainfo.infoHash().bytes()).isNotEqualTo(TestTorrents.sha1(reEncoded));
    }

    @Test
    void trailingBytesAfterTheTorrentAreIgnored() throws Exception {
      byte[] torrent = TestTorrents.singleFile("a", content(10), 16384);
      byte[] withNewline = Arrays.copyOf(torrent, torrent.length + 1);
      withNewline[torrent.length] = '\n';
      assertThat(Metainfo.fromBytes(withNewline).infoHash()).isEqualTo(Metainfo.fromBytes(torrent).infoHash());
    }

    @Test
    void trackerTiersFromAnnounceListThenAnnounceThenNone() throws Exception {
      BencodeDictionary info = singleFileInfo("a", 10, 16384).build();
      byte[] withList = BencodeEncoder.encode(BencodeDictionary.builder()
          .put("announce", "http://a/announce")
          .put("announce-list", new BencodeList(List.of(
              strings("http://a/announce", "udp://b:80"), strings(), strings("http://c/announce"))))
          .put("info", info).build());
      byte[] announceOnly = BencodeEncoder.encode(BencodeDictionary.builder()
          .put("announce", " http://a/announce\t").put("info", info).build());
      byte[] none = BencodeEncoder.encode(BencodeDictionary.builder().put("info", info).build());

      assertThat(Metainfo.fromBytes(withList).trackerTiers()).containsExactly(
          List.of("http://a/announce", "udp://b:80"), List.of("http://c/announce"));
      assertThat(Metainfo.fromBytes(announceOnly).trackerTiers()).containsExactly(List.of("http://a/announce"));
      assertThat(Metainfo.fromBytes(none).trackerTiers()).isEmpty();
      assertThat(Metainfo.fromBytes(none).announce()).isEmpty();
    }

    @Test
    void dhtNodesAsTheTorrentNamesThemLeavingOutWhatIsNotAHostAndAPort() throws Exception {
      byte[] torrent = BencodeEncoder.encode(BencodeDictionary.builder()
          .put("info", singleFileInfo("a", 10, 16384).build())
          .put("nodes", new BencodeList(List.of(
              new BencodeList(List.of(BencodeString.fromUtf8("127.0.0.1"), new BencodeInteger(6881))),
              new BencodeList(List.of(BencodeString.fromUtf8("router.example.org"), new BencodeInteger(6881))),
              new BencodeList(List.of(BencodeString.fromUtf8("192.0.2.7"), new BencodeInteger(0))),
              new BencodeList(List.of(new BencodeInteger(1), new BencodeInteger(2))),
              strings("192.0.2.8"))))
          .build());

      assertThat(Metainfo.fromBytes(torrent).dhtNodes()).containsExactly(
          new Metainfo.DhtNode("127.0.0.1", 6881), new Metainfo.DhtNode("router.example.org", 6881));
    }

    @Test
    void readsAtMostAHundredDhtNodes() throws Exception {
      List<BencodeValue> nodes = new java.util.ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        nodes.add(new BencodeList(List.of(BencodeString.fromUtf8("10.0.0.1"), new BencodeInteger(1 + i))));
      }
      byte[] torrent = BencodeEncoder.encode(BencodeDictionary.builder()
          .put("info", singleFileInfo("a", 10, 16384).build()).put("nodes", new BencodeList(nodes)).build());

      assertThat(Metainfo.fromBytes(torrent).dhtNodes()).hasSize(Metainfo.MAX_DHT_NODES);
    }

    @Test
    void malformedHintsOutsideInfoAreIgnored() throws Exception {
      byte[] torrent = BencodeEncoder.encode(BencodeDictionary.builder()
          .put("announce", 42)
          .put("announce-list", new BencodeList(List.of(new BencodeInteger(-20), strings(""))))
          .put("creation date", "yesterday")
          .put("info", singleFileInfo("a", 10, 16384).build()).build());
      Metainfo metainfo = Metainfo.fromBytes(torrent);
      assertThat(metainfo.trackerTiers()).isEmpty();
      assertThat(metainfo.creationDate()).isEmpty();
    }

    @Test
    void privateFlagCreationDateCommentAndCreator() throws Exception {
      byte[] torrent = BencodeEncoder.encode(BencodeDictionary.builder()
          .put("comment", "for the book")
          .put("created by", "mktorrent 1.1")
          .put("creation date", 1_700_000_000)
          .put("info", singleFileInfo("a", 10, 16384).set("private", 1).build()).build());
      Metainfo metainfo = Metainfo.fromBytes(torrent);
      assertThat(metainfo.isPrivate()).isTrue();
      assertThat(metainfo.creationDate()).contains(Instant.ofEpochSecond(1_700_000_000));
      assertThat(metainfo.comment()).contains("for the book");
      assertThat(metainfo.createdBy()).contains("mktorrent 1.1");
      assertThat(Metainfo.fromBytes(singleFileInfo("a", 10, 16384).torrent()).isPrivate()).isFalse();
    }

    @Test
    void padFilesCountInTheTotalAndSymlinksDoNot() throws Exception {
      BencodeDictionary pad = BencodeDictionary.builder().put("attr", "p").put("length", 16374).build();
      BencodeDictionary link = BencodeDictionary.builder().put("attr", "l").put("length", 999)
          .put("path", strings("link")).put("symlink path", strings("a.txt")).build();
      Metainfo metainfo = Metainfo.fromBytes(
          multiFileInfo("t", 16384, file(10, "a.txt"), pad, link, file(5, "b.txt"))
              .set("pieces", TestTorrents.dummyHashes(2)).torrent());

      assertThat(metainfo.totalLength()).isEqualTo(10 + 16374 + 5);
      assertThat(metainfo.files()).extracting(TorrentFile::relativePath, TorrentFile::kind, TorrentFile::offset)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("t/a.txt", TorrentFile.Kind.FILE, 0L),
              org.assertj.core.groups.Tuple.tuple("t/.pad/16374", TorrentFile.Kind.PADDING, 10L),
              org.assertj.core.groups.Tuple.tuple("t/link", TorrentFile.Kind.SYMLINK, 16384L),
              org.assertj.core.groups.Tuple.tuple("t/b.txt", TorrentFile.Kind.FILE, 16384L));
      assertThat(metainfo.files().get(2).symlinkTarget()).containsExactly("t", "a.txt");
    }

    @Test
    void invalidUtf8InANameBecomesTheReplacementCharacter() throws Exception {
      byte[] name = {'a', (byte) 0xff, 'b'};
      Metainfo metainfo = Metainfo.fromBytes(singleFileInfo("x", 10, 16384).set("name", name).torrent());
      assertThat(metainfo.name()).isEqualTo("a\uFFFDb");
    }

    @Test
    void pieceHashReturnsACopy() throws Exception {
      Metainfo metainfo = Metainfo.fromBytes(singleFileInfo("a", 10, 16384).torrent());
      metainfo.pieceHash(0)[0] = 99;
      assertThat(metainfo.pieceHash(0)[0]).isZero();
      assertThatThrownBy(() -> metainfo.pieceHash(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Nested
  class NotATorrent {
    @Test
    void reportsBrokenBencodeWithItsOffset() {
      MetainfoException e = refusal("d4:infod4:name1:a6:lengthi01eee".getBytes(US_ASCII));
      assertThat(e).hasMessage("integer with a leading zero at offset 26");
      assertThat(e.offset()).isEqualTo(26);
      assertThat(e.field()).isEmpty();
    }

    @Test
    void refusesATopLevelThatIsNotADictionary() {
      assertThat(refusal("10:libtorrent".getBytes(US_ASCII)))
          .hasMessage("metainfo: must be a dictionary, found string at offset 0");
    }

    @Test
    void refusesAMissingOrMistypedInfo() {
      assertThat(refusal("d8:announce1:xe".getBytes(US_ASCII))).hasMessage("info: missing in the dictionary at offset 0");
      assertThat(refusal("d4:info5:filese".getBytes(US_ASCII)))
          .hasMessage("info: must be a dictionary, found string at offset 7");
    }

    @Test
    void refusesAMissingName() {
      assertThat(refusal(singleFileInfo("a", 10, 16384).remove("name").torrent())).hasMessage("info.name: missing in the dictionary at offset 50");
    }
  }

  @Nested
  class BadPieces {
    @Test
    void refusesAPieceLengthThatIsNotPositive() {
      MetainfoException e = refusal(singleFileInfo("a", 10, 16384).set("piece length", 0).torrent());
      assertThat(e).hasMessageStartingWith("info.piece length: must be 1 to 536854528, found 0 at offset ");
      assertThat(refusal(singleFileInfo("a", 10, 16384).set("piece length", -16384).torrent()))
          .hasMessageContaining("found -16384");
    }

    @Test
    void refusesAPieceLengthOverTheLimit() {
      assertThat(refusal(singleFileInfo("a", 10, 16384).set("piece length", Metainfo.MAX_PIECE_LENGTH + 1L).torrent()))
          .hasMessageContaining("found 536854529");
    }

    @Test
    void refusesPiecesThatAreNotAMultipleOfTwenty() {
      assertThat(refusal(singleFileInfo("a", 10, 16384).set("pieces", new byte[24]).torrent()))
          .hasMessageStartingWith("info.pieces: length 24 is not a multiple of 20 at offset ");
    }

    @Test
    void refusesTooFewOrTooManyHashes() {
      assertThat(refusal(singleFileInfo("a", 40_000, 16384).set("pieces", new byte[40]).torrent()))
          .hasMessageStartingWith("info.pieces: holds 2 hashes, but 40000 bytes in pieces of 16384 need 3");
      assertThat(refusal(singleFileInfo("a", 10, 16384).set("pieces", new byte[40]).torrent()))
          .hasMessageContaining("holds 2 hashes");
    }

    /** The piece count is checked against the limit before it is compared or used. */
    @Test
    void refusesMorePiecesThanTheLimit() {
      byte[] oneHash = TestTorrents.info()
          .set("length", 1L << 40).set("name", "a").set("piece length", 16384).set("pieces", new byte[20]).torrent();
      assertThat(refusal(oneHash))
          .hasMessageStartingWith("info.pieces: 67108864 pieces (1099511627776 bytes in pieces of 16384)"
              + " is more than the limit of 2097152");
    }
  }

  @Nested
  class BadLengths {
    @Test
    void refusesANegativeLength() {
      assertThat(refusal(singleFileInfo("a", 10, 16384).set("length", -425).torrent()))
          .hasMessageStartingWith("info.length: must not be negative, found -425 at offset ");
    }

    @Test
    void refusesAFileLargerThanTheLimit() {
      byte[] huge = TestTorrents.info()
          .set("length", 1L << 44).set("name", "a").set("piece length", 16384).set("pieces", new byte[20]).torrent();
      assertThat(refusal(huge))
          .hasMessageContaining("info.length: 17592186044416 is larger than the limit of 17592186028032 bytes");
    }

    @Test
    void refusesATotalOfZero() {
      assertThat(refusal(singleFileInfo("a", 0, 16384).torrent())).hasMessage("info: the total length of the files is 0 at offset 50");
    }

    @Test
    void refusesAnEmptyFileList() {
      assertThat(refusal(multiFileInfo("a", 16384).torrent())).hasMessageStartingWith("info.files: must not be empty");
    }

    @Test
    void refusesBothForms() {
      assertThat(refusal(multiFileInfo("a", 16384, file(10, "x")).set("length", 10).torrent()))
          .hasMessage("info: has both \"length\" (single file) and \"files\" (multi-file) at offset 50");
    }

    @Test
    void refusesAFileWithoutLengthOrOfTheWrongType() {
      BencodeDictionary noLength = BencodeDictionary.builder().put("path", strings("x")).build();
      assertThat(refusal(multiFileInfo("a", 16384, file(10, "y"), noLength).torrent()))
          .hasMessage("info.files[1].length: missing");
      assertThat(refusal(multiFileInfo("a", 16384, file(10, "y")).set("files", strings("x")).torrent()))
          .hasMessage("info.files[0]: must be a dictionary, found string");
    }
  }

  @Nested
  class UnsafePaths {
    private MetainfoException refusalOfPath(String... path) {
      return refusal(multiFileInfo("t", 16384, file(10, "ok.txt"), file(10, path)).torrent());
    }

    @Test
    void refusesParentAndCurrentFolder() {
      assertThat(refusalOfPath("..", "..", "etc", "passwd"))
          .hasMessageStartingWith("info.files[1].path[0]: \"..\" is not allowed at offset ");
      assertThat(refusalOfPath("a", ".")).hasMessageStartingWith("info.files[1].path[1]: \".\" is not allowed");
    }

    @Test
    void refusesAnEmptyComponentAndAnEmptyPath() {
      assertThat(refusalOfPath("a", "")).hasMessageStartingWith("info.files[1].path[1]: an empty path component");
      assertThat(refusalOfPath()).hasMessageStartingWith("info.files[1].path: must not be empty");
    }

    @Test
    void refusesAbsolutePathsAndSeparatorsInsideAComponent() {
      assertThat(refusalOfPath("/etc/passwd"))
          .hasMessageStartingWith("info.files[1].path[0]: a path separator inside \"/etc/passwd\" is not allowed");
      assertThat(refusalOfPath("a\\..\\b")).hasMessageContaining("a path separator inside \"a\\..\\b\"");
    }

    @Test
    void refusesNulAndWindowsDriveLetters() {
      assertThat(refusalOfPath("a\0b")).hasMessageContaining("a NUL byte inside \"a\\x00b\" is not allowed");
      assertThat(refusalOfPath("C:", "Windows")).hasMessageContaining("a Windows drive letter in \"C:\"");
      assertThat(refusalOfPath("c:evil")).hasMessageContaining("a Windows drive letter");
    }

    @Test
    void refusesAnUnsafeName() {
      assertThat(refusal(singleFileInfo("..", 10, 16384).torrent()))
          .hasMessageStartingWith("info.name: \"..\" is not allowed at offset ");
      assertThat(refusal(singleFileInfo("../../.bashrc", 10, 16384).torrent()))
          .hasMessageStartingWith("info.name: a path separator");
    }

    @Test
    void refusesAnUnsafeSymlinkTarget() {
      BencodeDictionary link = BencodeDictionary.builder().put("attr", "l")
          .put("path", strings("link")).put("symlink path", strings("..", "..", "home")).build();
      assertThat(refusal(multiFileInfo("t", 16384, file(10, "a"), link).torrent()))
          .hasMessageStartingWith("info.files[1].symlink path[0]: \"..\" is not allowed");
    }

    /** A path of 100,000 components would make the duplicate check walk 100,000 prefixes. */
    @Test
    void refusesAPathDeeperThanTheLimit() throws Exception {
      String[] deep = new String[101];
      Arrays.fill(deep, "d");
      assertThat(refusalOfPath(deep))
          .hasMessageStartingWith("info.files[1].path: 101 components is more than the limit of 100 at offset ");
      String[] deepest = Arrays.copyOf(deep, 100);
      assertThat(Metainfo.fromBytes(multiFileInfo("t", 16384, file(10, "ok.txt"), file(10, deepest)).torrent())
          .files().get(1).path()).hasSize(101);
    }

    @Test
    void refusesAPathComponentThatIsNotAString() {
      BencodeDictionary bad = BencodeDictionary.builder().put("length", 1)
          .put("path", new BencodeList(List.of(new BencodeInteger(1242)))).build();
      assertThat(refusal(multiFileInfo("t", 16384, bad).torrent()))
          .hasMessageStartingWith("info.files[0].path[0]: must be a string, found integer");
    }

    @Test
    void refusesTwoEntriesForTheSameFile() {
      assertThat(refusalOfPath("ok.txt"))
          .hasMessage("info.files[1].path: \"t/ok.txt\" is also the path of info.files[0]");
    }

    @Test
    void refusesAPathThatIsAFileAndAFolder() {
      assertThat(refusalOfPath("ok.txt", "inner"))
          .hasMessage("info.files[1].path: \"t/ok.txt\" is a folder here but a file in info.files[0]");
      assertThat(refusal(multiFileInfo("t", 16384, file(10, "d", "x"), file(10, "d")).torrent()))
          .hasMessage("info.files[1].path: \"t/d\" is also a folder in info.files[0]");
    }
  }

  @Nested
  class Version2 {
    @Test
    void refusesAV2OnlyTorrentClearly() {
      byte[] v2only = singleFileInfo("a", 10, 16384).set("meta version", 2).remove("pieces").torrent();
      assertThat(refusal(v2only)).hasMessageContaining("info.meta version: v2-only torrents are not supported");
    }

    private TestTorrents.Info hybrid(BencodeDictionary fileTree) {
      return singleFileInfo("a", 10, 16384).set("meta version", 2).set("file tree", fileTree);
    }

    private BencodeDictionary leaf(long length) {
      return BencodeDictionary.builder()
          .put("", BencodeDictionary.builder().put("length", length).put("pieces root", new byte[32]).build())
          .build();
    }

    @Test
    void loadsAHybridThroughItsV1Part() throws Exception {
      Metainfo metainfo = Metainfo.fromBytes(hybrid(BencodeDictionary.builder().put("a", leaf(10)).build()).torrent());
      assertThat(metainfo.isHybrid()).isTrue();
      assertThat(metainfo.files()).containsExactly(new TorrentFile(List.of("a"), 10, 0));
    }

    @Test
    void refusesAHybridWhoseTwoFileListsDisagree() {
      assertThat(refusal(hybrid(BencodeDictionary.builder().put("a", leaf(11)).build()).torrent()))
          .hasMessageStartingWith("info.file tree: does not match the v1 file list: 1 file(s) [a (11 bytes)]"
              + " versus 1 file(s) [a (10 bytes)]");
    }

    @Test
    void refusesAHybridWhoseFilesAreNotPieceAligned() {
      byte[] torrent = multiFileInfo("t", 16384, file(10, "a"), file(10, "b"))
          .set("meta version", 2)
          .set("file tree", BencodeDictionary.builder().put("a", leaf(10)).put("b", leaf(10)).build())
          .torrent();
      assertThat(refusal(torrent))
          .hasMessage("info.files: \"t/b\" starts at byte 10, not on a piece boundary, in a hybrid torrent");
    }

    @Test
    void refusesAHybridThatIsNotCanonicalBencode() {
      String info = "d4:name1:a6:lengthi10e12:meta versioni2e12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaae";
      assertThat(refusal(("d4:info" + info + "e").getBytes(US_ASCII)))
          .hasMessage("info: not canonical bencode, which BEP 52 requires: dictionary key \"length\""
              + " is out of order (after \"name\") at offset 17");
    }
  }

  @Nested
  class FromFile {
    @TempDir Path folder;

    @Test
    void readsAFile() throws Exception {
      Path file = folder.resolve("a.torrent");
      Files.write(file, singleFileInfo("a", 10, 16384).torrent());
      assertThat(Metainfo.fromFile(file).name()).isEqualTo("a");
    }

    /** The size is checked before reading: the sparse 10 MB file costs no memory. */
    @Test
    void refusesAFileOverTenMegabytesBeforeReadingIt() throws Exception {
      Path file = folder.resolve("huge.torrent");
      try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
        sparse.setLength(Metainfo.MAX_FILE_SIZE + 1);
      }
      assertThatThrownBy(() -> Metainfo.fromFile(file))
          .isInstanceOf(MetainfoException.class)
          .hasMessage("file: 10000001 bytes is larger than the limit of 10000000 bytes for a .torrent file");
    }

    @Test
    void aMissingFileIsAnIoError() {
      assertThatThrownBy(() -> Metainfo.fromFile(folder.resolve("missing.torrent")))
          .isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void textIsUtf8() throws Exception {
    Metainfo metainfo = Metainfo.fromBytes(singleFileInfo("été.txt", 10, 16384).torrent());
    assertThat(metainfo.name().getBytes(StandardCharsets.UTF_8)).hasSize(9);
  }
}
