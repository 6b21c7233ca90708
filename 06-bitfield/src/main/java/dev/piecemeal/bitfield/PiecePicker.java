package dev.piecemeal.bitfield;

import dev.piecemeal.messages.BlockRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

/**
 * Decides which block to ask which peer for next. The unit of a request is a 16 KiB block (BEP 3,
 * "request"); the picker's rules, in the order it applies them:
 *
 * <ol>
 *   <li>finish pieces already begun before beginning new ones, so that whole pieces can be
 *       verified, written and offered to others early; several peers may work on one piece;
 *   <li>begin the piece the fewest connected peers have (rarest first), choosing at random among
 *       equally rare pieces, so that peers who start together do not all chase the same piece;
 *   <li>endgame: once every missing block is on request, ask a second peer for the ones still out,
 *       and cancel the spare requests when the first copy arrives.
 * </ol>
 *
 * <p>A picker may be given a bound on the pieces begun and not yet verified ({@code maxStarted}):
 * each of them holds memory somewhere (its blocks, or the record of who sent them), so the bound is
 * what keeps a download's memory within a budget. At the bound, peers finish the pieces begun (rule
 * 1 still applies, and a piece a departed peer left half done goes to the next peer that has it);
 * a verified or failed piece makes room for the next. A begun piece that nobody can finish would
 * hold its place for ever, so the caller asks {@link #pieceToDrop} now and then which one to give up.
 *
 * <pre>
 * availability  2 3 1 0 2      we have none; peer A has 1110 0
 * A asks first: piece 2 (only one peer has it), blocks 2:0, 2:16384, ...
 * </pre>
 *
 * <p>The caller asks only on behalf of a peer that has unchoked us, and tells the picker what
 * happened: what peers have, what arrived, what was verified, who left. Peers are told apart by
 * {@code P}, anything with {@code equals} and {@code hashCode} (an address, a connection).
 *
 * <p>Thread-safe: every peer's thread calls it. Every public method is {@code synchronized} on the
 * picker and only reads and writes the picker's own memory, never blocks and never calls out, so
 * one lock cannot deadlock and is held for microseconds.
 *
 * @param <P> how peers are told apart
 */
public final class PiecePicker<P> {

  /** The size of every block the picker hands out, except the last block of a piece. */
  public static final int BLOCK_LENGTH = BlockRequest.MAX_LENGTH;
  /**
   * In endgame, a peer is asked for blocks already out with others only while it has fewer than
   * this many on request, and up to this many: duplicates go to peers that would otherwise idle,
   * and a deep pipeline does not turn into a second copy of everything still out.
   */
  public static final int ENDGAME_PIPELINE = 4;

  /**
   * What the caller does after a block arrived.
   *
   * @param wanted store the data: we asked for it and lacked it; false for a block that arrived
   *     after another copy, or that nobody asked for
   * @param pieceComplete every block of its piece is now in: hash it, then call {@link
   *     #pieceVerified} or {@link #pieceFailed}
   * @param cancelFrom the other peers this block was on request from (endgame): send each a
   *     CANCEL
   */
  public record Arrival<P>(boolean wanted, boolean pieceComplete, List<P> cancelFrom) {
    public Arrival {
      cancelFrom = List.copyOf(cancelFrom);
    }

    static <P> Arrival<P> unwanted() {
      return new Arrival<>(false, false, List.of());
    }
  }

  private final long totalLength;
  private final int pieceLength;
  private final int pieceCount;
  private final Bitfield have;
  private final Availability<P> availability;
  /** Pieces begun and not yet verified, oldest first: the order they are finished in. */
  private final Map<Integer, PieceProgress<P>> started = new LinkedHashMap<>();
  /** Each peer's blocks on request, in the order they were asked for. */
  private final Map<P, Set<BlockRequest>> requested = new HashMap<>();
  private final Random random;
  /** The most pieces begun and not yet verified at any time. */
  private final int maxStarted;
  /** A peer had a piece to begin and the bound said no, since {@link #pieceToDrop} last looked. */
  private boolean refusedSinceLastLook;

