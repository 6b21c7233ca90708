package dev.piecemeal.client.magnet;

import static dev.piecemeal.client.magnet.Payloads.ascii;
import static dev.piecemeal.client.magnet.Payloads.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.testing.TestTorrents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetadataAssemblerTest {

  /**
   * The info dictionary of a torrent of 5,000 pieces: its 100,000 bytes of piece hashes make
   * metadata of 7 ut_metadata pieces, the last a short one.
   */
  private static final byte[] INFO = BencodeEncoder.encode(
      TestTorrents.singleFileInfo("big.iso", 5000L * 16384, 16384).build());
  private static final InfoHash HASH = InfoHash.fromBytes(TestTorrents.sha1(INFO));
  private static final List<String> TRACKERS = List.of("http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969");

  @Test
  void takesPiecesInAnyOrderAndAcceptsTheTorrentTheInfoHashNames() throws Exception {
    MetadataAssembler<String> assembler = new MetadataAssembler<>(HASH, INFO.length);
    assertThat(assembler.pieceCount()).isEqualTo(7);
    assertThat(assembler.missingPieces()).containsExactly(0, 1, 2, 3, 4, 5, 6);

    List<Integer> order = new ArrayList<>(assembler.missingPieces());
    Collections.shuffle(order, new Random(18));
    for (int i = 0; i < order.size(); i++) {
      int piece = order.get(i);
      MetadataAssembler.Added added = assembler.add(piece % 2 == 0 ? "A" : "B", piece(INFO, piece));
      assertThat(added).as("piece %d, the %d. to arrive", piece, i + 1)
          .isEqualTo(i == order.size() - 1 ? MetadataAssembler.Added.COMPLETE : MetadataAssembler.Added.STORED);
      assertThat(assembler.missingPieces()).doesNotContain(piece).hasSize(order.size() - 1 - i);
    }

    MetadataVerdict<String> verdict = assembler.verify(TRACKERS);
    assertThat(verdict).isInstanceOf(MetadataVerdict.Accepted.class);
    Metainfo metainfo = ((MetadataVerdict.Accepted<String>) verdict).metainfo();
    assertThat(metainfo.infoHash()).isEqualTo(HASH);
    assertThat(metainfo.infoBytes()).isEqualTo(INFO);
    assertThat(metainfo.name()).isEqualTo("big.iso");
    assertThat(metainfo.pieceCount()).isEqualTo(5000);
    assertThat(metainfo.trackerTiers()).containsExactly(List.of(TRACKERS.get(0)), List.of(TRACKERS.get(1)));
    assertThat(assembler.pieceSenders()).containsExactly("A", "B", "A", "B", "A", "B", "A");
  }

  @Test
  void metadataInOnePieceAndNoTrackersIsATrackerlessTorrent() throws Exception {
    byte[] info = BencodeEncoder.encode(TestTorrents.singleFileInfo("a.txt", 10, 16384).build());
    MetadataAssembler<String> assembler = new MetadataAssembler<>(InfoHash.fromBytes(TestTorrents.sha1(info)), info.length);
    assertThat(assembler.add("A", piece(info, 0))).isEqualTo(MetadataAssembler.Added.COMPLETE);
    Metainfo metainfo = ((MetadataVerdict.Accepted<String>) assembler.verify(List.of())).metainfo();
    assertThat(metainfo.trackerTiers()).isEmpty();
    assertThat(metainfo.totalLength()).isEqualTo(10);
  }

  @Test
  void aDuplicateIsNotStoredAndTheFirstCopyStays() throws Exception {
    MetadataAssembler<String> assembler = new MetadataAssembler<>(HASH, INFO.length);
    assertThat(assembler.add("A", piece(INFO, 3))).isEqualTo(MetadataAssembler.Added.STORED);
    assertThat(assembler.add("B", spoiled(piece(INFO, 3)))).isEqualTo(MetadataAssembler.Added.DUPLICATE);
    for (int piece : assembler.missingPieces()) {
      assembler.add("A", piece(INFO, piece));
    }
    assertThat(assembler.contributors()).containsExactly("A");
    assertThat(assembler.verify(TRACKERS)).isInstanceOf(MetadataVerdict.Accepted.class);
  }

  @Test
  void metadataWhoseHashIsWrongIsRefusedNamingEverySender() throws Exception {
    MetadataAssembler<String> assembler = new MetadataAssembler<>(HASH, INFO.length);
    for (int piece = 0; piece < assembler.pieceCount(); piece++) {
      MetadataMessage.Data data = piece(INFO, piece);
      assembler.add(piece == 4 ? "liar" : "A", piece == 4 ? spoiled(data) : data);
    }
    MetadataVerdict<String> verdict = assembler.verify(TRACKERS);

    assertThat(verdict).isInstanceOf(MetadataVerdict.WrongHash.class);
    MetadataVerdict.WrongHash<String> wrong = (MetadataVerdict.WrongHash<String>) verdict;
    assertThat(wrong.contributors()).containsExactlyInAnyOrder("A", "liar");
    assertThat(wrong.actual()).isNotEqualTo(HASH);
    assertThat(assembler.pieceSenders().get(4)).as("who sent which piece, for the ban list").isEqualTo("liar");
  }

  @Test
  void aDataMessageForMetadataOfAnotherSizeIsRefused() {
    MetadataAssembler<String> assembler = new MetadataAssembler<>(HASH, INFO.length);
    MetadataMessage.Data other = new MetadataMessage.Data(0, 40_000, new byte[16384]);
    assertThatThrownBy(() -> assembler.add("B", other))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("ut_metadata: data for piece 0 says total_size 40000, but the metadata is " + INFO.length + " bytes");
    assertThat(assembler.missingPieces()).hasSize(7);
  }

  @Test
  void aSizeOverSixteenMebibytesIsRefusedBeforeAllocating() {
    // Integer.MAX_VALUE bytes would be an OutOfMemoryError, not this message, if it were allocated first.
    assertThatThrownBy(() -> new MetadataAssembler<String>(HASH, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata of 2147483647 bytes: outside 1..16777216");
    assertThatThrownBy(() -> new MetadataAssembler<String>(HASH, MetadataMessage.MAX_TOTAL_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MetadataAssembler<String>(HASH, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new MetadataAssembler<String>(HASH, MetadataMessage.MAX_TOTAL_SIZE).pieceCount()).isEqualTo(1024);
  }

  @Test
  void cannotVerifyBeforeEveryPieceIsIn() throws Exception {
    MetadataAssembler<String> assembler = new MetadataAssembler<>(HASH, INFO.length);
    assembler.add("A", piece(INFO, 0));
    assertThatThrownBy(() -> assembler.verify(TRACKERS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("metadata has 1 of 7 pieces");
  }

  @Test
  void metadataThatMatchesItsHashButIsNoTorrentWeCanDownloadIsAMetainfoError() throws Exception {
    byte[] info = BencodeEncoder.encode(TestTorrents.singleFileInfo("../escape", 10, 16384).build());
    MetadataAssembler<String> assembler = complete(info);
    assertThatThrownBy(() -> assembler.verify(TRACKERS))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("info.name");
  }

  /**
   * A link's author can make the info-hash of any bytes; bytes that are a dictionary and then more
   * would have put keys of their own (here an announce URL) into the .torrent around them.
   */
  @Test
  void metadataThatIsMoreThanOneDictionaryIsRefused() throws Exception {
    byte[] info = bytes(
        BencodeEncoder.encode(TestTorrents.singleFileInfo("a.txt", 10, 16384).build()),
        ascii("8:announce", "28:http://evil.example/announce"));
    MetadataAssembler<String> assembler = complete(info);
    assertThatThrownBy(() -> assembler.verify(List.of()))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("the metadata is more than one bencoded dictionary");
  }

  /** The .torrent around the metadata: the encoder's dictionary, and the metadata's own bytes before its last "e". */
  @Test
  void wrapsTheMetadataByteForByteAfterTheTrackers() {
    byte[] info = ascii("d4:name1:ae"); // any bytes: they are not looked at here
    assertThat(MetadataAssembler.torrent(info, List.of("http://t/a", "udp://u:1"))).isEqualTo(bytes(
        ascii("d"),
        ascii("8:announce", "10:http://t/a"),                                // the first tracker
        ascii("13:announce-list", "l", "l", "10:http://t/a", "e", "l", "9:udp://u:1", "e", "e"), // each its own tier
        ascii("4:info"), info,                                               // as received
        ascii("e")));
    assertThat(MetadataAssembler.torrent(info, List.of())).isEqualTo(bytes(ascii("d", "4:info"), info, ascii("e")));
  }

  private static MetadataAssembler<String> complete(byte[] info) throws ProtocolException {
    MetadataAssembler<String> assembler = new MetadataAssembler<>(InfoHash.fromBytes(TestTorrents.sha1(info)), info.length);
    for (int piece = 0; piece < assembler.pieceCount(); piece++) {
      assembler.add("A", piece(info, piece));
    }
    return assembler;
  }

  /** Piece {@code piece} of {@code info}, as a peer's data message brings it. */
  static MetadataMessage.Data piece(byte[] info, int piece) {
    return MetadataServer.fromInfoBytes(info).orElseThrow().piece(piece);
  }

  /** The same piece with its first byte changed. */
  private static MetadataMessage.Data spoiled(MetadataMessage.Data data) {
    byte[] bytes = data.bytes();
    bytes[0] ^= 1;
    return new MetadataMessage.Data(data.piece(), data.totalSize(), bytes);
  }
}
