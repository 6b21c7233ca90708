package dev.piecemeal.storage;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.PieceAssembler.Added;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One piece put together in its own place in the files: each block is written where it belongs as
 * it arrives ({@link TorrentStorage#writeBlock}), and the complete piece is checked by reading it
 * back ({@link TorrentStorage#verifyInPlace}). For pieces too large to hold in memory: BEP 3 lets a
 * piece be up to 512 MiB, and a client that holds a few of those in arrays runs out of memory.
 *
 * <pre>
 * piece 3 of 512 MiB: 32,767 blocks, 28 B each held here
 *   block 5 from A   → SHA-1 of the 16 KiB kept (20 B), A kept, written at piece offset + 81920
 *   block 5 again    → DUPLICATE: nothing written, the first copy stays
 *   last block in    → PIECE_COMPLETE → read back in 1 MiB chunks, SHA-1 → Written (flushed) or Failed
 * </pre>
 *
 * <p>Why keep each block's SHA-1: if the piece fails, the bytes on disk are overwritten by the next
 * copy, and the ban list needs to know what each sender sent, to compare it with the copy that
 * passes (smart ban). 20 bytes a block keep that evidence; a sender and a present mark are the same
 * reference, as in {@link PieceAssembler}.
 *
 * <p>Unverified bytes on disk: unlike {@link PieceAssembler}, this writes blocks before the piece is
 * checked. They are written only into a piece we lack (only such pieces are ever begun), so a
 * verified piece is never touched; and a piece counts as done only once it is read back, matches
 * and is flushed. A crash or a failed piece leaves bytes there that the next {@link Recheck} finds
 * bad, and that piece is fetched again.
 *
 * <p>Simplified: the complete piece is hashed by reading it back, one more read of the whole piece.
 * libtorrent hashes blocks as they arrive in order and reads back only what came out of order; one
 * read-back (usually from the page cache, the piece was just written) keeps every SHA-1 in one place,
 * the hasher, and this class a few lines long.
 *
 * <p>Not thread-safe: one owner feeds it at a time, as for {@link PieceAssembler}.
 *
 * @param <P> how peers are told apart
 */
public final class DiskPieceAssembler<P> implements IncomingPiece<P> {

  private static final int BLOCK_LENGTH = PieceAssembler.BLOCK_LENGTH;
  private static final int HASH_LENGTH = PieceVerifier.HASH_LENGTH;

  private final TorrentStorage storage;
  private final int piece;
  private final int length;
  /** Who sent block {@code i}; null until it is written. Also the "present" mark of each block. */
  private final Object[] senders;
  /** The SHA-1 of block {@code i} as it arrived, at {@code i × 20}. */
  private final byte[] hashes;
  private int received;

  /**
   * The bytes of memory a piece of {@code length} bytes assembled on disk holds: a SHA-1 (20 bytes)
   * and a sender (a reference, counted as 8) a block.
   */
  public static long bytesFor(int length) {
    return (HASH_LENGTH + 8L) * ((length + BLOCK_LENGTH - 1) / BLOCK_LENGTH);
  }

  /** An empty piece {@code piece} of {@code storage}'s torrent, whose blocks go into its files. */
  public DiskPieceAssembler(TorrentStorage storage, int piece) {
    this.storage = storage;
    this.piece = piece;
    this.length = storage.layout().pieceSize(piece);
    int blocks = (length + BLOCK_LENGTH - 1) / BLOCK_LENGTH;
    this.senders = new Object[blocks];
    this.hashes = new byte[blocks * HASH_LENGTH];
  }

  /**
   * Writes one block into its place in the files, unless it is already there. The checks are {@link
   * PieceAssembler#add}'s: the same grid, the same messages.
   *
   * @throws StorageException the disk refused; the block is not counted as arrived
   */
  @Override
  public Added add(P peer, int pieceIndex, int begin, ByteBuffer block) throws ProtocolException, StorageException {
    Objects.requireNonNull(peer, "peer");
    int i = blockIndex(pieceIndex, begin, block.remaining());
    if (senders[i] != null) {
      return Added.DUPLICATE;
    }
    MessageDigest sha1 = PieceVerifier.sha1();
    sha1.update(block.duplicate());
    byte[] digest = sha1.digest();
    storage.writeBlock(piece, begin, block);
    System.arraycopy(digest, 0, hashes, i * HASH_LENGTH, HASH_LENGTH);
    senders[i] = peer;
    received++;
    return received == senders.length ? Added.PIECE_COMPLETE : Added.STORED;
  }

  /** Which block {@code begin} starts, after the checks {@link PieceAssembler#add} makes. */
  private int blockIndex(int pieceIndex, int begin, int blockLength) throws ProtocolException {
    String block = "block " + pieceIndex + ":" + begin + "+" + blockLength;
    if (pieceIndex != piece) {
      throw new ProtocolException(block + " is not part of piece " + piece);
    }
    if (begin < 0 || begin >= length || begin % BLOCK_LENGTH != 0) {
      throw new ProtocolException(block + " does not start on a 16 KiB block of the piece's " + length + " bytes");
    }
    int expected = Math.min(BLOCK_LENGTH, length - begin);
    if (blockLength != expected) {
      throw new ProtocolException(block + " has " + blockLength + " bytes, but the block there has " + expected);
    }
    return begin / BLOCK_LENGTH;
  }

  @Override
  public int piece() {
    return piece;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public boolean isComplete() {
    return received == senders.length;
  }

  @Override
  public List<BlockRequest> receivedBlocks() {
    List<BlockRequest> blocks = new ArrayList<>();
    for (int i = 0; i < senders.length; i++) {
      if (senders[i] != null) {
        int begin = i * BLOCK_LENGTH;
        blocks.add(new BlockRequest(piece, begin, Math.min(BLOCK_LENGTH, length - begin)));
      }
    }
    return blocks;
  }

  @Override
  @SuppressWarnings("unchecked") // senders holds only what add() put there: P
  public List<P> blockSenders() {
    List<P> peers = new ArrayList<>(senders.length);
    for (Object sender : senders) {
      peers.add((P) sender);
    }
    return Collections.unmodifiableList(peers);
  }

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

  /** The SHA-1 each block had as it arrived, kept since: the bytes on disk may have changed since. */
  @Override
  public List<byte[]> blockHashes() {
    if (!isComplete()) {
      throw new IllegalStateException("piece " + piece + " has " + received + " of " + senders.length + " blocks");
    }
    List<byte[]> list = new ArrayList<>(senders.length);
    for (int i = 0; i < senders.length; i++) {
      list.add(Arrays.copyOfRange(hashes, i * HASH_LENGTH, (i + 1) * HASH_LENGTH));
    }
    return list;
  }

  @Override
  public long bytesHeld() {
    return bytesFor(length);
  }

  /**
   * Reads the piece back from {@code storage} (the one its blocks were written to) and checks it.
   *
   * @throws IllegalStateException a block is still missing
   */
  @Override
  public PieceVerdict<P> verifyAndStore(TorrentStorage storage) throws StorageException {
    if (storage != this.storage) {
      throw new IllegalArgumentException("piece " + piece + " was written to another storage");
    }
    if (!isComplete()) {
      throw new IllegalStateException("piece " + piece + " has " + received + " of " + senders.length + " blocks");
    }
    return storage.verifyInPlace(piece)
        ? new PieceVerdict.Written<>(piece)
        : new PieceVerdict.Failed<>(piece, contributors());
  }

  @Override
  public String toString() {
    return "DiskPieceAssembler[piece " + piece + ", " + received + "/" + senders.length + " blocks]";
  }
}
