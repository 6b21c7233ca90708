package dev.piecemeal.storage;

import static dev.piecemeal.storage.StorageTorrents.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.storage.RecheckResult.PieceState;
import dev.piecemeal.storage.StorageTorrents.Torrent;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume: what an earlier run left on disk is found by hashing it, piece by piece. */
class RecheckTest {
  @TempDir
  Path downloads;

  /** 10 pieces of 32 KiB over three files; piece 3 spans a and b, piece 6 spans b and c. */
  private final Torrent torrent = StorageTorrents.multiFile("t", 32768,
      file("a", 100_000), file("b", 100_000), file("c", 120_000));

  private static final Recheck.Progress QUIET = (checked, total) -> { };

  private void write(TorrentStorage storage, int... pieces) throws StorageException {
    for (int piece : pieces) {
      storage.writePiece(piece, ByteBuffer.wrap(torrent.piece(piece)));
    }
  }

  @Test
  void findsExactlyThePiecesWrittenBeforeARestartAndNotACorruptedOne() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0, 2, 3, 6, 9);
    }
    // piece 3 (stream 98304..131072) is written, then a byte of it flips: b's byte 10 is stream 100010
    flipByte(downloads.resolve("t/b"), 10);

    RecheckResult result;
    try (TorrentStorage restarted = TorrentStorage.create(torrent.metainfo(), downloads)) {
      result = Recheck.run(restarted, QUIET);
    }
    Bitfield expected = new Bitfield(10);
    IntStream.of(0, 2, 6, 9).forEach(expected::set);
    assertThat(result.have()).isEqualTo(expected);
    assertThat(result.bad()).containsExactly(3);
    assertThat(result.missing()).as("never written: zeros").containsExactly(1, 4, 5, 7, 8);
    assertThat(result.isComplete()).isFalse();
  }

  @Test
  void findsACompleteDownloadComplete() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      RecheckResult result = Recheck.run(storage, QUIET);
      assertThat(result.isComplete()).isTrue();
      assertThat(result.bytesPresent()).isEqualTo(320_000);
      assertThat(result.isFileComplete(2)).isTrue();
    }
  }

  @Test
  void tellsWhichFilesAreComplete() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0, 1, 2, 3);
      RecheckResult result = Recheck.run(storage, QUIET);
      assertThat(result.isFileComplete(0)).as("a lies in pieces 0..3").isTrue();
      assertThat(result.isFileComplete(1)).as("b lies in pieces 3..6").isFalse();
    }
  }

  @Test
  void cutsAFileThatIsTooLongAndKeepsItsPieces() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
    Files.write(downloads.resolve("t/c"), new byte[5000], StandardOpenOption.APPEND);
    try (TorrentStorage restarted = TorrentStorage.create(torrent.metainfo(), downloads)) {
      assertThat(Files.size(downloads.resolve("t/c"))).isEqualTo(120_000);
      assertThat(Recheck.run(restarted, QUIET).isComplete()).isTrue();
    }
  }

  @Test
  void extendsAFileThatIsTooShortAndKeepsWhatWasThere() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
    try (RandomAccessFile b = new RandomAccessFile(downloads.resolve("t/b").toFile(), "rw")) {
      // b keeps its first 50000 bytes: stream 100000..150000, which ends inside piece 4
      b.setLength(50_000);
    }
    RecheckResult result;
    try (TorrentStorage restarted = TorrentStorage.create(torrent.metainfo(), downloads)) {
      assertThat(Files.size(downloads.resolve("t/b"))).isEqualTo(100_000);
      result = Recheck.run(restarted, QUIET);
    }
    assertThat(result.have().nextClearBit(0)).isEqualTo(4);
    // piece 4 is half there; 5 lies in b's lost part only (zeros); 6 is b's lost end and c's start
    assertThat(result.bad()).containsExactly(4, 6);
    assertThat(result.missing()).containsExactly(5);
    assertThat(IntStream.of(0, 1, 2, 3, 7, 8, 9).allMatch(result.have()::has)).isTrue();
  }

  @Test
  void readsMissingFilesAsMissingPiecesWithoutCreatingThem() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
    Files.delete(downloads.resolve("t/b"));
    try (TorrentStorage reading = TorrentStorage.openForReading(torrent.metainfo(), downloads)) {
      RecheckResult result = Recheck.run(reading, QUIET);
      assertThat(result.missing()).as("every piece holding a byte of b").containsExactly(3, 4, 5, 6);
      assertThat(result.state(0)).isEqualTo(PieceState.PRESENT);
    }
    assertThat(downloads.resolve("t/b")).doesNotExist();
  }

  @Test
  void reportsProgressOncePerPieceFromSeveralThreads() throws Exception {
    ConcurrentLinkedQueue<Integer> reported = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 1, 5);
      Recheck.run(storage, 3, (checked, total) -> {
        assertThat(total).isEqualTo(10);
        reported.add(checked);
        threads.add(Thread.currentThread().getName());
      });
    }
    List<Integer> sorted = new ArrayList<>(reported);
    Collections.sort(sorted);
    assertThat(sorted).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(threads).allMatch(name -> name.matches("recheck-[0-2]"));
  }

  @Test
  void findsTheSameWithOneThreadAsWithMany() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0, 4, 7, 8);
      flipByte(downloads.resolve("t/c"), 119_999);
      assertThat(Recheck.run(storage, 1, QUIET).have()).isEqualTo(Recheck.run(storage, 4, QUIET).have());
    }
  }

  @Test
  void checksPiecesLargerThanOneReadInChunks() throws Exception {
    int pieceLength = 2 * Recheck.CHUNK_LENGTH + 4096;
    Torrent big = StorageTorrents.multiFile("big", pieceLength, file("x", 3_000_000), file("y", 3_000_000));
    try (TorrentStorage storage = TorrentStorage.create(big.metainfo(), downloads)) {
      storage.writePiece(1, ByteBuffer.wrap(big.piece(1)));
      RecheckResult result = Recheck.run(storage, QUIET);
      assertThat(result.state(0)).isEqualTo(PieceState.MISSING);
      assertThat(result.state(1)).isEqualTo(PieceState.PRESENT);
      assertThat(result.state(2)).isEqualTo(PieceState.MISSING);
    }
  }

  @Test
  void stopsItsThreadsWhenTheCallerIsInterruptedAndLeavesTheStorageUsable() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      write(storage, 0);
      Thread caller = Thread.currentThread();
      assertThatThrownBy(() -> Recheck.run(storage, 2, (checked, total) -> caller.interrupt()))
          .isInstanceOf(InterruptedException.class);
      assertThat(Thread.interrupted()).as("the interrupt was consumed").isFalse();
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().startsWith("recheck-") && t.isAlive());
      assertThat(Recheck.run(storage, 2, QUIET).have().has(0)).isTrue();
    }
  }

  @Test
  void refusesToStartWhenTheCallerIsAlreadyInterrupted() throws Exception {
    try (TorrentStorage storage = TorrentStorage.create(torrent.metainfo(), downloads)) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> Recheck.run(storage, 2, QUIET)).isInstanceOf(InterruptedException.class)
          .hasMessage("recheck interrupted before it began");
    }
  }

  private static void flipByte(Path file, long position) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x01);
    }
  }
}