  /**
   * A picker for a torrent of {@code totalLength} bytes in pieces of {@code pieceLength}, with no
   * bound on the pieces begun at once.
   *
   * @param have the pieces already verified (from storage's check at start); copied
   * @param random breaks ties between equally rare pieces; seed it in tests. It is drawn from for
   *     every equally rare piece a pick passes, thousands of times a second: a {@code
   *     java.util.Random}, not a {@code SecureRandom}, whose reads of the system's entropy cost
   *     more CPU than the rest of the picker (chapter 11), for a tie-break that needs no secrecy
   */
  public PiecePicker(long totalLength, int pieceLength, Bitfield have, Random random) {
    this(totalLength, pieceLength, have, random, Integer.MAX_VALUE);
  }

  /**
   * A picker that never has more than {@code maxStarted} pieces begun and not yet verified or
   * failed (see the class comment).
   */
  public PiecePicker(long totalLength, int pieceLength, Bitfield have, Random random, int maxStarted) {
    if (maxStarted < 1) {
      throw new IllegalArgumentException("at most " + maxStarted + " pieces begun: need at least 1");
    }
    if (totalLength < 1 || pieceLength < 1) {
      throw new IllegalArgumentException(
          "torrent of " + totalLength + " bytes in pieces of " + pieceLength + " bytes");
    }
    long pieces = (totalLength + pieceLength - 1) / pieceLength;
    if (pieces != have.pieceCount()) {
      throw new IllegalArgumentException(
          "bitfield of " + have.pieceCount() + " pieces for a torrent of " + pieces + " pieces");
    }
    this.totalLength = totalLength;
    this.pieceLength = pieceLength;
    this.pieceCount = (int) pieces;
    this.have = have.copy();
    this.availability = new Availability<>(pieceCount);
    this.random = random;
    this.maxStarted = maxStarted;
  }

  // What peers have (BEP 3 bitfield and have, BEP 6 have all and have none).

  /** The peer sent its bitfield (BEP 3); replaces whatever it said before. */
  public synchronized void peerHas(P peer, Bitfield bitfield) {
    availability.peerHas(peer, bitfield);
  }

  /** The peer announced one more piece (BEP 3 have). */
  public synchronized void peerHave(P peer, int piece) {
    availability.peerHave(peer, piece);
  }

  /** The peer has every piece (BEP 6 have all). */
  public synchronized void peerHaveAll(P peer) {
    availability.peerHas(peer, Bitfield.full(pieceCount));
  }

  /** The peer has no piece yet (BEP 6 have none). */
  public synchronized void peerHaveNone(P peer) {
    availability.peerHas(peer, new Bitfield(pieceCount));
  }

  /** The peer disconnected: it no longer counts for availability, and its requests go back. */
  public synchronized void peerGone(P peer) {
    availability.peerGone(peer);
    release(peer);
  }

  /** Whether the peer has a piece we lack: whether we should be interested in it. */
  public synchronized boolean isInteresting(P peer) {
    Bitfield theirs = availability.bitfieldOf(peer);
    return theirs != null && have.lacksAnyOf(theirs);
  }

