package dev.piecemeal.storage;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One piece being put together from its 16 KiB blocks (BEP 3, "piece"), which arrive in any order,
 * from several peers, and in endgame sometimes twice. The piece is complete when every block is in,
 * each exactly once; then it can be verified ({@link PieceVerifier}) and written.
 *
 * <pre>
 * piece 4, 40000 bytes (a piece length that is not a multiple of 16 KiB):
 *   block 0: begin     0, length 16384    from peer A
 *   block 1: begin 16384, length 16384    from peer B (arrived first)
 *   block 2: begin 32768, length  7232    from peer A, then again from C: DUPLICATE, ignored
 * </pre>
 *
 * <p>The grid of blocks is fixed: block {@code i} starts at {@code i × 16384} and is 16 KiB long,
 * except the piece's last, which holds what is left. A block off that grid, of the wrong length,
 * or for another piece is refused with a {@link ProtocolException}: we never ask for such a thing,
 * so a peer that sends one broke the protocol.
 *
 * <p>Memory: the piece's bytes, allocated once when it begins, or a buffer lent to it by the caller
 * (a download keeps a few piece-sized buffers and lends them to piece after piece, instead of a new
 * zeroed mebibyte per piece for the garbage collector to clear). Only pieces in flight have an
 * assembler, so what a download holds is bounded by the pieces in flight, never by the torrent's
 * size.
 *
 * <p>Not thread-safe: the one thread that feeds it (the engine's, or a peer's while it holds the
 * picker's decision for this piece) owns it, then hands it over whole to be verified.
 *
 * @param <P> how peers are told apart, as in chapter 6's {@code PiecePicker}
 */
public final class PieceAssembler<P> implements IncomingPiece<P> {

  /** The size of every block but a piece's last. */
  public static final int BLOCK_LENGTH = BlockRequest.MAX_LENGTH;

  /** What became of one block. */
  public enum Added {
    /** Stored; the piece still lacks other blocks. */
    STORED,
    /** Stored, and it was the last block missing: verify the piece now. */
    PIECE_COMPLETE,
    /** Already had it (endgame sends some blocks twice): ignored, the first copy stays. */
    DUPLICATE
  }

  private final int piece;
  private final int pieceLength;
  /**
   * The piece's bytes, from index 0 to {@code pieceLength} (the buffer may be longer: one lent for
   * a shorter last piece). Absolute gets and puts only: its position and limit never move.
   */
  private final ByteBuffer bytes;
  /** Who sent block {@code i}; null until it arrived. Also the "present" mark of each block. */
  private final Object[] senders;
  private int received;

  /**
   * The bytes of memory an assembler of a piece of {@code length} bytes holds: the piece, and a
   * reference a block for its sender (counted as 8 bytes).
   */
  public static long bytesFor(int length) {
    return length + 8L * ((length + BLOCK_LENGTH - 1) / BLOCK_LENGTH);
  }

  /** An empty piece {@code piece} of {@code length} bytes (from {@link FileLayout#pieceSize}). */
  public PieceAssembler(int piece, int length) {
    this(piece, length, ByteBuffer.allocate(Math.max(length, 0)));
  }

  /**
   * An empty piece {@code piece} of {@code length} bytes, put together in the first {@code length}
   * bytes of {@code into} (from index 0, whatever its position), whatever they hold now: every byte
   * is overwritten before the piece is complete. The buffer may be a direct one, outside the Java
   * heap. It is the caller's again once the piece is written or given up ({@link #buffer}).
   */
  public PieceAssembler(int piece, int length, ByteBuffer into) {
    if (piece < 0 || length < 1 || into.capacity() < length) {
      throw new IllegalArgumentException(
          "piece " + piece + " of " + length + " bytes in a buffer of " + into.capacity());
    }
    this.piece = piece;
    this.pieceLength = length;
    this.bytes = into;
    this.senders = new Object[(length + BLOCK_LENGTH - 1) / BLOCK_LENGTH];
  }

  // tag::add[]
  /**
   * Copies one block into the piece. The buffer's position is not moved, so the caller may reuse
   * or release it at once.
   *
   * @throws ProtocolException the block is for another piece, off the 16 KiB grid, or of the
   *     wrong length for where it starts
   */
  public Added add(P peer, int pieceIndex, int begin, ByteBuffer block) throws ProtocolException {
    Objects.requireNonNull(peer, "peer");
    int length = block.remaining();
    if (pieceIndex != piece) {
      throw new ProtocolException("block " + pieceIndex + ":" + begin + "+" + length
          + " is not part of piece " + piece);
    }
    if (begin < 0 || begin >= pieceLength || begin % BLOCK_LENGTH != 0) {
      throw new ProtocolException("block " + pieceIndex + ":" + begin + "+" + length
          + " does not start on a 16 KiB block of the piece's " + pieceLength + " bytes");
    }
    int expected = Math.min(BLOCK_LENGTH, pieceLength - begin);
    if (length != expected) {
      throw new ProtocolException("block " + pieceIndex + ":" + begin + "+" + length
          + " has " + length + " bytes, but the block there has " + expected);
    }
    int i = begin / BLOCK_LENGTH;
    if (senders[i] != null) {
      return Added.DUPLICATE;
    }
    bytes.put(begin, block, block.position(), length);
    senders[i] = peer;
    received++;
    return received == senders.length ? Added.PIECE_COMPLETE : Added.STORED;
  }
  // end::add[]

  /** The piece's index. */
  @Override
  public int piece() {
    return piece;
  }

  /** The piece's length in bytes. */
  @Override
  public int length() {
    return pieceLength;
  }

  /** Every block has arrived. */
  @Override
  public boolean isComplete() {
    return received == senders.length;
  }

  /** The blocks still missing, in order: what to ask for again after a peer left. */
  public List<BlockRequest> missingBlocks() {
    List<BlockRequest> missing = new ArrayList<>();
    for (int i = 0; i < senders.length; i++) {
      if (senders[i] == null) {
        int begin = i * BLOCK_LENGTH;
        missing.add(new BlockRequest(piece, begin, Math.min(BLOCK_LENGTH, pieceLength - begin)));
      }
    }
    return missing;
  }

  @Override
  public List<BlockRequest> receivedBlocks() {
    List<BlockRequest> received = new ArrayList<>();
    for (int i = 0; i < senders.length; i++) {
      if (senders[i] != null) {
        int begin = i * BLOCK_LENGTH;
        received.add(new BlockRequest(piece, begin, Math.min(BLOCK_LENGTH, pieceLength - begin)));
      }
    }
    return received;
  }

  /**
   * Who sent each block, in block order: element {@code i} sent block {@code i} (null while it is
   * missing). If the piece fails its hash, the ban list keeps this beside each block's hash.
   */
  @Override
  @SuppressWarnings("unchecked") // senders holds only what add() put there: P
  public List<P> blockSenders() {
    List<P> peers = new ArrayList<>(senders.length);
    for (Object sender : senders) {
      peers.add((P) sender);
    }
    return Collections.unmodifiableList(peers);
  }

  /**
   * The peers whose blocks are in the piece, in block order, each once: if the piece fails its
   * hash, one of them sent bad data.
   */
  @Override
  @SuppressWarnings("unchecked") // senders holds only what add() put there: P
  public Set<P> contributors() {
    Set<P> peers = new LinkedHashSet<>();
    for (Object sender : senders) {
      if (sender != null) {
        peers.add((P) sender);
      }
    }
    return Collections.unmodifiableSet(peers);
  }

  /**
   * The assembled bytes, read-only and without a copy.
   *
   * @throws IllegalStateException a block is still missing
   */
  public ByteBuffer bytes() {
    if (!isComplete()) {
      throw new IllegalStateException("piece " + piece + " has " + received + " of "
          + senders.length + " blocks");
    }
    return bytes.slice(0, pieceLength).asReadOnlyBuffer();
  }

  /**
   * The buffer the piece is put together in, lent or its own, for a caller that lends buffers to
   * pieces: it may lend it again once this piece is written, failed or given up, never before.
   */
  public ByteBuffer buffer() {
    return bytes;
  }

  /** Each block's SHA-1, computed from the assembled bytes when asked (only a failed piece needs it). */
  @Override
  public List<byte[]> blockHashes() {
    ByteBuffer all = bytes();
    MessageDigest sha1 = PieceVerifier.sha1();
    List<byte[]> hashes = new ArrayList<>(senders.length);
    for (int begin = 0; begin < pieceLength; begin += BLOCK_LENGTH) {
      sha1.update(all.slice(begin, Math.min(BLOCK_LENGTH, pieceLength - begin)));
      hashes.add(sha1.digest());
    }
    return hashes;
  }

  @Override
  public long bytesHeld() {
    return bytesFor(pieceLength);
  }

  /** {@link TorrentStorage#verifyAndWrite}: hashed here, written only if it matches. */
  @Override
  public PieceVerdict<P> verifyAndStore(TorrentStorage storage) throws StorageException {
    return storage.verifyAndWrite(this);
  }

  @Override
  public String toString() {
    return "PieceAssembler[piece " + piece + ", " + received + "/" + senders.length + " blocks]";
  }
}
