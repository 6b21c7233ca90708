package dev.piecemeal.tracker.server;

import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.time.Instant;
import java.util.Objects;

/**
 * One peer of one torrent, as the tracker remembers it from its last announce.
 *
 * @param address where it accepts connections: the IP its request came from, the port it gave
 * @param peerId the peer id it announced with, handed out in the dictionary form of the peer list
 * @param left the bytes it still needs; 0 makes it a seeder ({@code complete})
 * @param lastAnnounce when it last announced; twice the interval after that, it is forgotten
 */
public record TrackedPeer(PeerAddress address, PeerId peerId, long left, Instant lastAnnounce) {

  public TrackedPeer {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(lastAnnounce, "lastAnnounce");
    if (left < 0) {
      throw new IllegalArgumentException("left " + left + " is negative");
    }
  }

  /** True for a peer with the whole torrent: counted in {@code complete}, not {@code incomplete}. */
  public boolean isSeeder() {
    return left == 0;
  }
}
