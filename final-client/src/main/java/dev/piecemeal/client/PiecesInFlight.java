package dev.piecemeal.client;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.DiskPieceAssembler;
import dev.piecemeal.storage.IncomingPiece;
import dev.piecemeal.storage.PieceAssembler;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import dev.piecemeal.tracker.PeerAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The pieces being put together: one {@link IncomingPiece} per piece that has a block in hand,
 * shared by every peer that sends blocks of it, and charged to the download's {@link MemoryBudget}
 * from its first block until it is written, fails or is dropped. The piece is the one record of who
 * sent each block.
 *
 * <p>Where a piece is put together, decided once for the torrent: in memory ({@link PieceAssembler},
 * a block goes from the reader's array into the piece's, and the piece leaves here whole, for the
 * hasher) when the cap holds at least {@value #MIN_PIECES_IN_MEMORY} such pieces; otherwise in its
 * place on disk ({@link DiskPieceAssembler}, 28 bytes a block in memory), so that a torrent of
 * 512 MiB pieces downloads within a 100 MiB cap.
 *
 * <pre>
 * cap 100 MiB, pieces of   8 MiB: in memory,  12 pieces begun at once (8 MiB + 4 KiB each)
 * cap 100 MiB, pieces of 512 MiB: on disk,   114 pieces begun at once (about 896 KiB each)
 * </pre>
 *
 * <p>Why the cap holds: the picker never has more than {@link #piecesAtOnce} pieces begun (a
 * complete piece waiting for the hasher is still begun), each begun piece has at most one entry
 * here, and a piece's bytes go back to the budget before its place in the picker is freed ({@link
 * #finished} before {@code pieceVerified} or {@code pieceFailed}; {@link #drop} before {@code
 * blocksDropped}). {@link #add} is called only for a block the picker said it wanted, that is, of a
 * piece it has begun. {@link #peakBytes} measures the result.
 *
 * <p>Simplified: a begun piece is charged its whole length from its first block, however few blocks
 * it holds yet. libtorrent's disk cache counts block by block and, when full, writes blocks out
 * before their piece is complete; charging whole pieces makes the picker's bound one number, at the
 * price of fewer pieces in flight than the memory would allow. Outside the cap: the block each peer
 * thread is reading (16 KiB), the picker's record of begun pieces (about a byte a block, and a set
 * for each request out), and the ban list's evidence (20 bytes a block of up to 3 failed copies of
 * a piece).
 *
 * <p>Thread-safe: the map is concurrent, and each piece is used only while holding its own monitor,
 * so two peers sending blocks of one piece never interleave inside it (a piece assembled on disk
 * writes its block under that monitor: see the lock order in {@link SharedState}). The thread whose
 * block completes a piece takes it out of the map; exactly one thread sees {@code PIECE_COMPLETE}.
 */
final class PiecesInFlight {
  /** A piece is assembled in memory only if the cap holds at least this many pieces at once. */
  static final int MIN_PIECES_IN_MEMORY = 8;

  private final TorrentStorage storage;
  private final MemoryBudget budget;
  private final Consumer<StorageException> diskFailed;
  private final boolean onDisk;
  private final long bytesPerPiece;
  private final PieceBuffers buffers;
  private final Map<Integer, IncomingPiece<PeerAddress>> pieces = new ConcurrentHashMap<>();

  /**
   * @param memoryCap the most bytes begun pieces may hold, for the whole download
   * @param diskFailed told when the disk refused a block of a piece assembled on disk: the download
   *     cannot go on
   * @throws IllegalArgumentException the cap does not hold even one piece assembled on disk
   */
  PiecesInFlight(TorrentStorage storage, long memoryCap, Consumer<StorageException> diskFailed) {
    this.storage = storage;
    this.budget = new MemoryBudget(memoryCap);
    this.diskFailed = diskFailed;
    int largest = storage.layout().pieceSize(0); // every piece but the last is this long
    this.onDisk = memoryCap / PieceAssembler.bytesFor(largest) < MIN_PIECES_IN_MEMORY;
    this.bytesPerPiece = onDisk ? DiskPieceAssembler.bytesFor(largest) : PieceAssembler.bytesFor(largest);
    this.buffers = new PieceBuffers(largest);
    if (bytesPerPiece > memoryCap) {
      throw new IllegalArgumentException("a memory cap of " + memoryCap + " bytes does not hold one piece of "
          + largest + " bytes, even on disk (" + bytesPerPiece + " bytes)");
    }
  }

