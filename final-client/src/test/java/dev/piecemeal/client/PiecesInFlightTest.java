package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.DiskPieceAssembler;
import dev.piecemeal.storage.IncomingPiece;
import dev.piecemeal.storage.PieceAssembler;
import dev.piecemeal.storage.PieceVerdict;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import dev.piecemeal.tracker.PeerAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory budget of the pieces in flight: every byte taken is given back, whatever becomes of the piece. */
class PiecesInFlightTest {
  private static final int BLOCK = PieceAssembler.BLOCK_LENGTH;
  private static final long CAP = 1 << 20;
  private static final PeerAddress A = PeerAddress.parse("127.0.0.1:6881");
  private static final PeerAddress B = PeerAddress.parse("127.0.0.1:6882");

  @TempDir Path folder;
  private final List<StorageException> diskFailures = new ArrayList<>();
  private byte[] data;
  private TorrentStorage storage;

  @AfterEach
  void closeTheStorage() throws Exception {
    if (storage != null) {
      storage.close();
    }
  }

  /** Pieces in flight over a torrent of {@code pieces} pieces of {@code pieceLength}, within {@link #CAP}. */
  private PiecesInFlight inFlight(int pieces, int pieceLength) throws Exception {
    data = TestData.bytes(pieces * pieceLength, 3);
    Metainfo metainfo = TestData.singleFile("flight.bin", data, pieceLength, null);
    storage = TorrentStorage.create(metainfo, folder);
    return new PiecesInFlight(storage, CAP, diskFailures::add);
  }

  private ByteBuffer block(int piece, int begin) {
    int pieceLength = storage.layout().pieceLength();
    return ByteBuffer.wrap(data, piece * pieceLength + begin, BLOCK).slice();
  }

  /** Adds every block of {@code piece}; returns the complete piece. */
  private IncomingPiece<PeerAddress> addAll(PiecesInFlight inFlight, int piece) throws Exception {
    IncomingPiece<PeerAddress> complete = null;
    for (int begin = 0; begin < storage.layout().pieceSize(piece); begin += BLOCK) {
      assertThat(complete).as("complete before its last block").isNull();
      complete = inFlight.add(begin % (2 * BLOCK) == 0 ? A : B, piece, begin, block(piece, begin));
    }
    return complete;
  }

  @Test
  void putsTheNextPieceTogetherInTheBufferOfOneWrittenOrDropped() throws Exception {
    PiecesInFlight inFlight = inFlight(4, 2 * BLOCK);

    IncomingPiece<PeerAddress> first = addAll(inFlight, 0);
    first.verifyAndStore(storage);
    inFlight.finished(first);
    IncomingPiece<PeerAddress> second = addAll(inFlight, 1);
    assertThat(inFlight.buffersMade()).as("piece 1 in piece 0's buffer").isEqualTo(1);
    assertThat(second.verifyAndStore(storage)).as("and its own bytes in it")
        .isEqualTo(new PieceVerdict.Written<PeerAddress>(1));
    inFlight.finished(second);

    inFlight.add(A, 2, 0, block(2, 0));
    inFlight.drop(2);
    IncomingPiece<PeerAddress> third = addAll(inFlight, 3);
    assertThat(inFlight.buffersMade()).as("piece 3 in the buffer of piece 2, dropped").isEqualTo(1);
    assertThat(third.verifyAndStore(storage)).isEqualTo(new PieceVerdict.Written<PeerAddress>(3));
  }

  @Test
  void makesABufferForEachPieceInFlightAtOnce() throws Exception {
    PiecesInFlight inFlight = inFlight(4, 2 * BLOCK);

    inFlight.add(A, 0, 0, block(0, 0));
    inFlight.add(A, 1, 0, block(1, 0));
    inFlight.add(A, 2, 0, block(2, 0));

    assertThat(inFlight.buffersMade()).isEqualTo(3);
  }

  @Test
  void chargesAPieceFromItsFirstBlockAndGivesItBackOnceWritten() throws Exception {
    PiecesInFlight inFlight = inFlight(4, 2 * BLOCK);
    long onePiece = PieceAssembler.bytesFor(2 * BLOCK);

    assertThat(inFlight.add(A, 1, 0, block(1, 0))).isNull();
    assertThat(inFlight.heldBytes()).as("the whole piece, from its first block").isEqualTo(onePiece);
    IncomingPiece<PeerAddress> complete = inFlight.add(B, 1, BLOCK, block(1, BLOCK));
    assertThat(complete).isNotNull();
    assertThat(inFlight.heldBytes()).as("still held while it waits for the hasher").isEqualTo(onePiece);

    assertThat(complete.verifyAndStore(storage)).isEqualTo(new PieceVerdict.Written<PeerAddress>(1));
    inFlight.finished(complete);

    assertThat(inFlight.heldBytes()).isZero();
    assertThat(inFlight.peakBytes()).isEqualTo(onePiece);
  }

