package dev.piecemeal.storage;

import static dev.piecemeal.storage.StorageTorrents.file;
import static dev.piecemeal.storage.StorageTorrents.pad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.StorageTorrents.Entry;
import dev.piecemeal.storage.StorageTorrents.Torrent;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TorrentStorageTest {
  @TempDir
  Path downloads;

  /** The layout table: each torrent's every byte must land where its file says. */
  static Stream<Arguments> torrents() {
    List<Entry> small = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      small.add(file("small/file-" + i + ".txt", 1 + i * 137));
    }
    return Stream.of(
        Arguments.of("one file", StorageTorrents.singleFile("one.bin", 100_000, 32768)),
        Arguments.of("many small files, each smaller than a block",
            StorageTorrents.multiFile("many", 16384, small.toArray(Entry[]::new))),
        Arguments.of("a piece spanning three files",
            StorageTorrents.multiFile("three", 32768, file("a", 10_000), file("b", 5_000), file("c", 30_000))),
        Arguments.of("zero-length files at the start, middle and end",
            StorageTorrents.multiFile("empty", 16384, file("first-empty", 0), file("a", 20_000),
                file("middle-empty", 0), file("sub/b", 20_000), file("last-empty", 0))),
        Arguments.of("the last piece smaller than a block",
            StorageTorrents.singleFile("tail.bin", 2 * 32768 + 100, 32768)),
        Arguments.of("a piece length that is not a multiple of 16 KiB",
            StorageTorrents.multiFile("odd", 40_000, file("a", 50_000), file("b", 45_000))),
        Arguments.of("pad files aligning files to pieces",
            StorageTorrents.multiFile("padded", 16384, file("a", 1_000), pad(15_384), file("b", 20_000),
                pad(12_768), file("c", 5))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torrents")
  void writesEveryByteWhereItsFileSays(String name, Torrent torrent) throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      for (int piece : shuffledPieces(torrent)) {
        storage.writePiece(piece, ByteBuffer.wrap(torrent.piece(piece)));
      }
    }
    List<TorrentFile> files = torrent.metainfo().files();
    for (int i = 0; i < files.size(); i++) {
      Path path = downloads.resolve(files.get(i).relativePath());
      if (files.get(i).isPadding()) {
        assertThat(path).as("pad files are never written").doesNotExist();
      } else {
        assertThat(Files.readAllBytes(path)).as(files.get(i).relativePath()).isEqualTo(torrent.content(i));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torrents")
  void readsBackEveryBlockForSeeding(String name, Torrent torrent) throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      for (int piece = 0; piece < torrent.metainfo().pieceCount(); piece++) {
        storage.writePiece(piece, ByteBuffer.wrap(torrent.piece(piece)));
      }
      for (int piece = 0; piece < torrent.metainfo().pieceCount(); piece++) {
        byte[] bytes = torrent.piece(piece);
        for (int begin = 0; begin < bytes.length; begin += 16384) {
          BlockRequest block = new BlockRequest(piece, begin, Math.min(16384, bytes.length - begin));
          assertThat(storage.readBlock(block)).as(block.toString())
              .isEqualTo(ByteBuffer.wrap(bytes, begin, block.length()));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torrents")
  void createsEveryFileWithItsFullLengthBeforeAnyPiece(String name, Torrent torrent) throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      for (TorrentFile file : torrent.metainfo().files()) {
        if (!file.isPadding()) {
          assertThat(Files.size(downloads.resolve(file.relativePath()))).as(file.relativePath())
              .isEqualTo(file.length());
        }
      }
    }
  }

  @Test
  void writesOnlyAPieceThatMatchesItsHash() throws Exception {
    Torrent torrent = StorageTorrents.singleFile("song.mp3", 40_000, 32768);
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      PieceAssembler<String> good = new PieceAssembler<>(1, 40_000 - 32768);
      good.add("A", 1, 0, ByteBuffer.wrap(torrent.piece(1)));
      assertThat(storage.verifyAndWrite(good)).isEqualTo(new PieceVerdict.Written<String>(1));

      byte[] corrupt = torrent.piece(0);
      corrupt[20_000] ^= 1;
      PieceAssembler<String> bad = new PieceAssembler<>(0, 32768);
      bad.add("A", 0, 0, ByteBuffer.wrap(corrupt, 0, 16384));
      bad.add("B", 0, 16384, ByteBuffer.wrap(corrupt, 16384, 16384));
      PieceVerdict<String> verdict = storage.verifyAndWrite(bad);
      assertThat(verdict).isEqualTo(new PieceVerdict.Failed<>(0, java.util.Set.of("A", "B")));
    }
    byte[] onDisk = Files.readAllBytes(downloads.resolve("song.mp3"));
    assertThat(Arrays.copyOfRange(onDisk, 0, 32768)).as("the bad piece never reached the disk")
        .isEqualTo(new byte[32768]);
    assertThat(Arrays.copyOfRange(onDisk, 32768, 40_000)).isEqualTo(torrent.piece(1));
  }

  @Test
  void aFileDeletedUnderARunningDownloadIsAnErrorNamingIt() throws Exception {
    Torrent torrent = StorageTorrents.multiFile("t", 16384, file("a", 100));
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      Files.delete(downloads.resolve("t/a"));
      assertThatThrownBy(() -> storage.writePiece(0, ByteBuffer.wrap(torrent.piece(0))))
          .isInstanceOf(StorageException.class)
          .hasMessage("no such file or folder writing piece 0 to " + downloads.toRealPath().resolve("t/a"));
    }
    assertThat(downloads.resolve("t/a")).as("not silently created again, short").doesNotExist();
  }

  @Test
  void saysItStartedEmptyOnlyWhenNoFileHeldAByte() throws Exception {
    Torrent torrent = StorageTorrents.multiFile("fresh", 16384, file("a", 20_000), file("b", 5_000));
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      assertThat(storage.startedEmpty()).as("nothing there before").isTrue();
      assertThat(Recheck.nothingOnDisk(storage.layout()).missing()).hasSize(torrent.metainfo().pieceCount());
    }
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      assertThat(storage.startedEmpty()).as("the files of the first run are there now").isFalse();
    }
  }

  @Test
  void createsNoSymlinkForASymlinkEntry() throws Exception {
    Torrent torrent = StorageTorrents.multiFile("t", 16384, file("a", 20_000), StorageTorrents.symlink("link", "a"));
    assertThat(torrent.metainfo().files().get(1).isSymlink()).isTrue();
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      storage.writePiece(0, ByteBuffer.wrap(torrent.piece(0)));
      storage.writePiece(1, ByteBuffer.wrap(torrent.piece(1)));
      assertThat(Recheck.run(storage, (checked, total) -> { }).isComplete()).isTrue();
    }
    assertThat(downloads.resolve("t/link")).as("Simplified: symlinks are not materialised").doesNotExist();
  }

  @Test
  void createsFolderAndFilesUnderTheTorrentsName() throws Exception {
    Torrent torrent = StorageTorrents.multiFile("sample", 16384, file("README.txt", 10), file("chapters/one.txt", 10));
    TorrentStorage.create(torrent.metainfo(), downloads).close();
    assertThat(downloads.resolve("sample/README.txt")).isRegularFile();
    assertThat(downloads.resolve("sample/chapters/one.txt")).isRegularFile();
  }

  @Test
  void refusesABlockOfAPieceThatIsNotOnDisk() throws Exception {
    Torrent torrent = StorageTorrents.multiFile("t", 16384, file("a", 100));
    try (TorrentStorage storage = TorrentStorage.openForReading(torrent.metainfo(), downloads)) {
      assertThatThrownBy(() -> storage.readBlock(new BlockRequest(0, 0, 100)))
          .isInstanceOf(StorageException.class)
          .hasMessage("block 0:0+100 is not on disk: " + downloads.toRealPath().resolve("t/a"));
    }
  }

  @Test
  void readOnlyStorageCreatesNothing() throws Exception {
    Torrent torrent = StorageTorrents.multiFile("t", 16384, file("a", 100), file("b", 0));
    TorrentStorage.openForReading(torrent.metainfo(), downloads).close();
    try (Stream<Path> entries = Files.list(downloads)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void anInterruptedWriterFailsAloneAndTheStorageGoesOn() throws Exception {
    Torrent torrent = StorageTorrents.singleFile("song.mp3", 40_000, 16384);
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        Thread.currentThread().interrupt(); // the JDK closes a FileChannel whose user is interrupted
        try {
          storage.writePiece(0, ByteBuffer.wrap(torrent.piece(0)));
        } catch (Throwable t) {
          thrown.set(t);
        }
      }, "interrupted-writer");
      writer.start();
      writer.join();
      assertThat(thrown.get()).isInstanceOf(StorageException.class)
          .hasMessage("interrupted writing piece 0 to " + downloads.toRealPath().resolve("song.mp3"));

      storage.writePiece(1, ByteBuffer.wrap(torrent.piece(1)));
      assertThat(storage.readBlock(new BlockRequest(1, 0, 16384)))
          .as("the closed file was opened again").isEqualTo(ByteBuffer.wrap(torrent.piece(1)));
    }
  }

  private static List<Integer> shuffledPieces(Torrent torrent) {
    List<Integer> pieces = new ArrayList<>();
    for (int i = 0; i < torrent.metainfo().pieceCount(); i++) {
      pieces.add(i);
    }
    Collections.shuffle(pieces, new Random(7));
    return pieces;
  }
}
