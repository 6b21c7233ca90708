package dev.piecemeal.tracker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peers of one response while it is being read: no duplicates, the tracker's order, and never
 * more than {@link AnnounceResponse#MAX_PEERS}, whatever the tracker sends. Entries that cannot be
 * dialled are counted and dropped. Used by one reader on one thread.
 */
final class PeerList {
  private final Set<PeerAddress> peers = new LinkedHashSet<>();
  private final Map<PeerAddress, PeerId> peerIds = new HashMap<>();
  private int dropped;

  /** Adds a peer unless the list is full; a peer seen before is not added twice. */
  void add(PeerAddress peer) {
    if (!isFull()) {
      peers.add(peer);
    }
  }

  /** Adds a peer with the peer id the tracker gave for it. */
  void add(PeerAddress peer, PeerId peerId) {
    if (!isFull() || peers.contains(peer)) {
      peers.add(peer);
      peerIds.putIfAbsent(peer, peerId);
    }
  }

  /** Counts an entry that was skipped because it cannot be dialled (port 0, a host name). */
  void drop() {
    dropped++;
  }

  boolean isFull() {
    return peers.size() >= AnnounceResponse.MAX_PEERS;
  }

  List<PeerAddress> peers() {
    return new ArrayList<>(peers);
  }

  Map<PeerAddress, PeerId> peerIds() {
    return peerIds;
  }

  /** How many entries were dropped as impossible to dial. */
  int dropped() {
    return dropped;
  }
}
