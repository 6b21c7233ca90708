package dev.piecemeal.client.seed;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the {@link Choker} is told about one connected peer at each call: a snapshot the engine takes
 * from the peer's session. The names are BEP 3's ("peer wire protocol"): {@code peer_interested}
 * is whether the peer wants our data, {@code am_interested} whether we want its.
 *
 * <p>Byte counts are running totals since the connection opened, the counters a session keeps
 * anyway; the choker takes the difference from one round to the next itself, so the engine never
 * has to know when a round is.
 *
 * @param key the peer's handle, opaque to the choker and compared with {@code equals} (an address,
 *     a session): what comes back in the {@link ChokeDecision}
 * @param peerInterested the peer has told us it is interested: only such a peer can have a slot
 * @param amInterested we are interested in the peer: only then does its silence count as snubbing
 * @param bytesReceived payload bytes (blocks) the peer has sent us since it connected
 * @param bytesSent payload bytes we have sent the peer since it connected
 * @param connectedAt when the connection opened, in nanoseconds on the choker's clock
 * @param lastBlockAt when the peer last sent us a block, on the same clock; empty if it never has
 */
public record ChokerPeer<K>(
    K key,
    boolean peerInterested,
    boolean amInterested,
    long bytesReceived,
    long bytesSent,
    long connectedAt,
    OptionalLong lastBlockAt) {

  public ChokerPeer {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastBlockAt, "lastBlockAt");
    if (bytesReceived < 0 || bytesSent < 0) {
      throw new IllegalArgumentException(
          "byte counts of peer " + key + " must not be negative: " + bytesReceived + ", " + bytesSent);
    }
    // Compared by difference, as System.nanoTime values must be.
    if (lastBlockAt.isPresent() && lastBlockAt.getAsLong() - connectedAt < 0) {
      throw new IllegalArgumentException("peer " + key + " sent a block before it connected");
    }
  }

  /** When we last heard a block from this peer, or, if never, when it connected. */
  public long lastHeardFrom() {
    return lastBlockAt.orElse(connectedAt);
  }
}