  /** How many pieces may be begun at once: as many as the cap holds. The picker's bound. */
  int piecesAtOnce() {
    return (int) Math.min(Integer.MAX_VALUE, budget.cap() / bytesPerPiece);
  }

  /** Whether pieces are put together in their place on disk rather than in memory. */
  boolean assemblesOnDisk() {
    return onDisk;
  }

  /**
   * Takes a block into its piece, which begins (and is charged to the budget) with its first
   * block. Returns the piece when this block completed it (it is no longer in flight then), else
   * null. A disk that refuses the block is reported to {@code diskFailed}, and null returned.
   */
  IncomingPiece<PeerAddress> add(PeerAddress from, int index, int begin, ByteBuffer block) throws ProtocolException {
    while (true) {
      IncomingPiece<PeerAddress> piece = pieces.computeIfAbsent(index, this::begin);
      synchronized (piece) {
        if (pieces.get(index) != piece) {
          continue; // dropped between the map and its monitor: the block goes into a fresh piece
        }
        try {
          if (piece.add(from, index, begin, block) == PieceAssembler.Added.PIECE_COMPLETE) {
            pieces.remove(index, piece);
            return piece;
          }
        } catch (StorageException e) {
          diskFailed.accept(e);
        }
        return null;
      }
    }
  }

  /** A complete piece was written or failed its hash check: its bytes go back to the budget. */
  void finished(IncomingPiece<PeerAddress> piece) {
    budget.giveBack(piece.bytesHeld());
    lendAgain(piece);
  }

  /**
   * Gives piece {@code index} up (the picker named it, {@code pieceToDrop}): its bytes go back to
   * the budget. Returns the blocks it held, for the picker's {@code blocksDropped}; none if it is no
   * longer here (it completed meanwhile). A block that arrives for it afterwards begins it afresh.
   */
  List<BlockRequest> drop(int index) {
    IncomingPiece<PeerAddress> piece = pieces.get(index);
    if (piece == null) {
      return List.of();
    }
    synchronized (piece) {
      if (!pieces.remove(index, piece)) {
        return List.of();
      }
      budget.giveBack(piece.bytesHeld());
      List<BlockRequest> held = piece.receivedBlocks();
      lendAgain(piece);
      return held;
    }
  }

  /** Bytes held by pieces begun and not yet written, failed or dropped. */
  long heldBytes() {
    return budget.held();
  }

  /** The most bytes held at once since the download began: measured, never above the cap. */
  long peakBytes() {
    return budget.peak();
  }

  /** How many piece-sized buffers were made for pieces put together in memory. */
  int buffersMade() {
    return buffers.made();
  }

  /**
   * The first block of piece {@code index} arrived: the piece begins, and is charged. In memory, it
   * is put together in a buffer lent by {@link PieceBuffers}, given back by {@link #finished} or
   * {@link #drop}.
   */
  private IncomingPiece<PeerAddress> begin(int index) {
    IncomingPiece<PeerAddress> piece = onDisk
        ? new DiskPieceAssembler<>(storage, index)
        : new PieceAssembler<>(index, storage.layout().pieceSize(index), buffers.lend());
    budget.take(piece.bytesHeld());
    return piece;
  }

  /** Nothing reads the piece any more: its buffer may be lent to the next piece. */
  private void lendAgain(IncomingPiece<PeerAddress> piece) {
    if (piece instanceof PieceAssembler<PeerAddress> inMemory) {
      buffers.giveBack(inMemory.buffer());
    }
  }
}
