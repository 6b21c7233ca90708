package dev.piecemeal.tracker;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tracker's answer to an announce, the same for HTTP (BEP 3, BEP 23, BEP 7) and UDP (BEP 15).
 * A tracker that refuses answers with a {@code failure reason} instead, which becomes a {@link
 * TrackerFailureException}, never a response.
 *
 * @param interval seconds the tracker asks us to wait before the next regular announce
 * @param minInterval seconds we must wait at least, when the tracker says ({@code min interval})
 * @param seeders peers with the whole torrent, when the tracker says (HTTP {@code complete}, UDP
 *     {@code seeders})
 * @param leechers peers still downloading, when the tracker says (HTTP {@code incomplete}, UDP
 *     {@code leechers})
 * @param warning a {@code warning message}: the announce worked, but the tracker wants a person to
 *     read this
 * @param trackerId a {@code tracker id} to send back as {@code trackerid} in later announces
 * @param peers where peers listen, IPv4 and IPv6, without duplicates, in the tracker's order
 * @param peerIds the peer id a tracker gave for some of {@code peers} (only the dictionary form of
 *     the peer list carries them)
 */
public record AnnounceResponse(
    int interval,
    OptionalInt minInterval,
    OptionalInt seeders,
    OptionalInt leechers,
    Optional<String> warning,
    Optional<String> trackerId,
    List<PeerAddress> peers,
    Map<PeerAddress, PeerId> peerIds) {

  /**
   * The most peers one response keeps. Asking for more than a few hundred makes no sense (a client
   * connects to about 50 at a time), and a tracker must not be able to make us hold millions.
   */
  public static final int MAX_PEERS = 1000;

  public AnnounceResponse {
    Objects.requireNonNull(minInterval, "minInterval");
    Objects.requireNonNull(seeders, "seeders");
    Objects.requireNonNull(leechers, "leechers");
    Objects.requireNonNull(warning, "warning");
    Objects.requireNonNull(trackerId, "trackerId");
    if (interval < 1) {
      throw new IllegalArgumentException("interval " + interval + " s is not positive");
    }
    // A set drops the duplicates and keeps the tracker's order.
    peers = List.copyOf(new LinkedHashSet<>(peers));
    if (peers.size() > MAX_PEERS) {
      throw new IllegalArgumentException(
          peers.size() + " peers is more than the " + MAX_PEERS + " a response keeps");
    }
    peerIds = Map.copyOf(peerIds);
    if (!peers.containsAll(peerIds.keySet())) {
      throw new IllegalArgumentException("a peer id is given for a peer that is not in the list");
    }
  }
}