  // tag::next-requests[]
  /**
   * Up to {@code max} more blocks to request from this peer, which has unchoked us. Empty when the
   * peer has nothing we need that is not already on request (or, in endgame, on request from it).
   */
  public synchronized List<BlockRequest> nextRequests(P peer, int max) {
    List<BlockRequest> picked = new ArrayList<>();
    Bitfield theirs = availability.bitfieldOf(peer);
    if (theirs == null) {
      return picked;
    }
    // 1. finish what is begun: free blocks of started pieces this peer has, oldest piece first
    for (PieceProgress<P> progress : started.values()) {
      if (picked.size() == max) {
        return picked;
      }
      if (progress.hasFreeBlocks() && theirs.has(progress.piece)) {
        takeFreeBlocks(progress, peer, max, picked);
      }
    }
    // 2. begin new pieces, the rarest first, while the bound on pieces begun has room
    while (picked.size() < max) {
      int piece = rarestNewPiece(theirs);
      if (piece < 0 || !roomToBegin()) {
        break;
      }
      PieceProgress<P> progress = new PieceProgress<>(piece, pieceLength(piece));
      started.put(piece, progress);
      takeFreeBlocks(progress, peer, max, picked);
    }
    // 3. endgame: every missing block is on request; a peer about to run dry asks for the ones
    //    still out with others too, but never has more than ENDGAME_PIPELINE blocks out
    if (picked.size() < max && isEndgame()) {
      Set<BlockRequest> out = requested.get(peer);
      int room = ENDGAME_PIPELINE - (out == null ? 0 : out.size());
      if (room > 0) {
        takeDuplicates(theirs, peer, Math.min(max, picked.size() + room), picked);
      }
    }
    return picked;
  }
  // end::next-requests[]

  /**
   * A block arrived from a peer. Says whether to store it, whether its piece is now complete, and
   * which other peers must get a CANCEL because they were asked for the same block (endgame).
   */
  public synchronized Arrival<P> blockReceived(P peer, BlockRequest block) {
    Set<BlockRequest> ours = requested.get(peer);
    if (ours != null) {
      ours.remove(block);
    }
    PieceProgress<P> progress = started.get(block.pieceIndex());
    int i = progress == null ? -1 : progress.indexOf(block);
    if (i < 0 || progress.isReceived(i)) {
      // a block of a piece we have, never began or gave back whole, a block we never cut this
      // way, or the loser of an endgame race: drop it
      return Arrival.unwanted();
    }
    List<P> cancelFrom = new ArrayList<>();
    for (P other : progress.requestedFrom(i)) {
      if (!other.equals(peer)) {
        cancelFrom.add(other);
        requested.get(other).remove(block);
      }
    }
    progress.markReceived(i);
    return new Arrival<>(true, progress.isComplete(), cancelFrom);
  }

  /** The peer answered a request with REJECT REQUEST (BEP 6), or it timed out: it goes back. */
  public synchronized void requestRejected(P peer, BlockRequest block) {
    Set<BlockRequest> ours = requested.get(peer);
    if (ours == null || !ours.remove(block)) {
      return;
    }
    unrequest(peer, block);
  }

  /**
   * The peer choked us: it discards our requests (BEP 3), so they all go back to be handed out
   * again. Returns them, for the caller's bookkeeping. With the fast extension (BEP 6) a choke does
   * not discard requests; the peer rejects each one instead, and the caller calls {@link
   * #requestRejected} for each.
   */
  public synchronized List<BlockRequest> peerChoked(P peer) {
    return release(peer);
  }

  /** The piece passed its hash check and is stored: we have it. */
  public synchronized void pieceVerified(int piece) {
    started.remove(piece);
    have.set(piece);
  }

  /**
   * The piece failed its hash check: every block of it goes back, and it is picked again like a
   * piece never begun.
   *
   * <p>Simplified: we forget which peers sent the bad blocks. libtorrent can remember them and
   * ban a peer that keeps sending bad data (its smart-ban extension); one bad piece costs us a
   * piece's worth of download again, and banning needs a peer identity this chapter does not
   * have yet.
   */
  public synchronized void pieceFailed(int piece) {
    PieceProgress<P> progress = started.remove(piece);
    if (progress == null) {
      return;
    }
    for (int i = 0; i < progress.blockCount(); i++) {
      for (P peer : progress.requestedFrom(i)) {
        requested.get(peer).remove(progress.block(i));
      }
    }
  }

