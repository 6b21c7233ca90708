package dev.piecemeal.storage;

import static dev.piecemeal.storage.StorageTorrents.file;
import static dev.piecemeal.storage.StorageTorrents.pad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.PieceAssembler.Added;
import dev.piecemeal.storage.StorageTorrents.Torrent;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiskPieceAssemblerTest {
  private static final int BLOCK = 16384;

  @TempDir
  Path downloads;

  /** Three pieces of 40000 bytes (blocks 16384, 16384, 7232) over two files and a pad file. */
  private static Torrent torrent() {
    return StorageTorrents.multiFile("t", 40_000, file("a", 50_000), pad(1_000), file("b", 69_000));
  }

  private static ByteBuffer block(byte[] piece, int begin) {
    return ByteBuffer.wrap(piece, begin, Math.min(BLOCK, piece.length - begin)).slice();
  }

  private static List<Integer> begins(int length) {
    List<Integer> begins = new ArrayList<>();
    for (int begin = 0; begin < length; begin += BLOCK) {
      begins.add(begin);
    }
    return begins;
  }

  private static byte[] sha1(byte[] bytes, int from, int to) throws Exception {
    return MessageDigest.getInstance("SHA-1").digest(Arrays.copyOfRange(bytes, from, to));
  }

  @Test
  void writesEachBlockInPlaceAndPassesWhenReadBack() throws Exception {
    Torrent torrent = torrent();
    byte[] piece = torrent.piece(1); // offsets 40000..80000: the end of a, the pad file, the start of b
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      DiskPieceAssembler<String> assembler = new DiskPieceAssembler<>(storage, 1);
      List<Integer> order = begins(piece.length);
      Collections.shuffle(order, new Random(3));
      List<Added> results = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) {
        results.add(assembler.add(i % 2 == 0 ? "A" : "B", 1, order.get(i), block(piece, order.get(i))));
      }

      assertThat(results).containsExactly(Added.STORED, Added.STORED, Added.PIECE_COMPLETE);
      assertThat(assembler.verifyAndStore(storage)).isEqualTo(new PieceVerdict.Written<String>(1));
    }
    byte[] a = Files.readAllBytes(downloads.resolve("t/a"));
    byte[] b = Files.readAllBytes(downloads.resolve("t/b"));
    assertThat(Arrays.copyOfRange(a, 40_000, 50_000)).isEqualTo(Arrays.copyOfRange(piece, 0, 10_000));
    assertThat(Arrays.copyOfRange(b, 0, 29_000)).isEqualTo(Arrays.copyOfRange(piece, 11_000, 40_000));
    assertThat(Arrays.copyOfRange(a, 0, 40_000)).as("piece 0 untouched").isEqualTo(new byte[40_000]);
    assertThat(Arrays.copyOfRange(b, 29_000, 69_000)).as("piece 2 untouched").isEqualTo(new byte[40_000]);
    assertThat(downloads.resolve("t/.pad/1000")).as("pad files are never written").doesNotExist();
  }

  @Test
  void failsAPieceWithABadBlockAndKeepsEachBlocksHashAndSenderAsItArrived() throws Exception {
    Torrent torrent = torrent();
    byte[] sent = torrent.piece(0);
    sent[20_000] ^= 1; // in block 1
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      DiskPieceAssembler<String> assembler = new DiskPieceAssembler<>(storage, 0);
      assembler.add("A", 0, 0, block(sent, 0));
      assembler.add("B", 0, BLOCK, block(sent, BLOCK));
      assembler.add("A", 0, 2 * BLOCK, block(sent, 2 * BLOCK));

      assertThat(assembler.verifyAndStore(storage)).isEqualTo(new PieceVerdict.Failed<>(0, java.util.Set.of("A", "B")));
      assertThat(assembler.blockSenders()).containsExactly("A", "B", "A");
      assertThat(assembler.blockHashes()).containsExactly(
          sha1(sent, 0, BLOCK), sha1(sent, BLOCK, 2 * BLOCK), sha1(sent, 2 * BLOCK, 40_000));
    }
  }

  @Test
  void ignoresADuplicateAndKeepsTheFirstCopyOnDisk() throws Exception {
    Torrent torrent = torrent();
    byte[] piece = torrent.piece(2);
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      DiskPieceAssembler<String> assembler = new DiskPieceAssembler<>(storage, 2);
      assertThat(assembler.add("A", 2, 0, block(piece, 0))).isEqualTo(Added.STORED);
      assertThat(assembler.add("C", 2, 0, ByteBuffer.allocate(BLOCK))).isEqualTo(Added.DUPLICATE);
      assembler.add("B", 2, BLOCK, block(piece, BLOCK));
      assembler.add("B", 2, 2 * BLOCK, block(piece, 2 * BLOCK));

      assertThat(assembler.verifyAndStore(storage)).isEqualTo(new PieceVerdict.Written<String>(2));
      assertThat(assembler.contributors()).as("a duplicate contributes nothing").containsExactly("A", "B");
    }
  }

  @Test
  void namesTheBlocksThatArrivedForWhoeverGivesThePieceUp() throws Exception {
    Torrent torrent = torrent();
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      DiskPieceAssembler<String> assembler = new DiskPieceAssembler<>(storage, 0);
      assembler.add("A", 0, 2 * BLOCK, block(torrent.piece(0), 2 * BLOCK));

      assertThat(assembler.receivedBlocks()).containsExactly(new BlockRequest(0, 2 * BLOCK, 7232));
      assertThat(assembler.isComplete()).isFalse();
      assertThatThrownBy(assembler::blockHashes).isInstanceOf(IllegalStateException.class)
          .hasMessage("piece 0 has 1 of 3 blocks");
    }
  }

  @Test
  void holdsTwentyEightBytesABlockWhateverThePieceLength() throws Exception {
    assertThat(DiskPieceAssembler.bytesFor(40_000)).isEqualTo(3 * 28);
    assertThat(DiskPieceAssembler.bytesFor(32767 * BLOCK)).as("the largest piece Metainfo allows")
        .isEqualTo(917_476);
    try (TorrentStorage storage = TorrentStorage.create(torrent().metainfo(), downloads)) {
      assertThat(new DiskPieceAssembler<String>(storage, 0).bytesHeld()).isEqualTo(3 * 28);
    }
  }

  /** Both kinds of incoming piece refuse a wrong block alike, with the same message. */
  static Stream<Arguments> wrongBlocks() {
    return Stream.of(
        Arguments.of(6, 0, BLOCK, "block 6:0+16384 is not part of piece 1"),
        Arguments.of(1, 100, BLOCK, "block 1:100+16384 does not start on a 16 KiB block of the piece's 40000 bytes"),
        Arguments.of(1, 3 * BLOCK, 100, "block 1:49152+100 does not start on a 16 KiB block of the piece's 40000 bytes"),
        Arguments.of(1, BLOCK, 1000, "block 1:16384+1000 has 1000 bytes, but the block there has 16384"),
        Arguments.of(1, 2 * BLOCK, BLOCK, "block 1:32768+16384 has 16384 bytes, but the block there has 7232"));
  }

  @ParameterizedTest(name = "{3}")
  @MethodSource("wrongBlocks")
  void refusesTheBlocksPieceAssemblerRefuses(int index, int begin, int length, String message) throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent().metainfo(), downloads)) {
      List<Function<Void, IncomingPiece<String>>> kinds = List.of(
          v -> new PieceAssembler<>(1, 40_000), v -> new DiskPieceAssembler<>(storage, 1));
      for (Function<Void, IncomingPiece<String>> kind : kinds) {
        IncomingPiece<String> piece = kind.apply(null);
        assertThatThrownBy(() -> piece.add("A", index, begin, ByteBuffer.allocate(length)))
            .as(piece.getClass().getSimpleName())
            .isInstanceOf(ProtocolException.class)
            .hasMessage(message);
        assertThat(piece.receivedBlocks()).as("nothing kept").isEmpty();
      }
    }
    assertThat(Files.readAllBytes(downloads.resolve("t/a"))).as("nothing written").isEqualTo(new byte[50_000]);
  }

  @Test
  void refusesToWriteIntoStorageOpenedForReading() throws Exception {
    Torrent torrent = torrent();
    TorrentStorage.create(torrent.metainfo(), downloads).close();
    try (TorrentStorage storage = TorrentStorage.openForReading(torrent.metainfo(), downloads)) {
      DiskPieceAssembler<String> assembler = new DiskPieceAssembler<>(storage, 0);
      assertThatThrownBy(() -> assembler.add("A", 0, 0, block(torrent.piece(0), 0)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("storage opened for reading only");
    }
  }
}
