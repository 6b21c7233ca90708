package dev.piecemeal.client;

import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Peers we stop trusting for the rest of the run, because they sent data that failed a piece's hash
 * check. The rule:
 *
 * <pre>
 * a peer that sent every block of a failed piece           banned at once: the bad data is its
 * a peer that sent blocks of 2 or more failed pieces       banned: one bad piece can be bad luck
 *                                                          (another peer's block), two are a pattern
 * </pre>
 *
 * <p>A banned peer is known by its address and its peer id, so it is not dialed again and is
 * turned away when it dials us from another port.
 *
 * <p>Simplified: a peer that shared a failed piece with others is suspected, not proven guilty, and
 * an honest peer that twice shares a piece with a liar is banned with it. libtorrent's "smart ban"
 * keeps the hash of each block and, once the piece passes, compares every block's hash to find the
 * one peer that lied; counting failures needs no extra hashing and is right when a bad peer sends
 * many bad blocks, as a broken or hostile one does.
 *
 * <p>Simplified: a ban is by address and port (and peer id), not by IP address alone, as libtorrent
 * bans. Behind one NAT, or on 127.0.0.1 in tests, many honest peers share an IP; a peer that
 * reconnects from a new port with a new peer id gets one more chance, and is banned again by its
 * next bad piece.
 *
 * <p>Thread-safe: the hashing thread reports failures, peer threads ask; every method is {@code
 * synchronized} and short.
 */
final class BanList {
  /** Failed pieces a peer may share in before it is banned. */
  static final int FAILURES_TO_BAN = 2;

  private final Map<PeerAddress, Integer> failures = new HashMap<>();
  private final Set<PeerAddress> bannedAddresses = new HashSet<>();
  private final Set<PeerId> bannedIds = new HashSet<>();

  /**
   * A piece failed its hash check; these peers sent its blocks. Returns the peers banned by it.
   */
  synchronized Set<PeerAddress> pieceFailed(Set<PeerAddress> contributors) {
    Set<PeerAddress> newlyBanned = new HashSet<>();
    for (PeerAddress peer : contributors) {
      int count = failures.merge(peer, 1, Integer::sum);
      if ((contributors.size() == 1 || count >= FAILURES_TO_BAN) && bannedAddresses.add(peer)) {
        newlyBanned.add(peer);
      }
    }
    return newlyBanned;
  }

  /** Remembers the peer id of a banned address, to turn it away under any other address. */
  synchronized void banId(PeerId id) {
    bannedIds.add(id);
  }

  synchronized boolean isBanned(PeerAddress address) {
    return bannedAddresses.contains(address);
  }

  synchronized boolean isBanned(PeerId id) {
    return bannedIds.contains(id);
  }

  /** The addresses banned so far. */
  synchronized Set<PeerAddress> banned() {
    return Set.copyOf(bannedAddresses);
  }
}