  /**
   * The piece to give up, if one must go so that the download can go on: when the bound on pieces
   * begun is reached, a peer was refused a new piece since the last call, and a begun piece holds
   * some blocks but has had nothing on request, nothing asked for, nothing arrive and nothing given
   * back for at least {@code quietNanos}. The one quiet longest; at most one per call.
   *
   * <p>Call it at a steady pace (the engine's turn): quiet is measured from the first call that
   * found the piece quiet. The caller throws away the blocks it holds of that piece, then says which
   * with {@link #blocksDropped}; until then the piece stays begun, so its blocks are not asked for
   * twice.
   */
  public synchronized OptionalInt pieceToDrop(long nowNanos, long quietNanos) {
    boolean someoneWaits = refusedSinceLastLook && started.size() >= maxStarted;
    refusedSinceLastLook = false;
    int chosen = -1;
    long longest = -1;
    for (PieceProgress<P> progress : started.values()) {
      long quiet = progress.quietFor(nowNanos); // every piece is looked at, to keep its quiet time
      if (progress.isPartial() && quiet >= quietNanos && quiet > longest) {
        chosen = progress.piece;
        longest = quiet;
      }
    }
    return someoneWaits && chosen >= 0 ? OptionalInt.of(chosen) : OptionalInt.empty();
  }

  /**
   * The caller threw these blocks of a begun piece away (the piece {@link #pieceToDrop} named): they
   * are missing again and go to the next peer that has the piece. A piece left with nothing in and
   * nothing on request is as if never begun, and its place is free. A block that arrived after the
   * caller let go of the rest is not in the list, and stays in.
   */
  public synchronized void blocksDropped(int piece, List<BlockRequest> blocks) {
    PieceProgress<P> progress = started.get(piece);
    if (progress == null) {
      return;
    }
    for (BlockRequest block : blocks) {
      int i = progress.indexOf(block);
      if (i >= 0) {
        progress.markMissing(i);
      }
    }
    if (progress.isIdle()) {
      started.remove(piece);
    }
  }

  /** How many pieces are begun and not yet verified or failed: never more than the bound. */
  public synchronized int piecesStarted() {
    return started.size();
  }

  /** Whether every piece is verified. */
  public synchronized boolean isComplete() {
    return have.isComplete();
  }

  /** Whether this piece is verified: one a peer may request from us. */
  public synchronized boolean has(int piece) {
    return piece >= 0 && piece < pieceCount && have.has(piece);
  }

  /** The pieces verified so far, as a copy: what our BITFIELD message says. */
  public synchronized Bitfield have() {
    return have.copy();
  }

  /** The blocks on request from this peer, oldest first, as a copy. */
  public synchronized List<BlockRequest> requestedFrom(P peer) {
    Set<BlockRequest> ours = requested.get(peer);
    return ours == null ? List.of() : List.copyOf(ours);
  }

  /** How many connected peers have this piece. */
  public synchronized int availability(int piece) {
    return availability.count(piece);
  }

  // tag::endgame[]
  /** Every missing piece is begun and every block of them has arrived or is on request. */
  public synchronized boolean isEndgame() {
    if (have.cardinality() + started.size() < pieceCount) {
      return false;
    }
    for (PieceProgress<P> progress : started.values()) {
      if (!progress.isFullyRequested()) {
        return false;
      }
    }
    return !started.isEmpty();
  }
  // end::endgame[]

