package dev.piecemeal.bitfield;

import dev.piecemeal.messages.BlockRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A piece the picker has begun: which of its 16 KiB blocks have arrived and which peers each of the
 * others is on request from. A block is on request from at most one peer, except in endgame, when
 * it may be on request from several at once.
 *
 * <pre>
 * piece 7, 40000 bytes: blocks 0:0+16384  1:16384+16384  2:32768+7232
 * state:                received          requested (A)  requested (B, C: endgame)
 * </pre>
 *
 * <p>Not thread-safe: owned by the {@link PiecePicker}, whose lock guards it.
 */
final class PieceProgress<P> {

  final int piece;
  private final int length;
  private final boolean[] received;
  private int receivedCount;
  private final List<Set<P>> requestedFrom;

  PieceProgress(int piece, int length) {
    this.piece = piece;
    this.length = length;
    int blocks = (length + PiecePicker.BLOCK_LENGTH - 1) / PiecePicker.BLOCK_LENGTH;
    this.received = new boolean[blocks];
    this.requestedFrom = new ArrayList<>(blocks);
    for (int i = 0; i < blocks; i++) {
      requestedFrom.add(new HashSet<>(2));
    }
  }

  int blockCount() {
    return received.length;
  }

  /** Block {@code i} of this piece: 16 KiB, except the last, which holds what is left. */
  BlockRequest block(int i) {
    int begin = i * PiecePicker.BLOCK_LENGTH;
    return new BlockRequest(piece, begin, Math.min(PiecePicker.BLOCK_LENGTH, length - begin));
  }

  /** The index of the block this request names, or -1 if it is not one of this piece's blocks. */
  int indexOf(BlockRequest block) {
    if (block.pieceIndex() != piece || block.begin() % PiecePicker.BLOCK_LENGTH != 0) {
      return -1;
    }
    int i = block.begin() / PiecePicker.BLOCK_LENGTH;
    return i < received.length && block(i).equals(block) ? i : -1;
  }

  boolean isReceived(int i) {
    return received[i];
  }

  /** Marks block {@code i} as arrived; it is no longer on request from anyone. */
  void markReceived(int i) {
    received[i] = true;
    receivedCount++;
    requestedFrom.get(i).clear();
  }

  /** The peers block {@code i} is on request from; the picker changes this set in place. */
  Set<P> requestedFrom(int i) {
    return requestedFrom.get(i);
  }

  /** A block nobody has sent and nobody is asked for: free to hand out. */
  boolean isFree(int i) {
    return !received[i] && requestedFrom.get(i).isEmpty();
  }

  /** Every block has arrived: the piece can be hashed. */
  boolean isComplete() {
    return receivedCount == received.length;
  }

  /** Every block has arrived or is on request: nothing left to hand out but duplicates. */
  boolean isFullyRequested() {
    for (int i = 0; i < received.length; i++) {
      if (isFree(i)) {
        return false;
      }
    }
    return true;
  }

  /** Nothing has arrived and nothing is on request: as if the piece had never been begun. */
  boolean isIdle() {
    if (receivedCount > 0) {
      return false;
    }
    for (Set<P> peers : requestedFrom) {
      if (!peers.isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
