package dev.piecemeal.bitfield;

import java.util.HashMap;
import java.util.Map;

/**
 * Who has what: each connected peer's bitfield, and for each piece how many of them have it. Kept
 * current as peers announce what they have (BEP 3 bitfield and have; BEP 6 have all and have none)
 * and as they disconnect. The rarest-first picker reads {@link #count}.
 *
 * <pre>
 * peer A: 1100   peer B: 1110   peer C: 0100
 * count:  2 3 1 0               piece 2 is the rarest we can get; piece 3 nobody has
 * </pre>
 *
 * <p>Not thread-safe: owned by the {@link PiecePicker}, whose lock guards it.
 *
 * @param <P> how peers are told apart: anything with {@code equals} and {@code hashCode}
 */
public final class Availability<P> {

  private final int pieceCount;
  private final int[] counts;
  private final Map<P, Bitfield> peers = new HashMap<>();

  /** No peers yet, for a torrent of {@code pieceCount} pieces. */
  public Availability(int pieceCount) {
    this.pieceCount = pieceCount;
    this.counts = new int[pieceCount];
  }

  /**
   * The peer's bitfield (BEP 3), or a full or empty one for have all and have none (BEP 6).
   * Replaces whatever the peer said before.
   */
  public void peerHas(P peer, Bitfield has) {
    if (has.pieceCount() != pieceCount) {
      throw new IllegalArgumentException(
          "bitfield of " + has.pieceCount() + " pieces, expected " + pieceCount);
    }
    peerGone(peer);
    Bitfield mine = has.copy();
    peers.put(peer, mine);
    for (int piece = mine.nextSetBit(0); piece >= 0; piece = mine.nextSetBit(piece + 1)) {
      counts[piece]++;
    }
  }

  /**
   * The peer announced one more piece (BEP 3 have). A peer that sent no bitfield first has none
   * before this one; a have for a piece it already had changes nothing.
   */
  public void peerHave(P peer, int piece) {
    Bitfield has = peers.computeIfAbsent(peer, p -> new Bitfield(pieceCount));
    if (has.set(piece)) {
      counts[piece]++;
    }
  }

  /**
   * The peer disconnected: it no longer counts for any piece.
   *
   * <p>Simplified: a seed costs one count update per piece when it comes and when it goes. A
   * production client counts seeds apart from other peers, so a seed costs one increment; with
   * tens of peers and thousands of pieces, the loop here takes microseconds.
   */
  public void peerGone(P peer) {
    Bitfield had = peers.remove(peer);
    if (had == null) {
      return;
    }
    for (int piece = had.nextSetBit(0); piece >= 0; piece = had.nextSetBit(piece + 1)) {
      counts[piece]--;
    }
  }

  /** How many connected peers have this piece. */
  public int count(int piece) {
    return counts[piece];
  }

  /** Whether this peer has said it has this piece. */
  public boolean peerHasPiece(P peer, int piece) {
    Bitfield has = peers.get(peer);
    return has != null && has.has(piece);
  }

  /** What the peer has said it has, as a copy; an empty bitfield for a peer that said nothing. */
  public Bitfield of(P peer) {
    Bitfield has = peers.get(peer);
    return has == null ? new Bitfield(pieceCount) : has.copy();
  }

  /** The peer's bitfield itself, for the picker's own reads; null if the peer said nothing. */
  Bitfield bitfieldOf(P peer) {
    return peers.get(peer);
  }

  /** How many pieces the torrent has. */
  public int pieceCount() {
    return pieceCount;
  }

  /** How many peers are known. */
  public int peerCount() {
    return peers.size();
  }
}
