package dev.piecemeal.storage;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * A piece whose 16 KiB blocks are arriving, put together in one of two places: in memory ({@link
 * PieceAssembler}, one array of the piece's length, written whole once verified) or in its own place
 * in the files ({@link DiskPieceAssembler}, each block written as it arrives, verified by reading it
 * back), for pieces too large to hold in memory.
 *
 * <pre>
 *                       holds                        verified by          unverified bytes on disk
 * PieceAssembler        the piece (+ 8 B a block)    hashing the array    never
 * DiskPieceAssembler    28 B a block                 reading it back      until it passes or is fetched again
 * </pre>
 *
 * <p>Either way a piece keeps who sent each block, so that a piece that fails its hash check names
 * its senders and each block's SHA-1 as it arrived (the evidence of a smart ban).
 *
 * <p>Not thread-safe: one owner feeds it at a time (the client holds the piece's monitor).
 *
 * @param <P> how peers are told apart
 */
public sealed interface IncomingPiece<P> permits PieceAssembler, DiskPieceAssembler {

  /** The piece's index. */
  int piece();

  /** The piece's length in bytes. */
  int length();

  /**
   * Takes one block; the buffer's position is not moved.
   *
   * @throws ProtocolException the block is for another piece, off the 16 KiB grid, or of the wrong
   *     length for where it starts
   * @throws StorageException the disk refused the block (only a piece assembled on disk writes)
   */
  PieceAssembler.Added add(P peer, int pieceIndex, int begin, ByteBuffer block)
      throws ProtocolException, StorageException;

  /** Every block has arrived. */
  boolean isComplete();

  /** The blocks that have arrived, in order: what is lost if the piece is given up. */
  List<BlockRequest> receivedBlocks();

  /** Who sent each block, in block order (null while it is missing). */
  List<P> blockSenders();

  /** The peers whose blocks are in the piece, in block order, each once. */
  Set<P> contributors();

  /**
   * The SHA-1 of each block as it arrived, in block order (20 bytes each): set beside the blocks of
   * a copy that later passes, they show which sender lied.
   *
   * @throws IllegalStateException a block is still missing
   */
  List<byte[]> blockHashes();

  /** The bytes of memory this piece holds for its blocks: what it costs a memory budget. */
  long bytesHeld();

  /**
   * Checks the complete piece against its hash and, only if it matches, stores it in {@code
   * storage}: {@link PieceVerdict.Written} once it is written (and survives a crash, unless the
   * storage leaves flushing to its caller: {@link TorrentStorage.Flushing}), else {@link
   * PieceVerdict.Failed}.
   *
   * @throws StorageException the disk refused
   */
  PieceVerdict<P> verifyAndStore(TorrentStorage storage) throws StorageException;
}
