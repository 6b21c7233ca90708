package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The peers other nodes announced to us ({@code announce_peer}), which we hand out in answer to
 * {@code get_peers} (BEP 5): a small tracker, every table of it bounded, since anyone on the
 * internet may send us announces.
 *
 * <pre>
 * at most 1,000 torrents  x  at most 100 peers each  =  at most 100,000 peers
 * a peer is forgotten 30 minutes after its last announce
 * </pre>
 *
 * When full, a new torrent or a new peer is dropped (libtorrent does the same) and {@link
 * #isFull} says so, so that our answer to {@code get_peers} can withhold the token and the asker
 * announces to our neighbours instead. A peer that announces again is always refreshed.
 *
 * <p>Time is the clock passed in. Not thread-safe: one owner, the node's loop.
 */
public final class PeerStore {
  /** Torrents stored at most; libtorrent's {@code dht_max_torrents} is 2,000. */
  public static final int MAX_TORRENTS = 1_000;
  /**
   * Peers per torrent at most; libtorrent's {@code dht_max_peers} is 500. 100 is as many as one
   * answer carries ({@link Response#MAX_VALUES}), so every stored peer can be handed out.
   */
  public static final int MAX_PEERS_PER_TORRENT = Response.MAX_VALUES;
  /**
   * How long an announce keeps a peer: BEP 5 says nothing; libtorrent announces every 15 minutes
   * and keeps a peer 45. Thirty minutes outlives one lost announce.
   */
  public static final long PEER_LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(30);
  /** Expired peers of all torrents are swept at most this often, so a flood costs one sweep a minute. */
  private static final long SWEEP_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LongSupplier nanos;
  /** Per torrent, each peer and when it last announced, oldest first. */
  private final Map<InfoHash, LinkedHashMap<PeerAddress, Long>> torrents = new HashMap<>();
  private long lastSweep;

  /** @param nanos the clock, in nanoseconds ({@code System::nanoTime}) */
  public PeerStore(LongSupplier nanos) {
    this.nanos = Objects.requireNonNull(nanos, "nanos");
    this.lastSweep = nanos.getAsLong();
  }

  /**
   * Stores {@code peer} as a peer of {@code infoHash}, or refreshes it.
   *
   * @return false when the store is full and the announce was dropped
   */
  public boolean announce(InfoHash infoHash, PeerAddress peer) {
    long now = nanos.getAsLong();
    sweepIfDue(now);
    LinkedHashMap<PeerAddress, Long> peers = torrents.get(infoHash);
    if (peers == null) {
      if (torrents.size() >= MAX_TORRENTS) {
        return false;
      }
      peers = new LinkedHashMap<>();
      torrents.put(infoHash, peers);
    }
    expire(peers, now);
    // Taken out and put back, so that the map stays in the order of the last announce.
    boolean known = peers.remove(peer) != null;
    if (!known && peers.size() >= MAX_PEERS_PER_TORRENT) {
      return false;
    }
    peers.put(peer, now);
    return true;
  }

  /** True when an announce of a new peer for {@code infoHash} would be dropped. */
  public boolean isFull(InfoHash infoHash) {
    LinkedHashMap<PeerAddress, Long> peers = torrents.get(infoHash);
    if (peers == null) {
      return torrents.size() >= MAX_TORRENTS;
    }
    expire(peers, nanos.getAsLong());
    return peers.size() >= MAX_PEERS_PER_TORRENT;
  }

  /** Up to {@code max} peers of {@code infoHash} that announced in the last 30 minutes, newest first. */
  public List<PeerAddress> peers(InfoHash infoHash, int max) {
    LinkedHashMap<PeerAddress, Long> peers = torrents.get(infoHash);
    if (peers == null) {
      return List.of();
    }
    expire(peers, nanos.getAsLong());
    if (peers.isEmpty()) {
      torrents.remove(infoHash);
      return List.of();
    }
    List<PeerAddress> newestFirst = new ArrayList<>(peers.keySet());
    Collections.reverse(newestFirst);
    return List.copyOf(newestFirst.subList(0, Math.min(max, newestFirst.size())));
  }

  /** The number of torrents with peers stored (some may have expired since the last sweep). */
  public int torrentCount() {
    return torrents.size();
  }

  /** The number of peers stored, over all torrents. */
  public int peerCount() {
    int count = 0;
    for (Map<PeerAddress, Long> peers : torrents.values()) {
      count += peers.size();
    }
    return count;
  }

  private void sweepIfDue(long now) {
    if (now - lastSweep < SWEEP_NANOS) {
      return;
    }
    lastSweep = now;
    for (Iterator<LinkedHashMap<PeerAddress, Long>> it = torrents.values().iterator(); it.hasNext(); ) {
      LinkedHashMap<PeerAddress, Long> peers = it.next();
      expire(peers, now);
      if (peers.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Drops the peers whose last announce is 30 minutes old: the oldest come first, so it stops early. */
  private static void expire(LinkedHashMap<PeerAddress, Long> peers, long now) {
    for (Iterator<Long> it = peers.values().iterator(); it.hasNext(); ) {
      if (now - it.next() < PEER_LIFETIME_NANOS) {
        return;
      }
      it.remove();
    }
  }
}
