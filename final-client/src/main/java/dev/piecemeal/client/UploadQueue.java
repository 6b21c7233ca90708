package dev.piecemeal.client;

import dev.piecemeal.messages.BlockRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * What one peer has asked us for and we have not sent yet, and whether we choke it (BEP 3,
 * "choking", "request", "cancel"). A request is queued only when it is one we can honour: we
 * unchoke the peer, we have the piece, the block lies inside the piece, and the queue has room.
 *
 * <pre>
 * REQUEST 7:16384+16384   unchoked, have piece 7, inside it → QUEUED → sent as PIECE, oldest first
 * REQUEST 9:0+16384       we lack piece 9                   → NOT_OURS (BEP 6: reject; else ignored)
 * CANCEL 7:16384+16384    still queued                      → removed, never sent
 * CHOKE                   every queued request is dropped   (BEP 6: each one rejected)
 * </pre>
 *
 * <p>Memory: the queue holds requests (12 bytes each), never blocks; it is bounded by {@link
 * #MAX_QUEUED}, the number we will tell peers as {@code reqq} once we speak BEP 10, so a peer that
 * floods us with 10,000 requests costs us at most 250.
 *
 * <p>Not thread-safe: its session's write lock guards it (the session's thread queues, and whoever
 * holds the lock sends and chokes).
 */
final class UploadQueue {
  /** The most requests one peer may have waiting with us: libtorrent's default {@code reqq}. */
  static final int MAX_QUEUED = 250;

  /** What became of one request. */
  enum Verdict {
    /** Queued, to be sent. */
    QUEUED,
    /** We choke the peer: BEP 3 lets us ignore it. */
    CHOKED,
    /** We do not have that piece (yet). */
    NOT_OURS,
    /** The block is not inside its piece. */
    OUTSIDE_PIECE,
    /** Already queued: the copy is dropped. */
    DUPLICATE,
    /** The queue is full. */
    TOO_MANY
  }

  private final Set<BlockRequest> waiting = new LinkedHashSet<>();
  private final int pieceCount;
  private final IntPredicate have;
  private final IntUnaryOperator pieceSize;
  private boolean choking = true;

  /**
   * @param have whether we have a piece (a verified one)
   * @param pieceSize the size of a piece, for the last one's shorter length
   */
  UploadQueue(int pieceCount, IntPredicate have, IntUnaryOperator pieceSize) {
    this.pieceCount = pieceCount;
    this.have = have;
    this.pieceSize = pieceSize;
  }

  // tag::request[]
  /** The peer asked for a block. */
  Verdict request(BlockRequest block) {
    if (choking) {
      return Verdict.CHOKED;
    }
    if (block.pieceIndex() >= pieceCount || !have.test(block.pieceIndex())) {
      return Verdict.NOT_OURS;
    }
    if (block.end() > pieceSize.applyAsInt(block.pieceIndex())) {
      return Verdict.OUTSIDE_PIECE;
    }
    if (waiting.contains(block)) {
      return Verdict.DUPLICATE;
    }
    if (waiting.size() >= MAX_QUEUED) {
      return Verdict.TOO_MANY;
    }
    waiting.add(block);
    return Verdict.QUEUED;
  }
  // end::request[]

  /** The peer no longer wants a block; true if it was still waiting. */
  boolean cancel(BlockRequest block) {
    return waiting.remove(block);
  }

  /** The oldest waiting request, taken out of the queue; null when none waits. */
  BlockRequest next() {
    Iterator<BlockRequest> oldest = waiting.iterator();
    if (!oldest.hasNext()) {
      return null;
    }
    BlockRequest block = oldest.next();
    oldest.remove();
    return block;
  }

  /** We choke the peer: every waiting request is dropped, and returned (to reject them, BEP 6). */
  List<BlockRequest> choke() {
    choking = true;
    List<BlockRequest> dropped = new ArrayList<>(waiting);
    waiting.clear();
    return dropped;
  }

  /** We unchoke the peer: its requests are welcome from now on. */
  void unchoke() {
    choking = false;
  }

  boolean isChoking() {
    return choking;
  }

  int size() {
    return waiting.size();
  }
}
