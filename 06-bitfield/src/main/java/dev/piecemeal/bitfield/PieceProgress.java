package dev.piecemeal.bitfield;

import dev.piecemeal.messages.BlockRequest;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
 * <p>Memory: one byte a block (missing, asked for, or received), plus a small set for each block
 * that is on request right now: who it was asked of. The byte answers the questions the picker asks
 * of every block on every request (is it free? is the piece fully requested?) without a map lookup;
 * the sets are touched only when a block is asked for, arrives or is given back. A piece of 512 MiB has 32,767 blocks, of which a few hundred at most are on
 * request at a time, so a begun piece costs the picker about 32 KiB, whatever its length.
 *
 * <p>Not thread-safe: owned by the {@link PiecePicker}, whose lock guards it.
 */
final class PieceProgress<P> {

  final int piece;
  private final int length;
  private static final byte MISSING = 0;
  private static final byte ASKED = 1;
  private static final byte RECEIVED = 2;

  /** Each block's state: {@link #MISSING}, {@link #ASKED} (of the peers in requestedFrom) or {@link #RECEIVED}. */
  private final byte[] state;
  private int receivedCount;
  /** How many blocks are {@link #MISSING}: neither arrived nor asked for. */
  private int free;
  /** The peers each block is on request from, for the blocks on request only. */
  private final Map<Integer, Set<P>> requestedFrom = new HashMap<>();
  /** Something happened to the piece (asked, arrived, given back) since {@link #quietFor} last looked. */
  private boolean touched = true;
  private long quietSinceNanos;

  PieceProgress(int piece, int length) {
    this.piece = piece;
    this.length = length;
    this.state = new byte[(length + PiecePicker.BLOCK_LENGTH - 1) / PiecePicker.BLOCK_LENGTH];
    this.free = state.length;
  }

  int blockCount() {
    return state.length;
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
    return i < state.length && block(i).equals(block) ? i : -1;
  }

  boolean isReceived(int i) {
    return state[i] == RECEIVED;
  }

  /** Marks block {@code i} as arrived; it is no longer on request from anyone. */
  void markReceived(int i) {
    if (state[i] == MISSING) {
      free--;
    }
    state[i] = RECEIVED;
    receivedCount++;
    requestedFrom.remove(i);
    touched = true;
  }

  /** Block {@code i} is missing again: its data was thrown away. */
  void markMissing(int i) {
    if (state[i] == RECEIVED) {
      state[i] = MISSING;
      free++;
      receivedCount--;
      touched = true;
    }
  }

  /** The peers block {@code i} is on request from, read-only; empty when it is on request from none. */
  Set<P> requestedFrom(int i) {
    Set<P> peers = requestedFrom.get(i);
    return peers == null ? Set.of() : Collections.unmodifiableSet(peers);
  }

  /** Block {@code i} is now on request from {@code peer} too. */
  void ask(int i, P peer) {
    requestedFrom.computeIfAbsent(i, k -> new HashSet<>(2)).add(peer);
    if (state[i] == MISSING) {
      state[i] = ASKED;
      free--;
    }
    touched = true;
  }

  /** Block {@code i} is no longer on request from {@code peer}. */
  void unask(int i, P peer) {
    Set<P> peers = requestedFrom.get(i);
    if (peers != null && peers.remove(peer)) {
      if (peers.isEmpty()) {
        requestedFrom.remove(i);
        if (state[i] == ASKED) {
          state[i] = MISSING;
          free++;
        }
      }
      touched = true;
    }
  }

  /** A block nobody has sent and nobody is asked for: free to hand out. */
  boolean isFree(int i) {
    return state[i] == MISSING;
  }

  /** Some block is free to hand out. */
  boolean hasFreeBlocks() {
    return free > 0;
  }

  /** Every block has arrived: the piece can be hashed. */
  boolean isComplete() {
    return receivedCount == state.length;
  }

  /** Some blocks have arrived, not all: the piece holds data, and can be neither hashed nor forgotten. */
  boolean isPartial() {
    return receivedCount > 0 && !isComplete();
  }

  /** Every block has arrived or is on request: nothing left to hand out but duplicates. */
  boolean isFullyRequested() {
    return free == 0;
  }

  /** Nothing has arrived and nothing is on request: as if the piece had never been begun. */
  boolean isIdle() {
    return receivedCount == 0 && requestedFrom.isEmpty();
  }

  /**
   * How long the piece has been quiet at {@code nowNanos}: nothing on request, and nothing asked
   * for, arrived or given back since an earlier look. Zero when it is not quiet, or on the first
   * look since it was touched; so quiet is measured from the first look that found it so.
   */
  long quietFor(long nowNanos) {
    if (touched || !requestedFrom.isEmpty()) {
      touched = false;
      quietSinceNanos = nowNanos;
    }
    return nowNanos - quietSinceNanos;
  }
}