  // tag::rarest-first[]
  /**
   * The rarest piece this peer has that we lack and have not begun; among equally rare pieces, one
   * chosen uniformly at random. -1 if there is none.
   *
   * <p>Simplified: one pass over the peer's pieces per piece begun, O(pieces). A production picker
   * keeps pieces in buckets by availability (the original BitTorrent client did; libtorrent keeps
   * them sorted) and moves a piece between buckets as peers come and go, so a pick costs almost
   * nothing; a scan of a few thousand bits takes microseconds, once per piece begun.
   */
  private int rarestNewPiece(Bitfield theirs) {
    int best = -1;
    int bestCount = Integer.MAX_VALUE;
    int ties = 0;
    for (int piece = theirs.nextSetBit(0); piece >= 0; piece = theirs.nextSetBit(piece + 1)) {
      if (have.has(piece)) {
        continue;
      }
      int count = availability.count(piece);
      if (count > bestCount || started.containsKey(piece)) {
        continue; // the map (a boxed key) is asked only about a piece that would be chosen
      }
      if (count < bestCount) {
        best = piece;
        bestCount = count;
        ties = 1;
      } else if (count == bestCount && random.nextInt(++ties) == 0) {
        // reservoir sampling: the k-th equally rare piece replaces the choice with chance 1/k,
        // which leaves each of them chosen with the same chance, in one pass and no list
        best = piece;
      }
    }
    return best;
  }
  // end::rarest-first[]

  /** Whether one more piece may be begun; a refusal is remembered for {@link #pieceToDrop}. */
  private boolean roomToBegin() {
    if (started.size() < maxStarted) {
      return true;
    }
    refusedSinceLastLook = true;
    return false;
  }

  private void takeFreeBlocks(
      PieceProgress<P> progress, P peer, int max, List<BlockRequest> picked) {
    for (int i = 0; i < progress.blockCount() && picked.size() < max; i++) {
      if (progress.isFree(i)) {
        ask(peer, progress, i, picked);
      }
    }
  }

  /**
   * Endgame: blocks still out with other peers, fewest copies on request first.
   *
   * <p>Simplified: a block may end up on request from every peer that has it. A production client
   * caps the copies of one block and favours duplicating blocks held by slow peers; here only a
   * peer with fewer than {@link #ENDGAME_PIPELINE} blocks out takes duplicates, so what a download
   * requests twice is a few blocks per peer, not its pipelines.
   */
  private void takeDuplicates(Bitfield theirs, P peer, int max, List<BlockRequest> picked) {
    record Candidate<Q>(PieceProgress<Q> progress, int block, int copies) {}
    List<Candidate<P>> candidates = new ArrayList<>();
    for (PieceProgress<P> progress : started.values()) {
      if (!theirs.has(progress.piece)) {
        continue;
      }
      for (int i = 0; i < progress.blockCount(); i++) {
        Set<P> askedOf = progress.requestedFrom(i);
        if (!progress.isReceived(i) && !askedOf.contains(peer)) {
          candidates.add(new Candidate<>(progress, i, askedOf.size()));
        }
      }
    }
    candidates.sort(Comparator.comparingInt(Candidate::copies));
    for (Candidate<P> candidate : candidates) {
      if (picked.size() == max) {
        break;
      }
      ask(peer, candidate.progress(), candidate.block(), picked);
    }
  }

  private void ask(P peer, PieceProgress<P> progress, int i, List<BlockRequest> picked) {
    BlockRequest block = progress.block(i);
    progress.ask(i, peer);
    requested.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(block);
    picked.add(block);
  }

  /** Takes back everything on request from this peer. */
  private List<BlockRequest> release(P peer) {
    Set<BlockRequest> ours = requested.remove(peer);
    if (ours == null) {
      return List.of();
    }
    for (BlockRequest block : ours) {
      unrequest(peer, block);
    }
    return List.copyOf(ours);
  }

  /** The block is no longer on request from this peer; a piece left idle is as if never begun. */
  private void unrequest(P peer, BlockRequest block) {
    PieceProgress<P> progress = started.get(block.pieceIndex());
    int i = progress == null ? -1 : progress.indexOf(block);
    if (i < 0) {
      return;
    }
    progress.unask(i, peer);
    if (progress.isIdle()) {
      started.remove(block.pieceIndex());
    }
  }

  private int pieceLength(int piece) {
    return piece == pieceCount - 1
        ? (int) (totalLength - (long) piece * pieceLength)
        : pieceLength;
  }
}