  @Test
  void givesBackAPieceThatFailsItsHashCheck() throws Exception {
    PiecesInFlight inFlight = inFlight(4, 2 * BLOCK);
    data[2 * BLOCK + 5] ^= 1; // piece 1 arrives with a flipped byte
    IncomingPiece<PeerAddress> complete = addAll(inFlight, 1);

    assertThat(complete.verifyAndStore(storage)).isInstanceOf(PieceVerdict.Failed.class);
    inFlight.finished(complete);

    assertThat(inFlight.heldBytes()).isZero();
  }

  @Test
  void givesBackADroppedPieceAndNamesTheBlocksItHeld() throws Exception {
    PiecesInFlight inFlight = inFlight(4, 4 * BLOCK);
    inFlight.add(A, 2, 3 * BLOCK, block(2, 3 * BLOCK));
    inFlight.add(A, 2, BLOCK, block(2, BLOCK));

    assertThat(inFlight.drop(2)).containsExactly(new BlockRequest(2, BLOCK, BLOCK), new BlockRequest(2, 3 * BLOCK, BLOCK));
    assertThat(inFlight.heldBytes()).isZero();
    assertThat(inFlight.drop(2)).as("gone already").isEmpty();
    assertThat(inFlight.drop(3)).as("never begun").isEmpty();
  }

  @Test
  void beginsADroppedPieceAfreshWhenABlockOfItArrivesLater() throws Exception {
    PiecesInFlight inFlight = inFlight(4, 2 * BLOCK);
    inFlight.add(A, 0, 0, block(0, 0));
    inFlight.drop(0);

    assertThat(inFlight.add(B, 0, BLOCK, block(0, BLOCK))).as("the block it held was given up").isNull();
    assertThat(inFlight.heldBytes()).isEqualTo(PieceAssembler.bytesFor(2 * BLOCK));
    IncomingPiece<PeerAddress> complete = inFlight.add(A, 0, 0, block(0, 0));

    assertThat(complete.blockSenders()).containsExactly(A, B);
    assertThat(complete.verifyAndStore(storage)).isEqualTo(new PieceVerdict.Written<PeerAddress>(0));
    inFlight.finished(complete);
    assertThat(inFlight.heldBytes()).isZero();
  }

  @Test
  void holdsInMemoryAsManyPiecesAsTheCapHolds() throws Exception {
    PiecesInFlight inFlight = inFlight(4, 4 * BLOCK); // 64 KiB pieces: 15 in 1 MiB

    assertThat(inFlight.assemblesOnDisk()).isFalse();
    assertThat(inFlight.piecesAtOnce()).isEqualTo(15).isEqualTo((int) (CAP / PieceAssembler.bytesFor(4 * BLOCK)));
  }

  @Test
  void putsPiecesTogetherOnDiskWhenFewerThanEightFitInTheCap() throws Exception {
    PiecesInFlight inFlight = inFlight(3, 16 * BLOCK); // 256 KiB pieces: 3 would fit in 1 MiB, not 8
    assertThat(inFlight.assemblesOnDisk()).isTrue();
    assertThat(inFlight.piecesAtOnce()).isEqualTo((int) (CAP / DiskPieceAssembler.bytesFor(16 * BLOCK)));

    IncomingPiece<PeerAddress> complete = addAll(inFlight, 2);

    assertThat(complete).isInstanceOf(DiskPieceAssembler.class);
    assertThat(inFlight.peakBytes()).as("28 bytes a block, not the piece").isEqualTo(16 * 28);
    assertThat(complete.verifyAndStore(storage)).isEqualTo(new PieceVerdict.Written<PeerAddress>(2));
    inFlight.finished(complete);
    assertThat(inFlight.heldBytes()).isZero();
    storage.close();
    byte[] onDisk = Files.readAllBytes(folder.resolve("flight.bin"));
    assertThat(ByteBuffer.wrap(onDisk, 2 * 16 * BLOCK, 16 * BLOCK))
        .isEqualTo(ByteBuffer.wrap(data, 2 * 16 * BLOCK, 16 * BLOCK));
  }

  @Test
  void reportsADiskThatRefusesABlockInsteadOfThrowing() throws Exception {
    PiecesInFlight inFlight = inFlight(3, 16 * BLOCK);
    storage.close();

    assertThat(inFlight.add(A, 0, 0, block(0, 0))).isNull();

    assertThat(diskFailures).singleElement().asString().contains("storage is closed");
  }

  @Test
  void refusesACapThatHoldsNotEvenOnePieceOnDisk() throws Exception {
    data = TestData.bytes(64 * BLOCK, 4);
    storage = TorrentStorage.create(TestData.singleFile("big.bin", data, 64 * BLOCK, null), folder);

    assertThatThrownBy(() -> new PiecesInFlight(storage, 1000, diskFailures::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a memory cap of 1000 bytes does not hold one piece of 1048576 bytes, even on disk (1792 bytes)");
  }
}
