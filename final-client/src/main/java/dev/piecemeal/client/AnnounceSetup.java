package dev.piecemeal.client;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link Announcer} says about us in every announce that does not change between them
 * (BEP 3, "tracker requests"), and how long it waits for an answer.
 *
 * @param trackerTiers the torrent's trackers, tier by tier (BEP 12)
 * @param infoHash the torrent
 * @param peerId ours, the same for the whole run
 * @param port where we accept peers
 * @param key a random number that lets a tracker know us if our address changes
 * @param timeout the longest one announce may take (HTTP), or all its UDP retries
 * @param fixedInterval announce this often instead of the tracker's interval; zero for the tracker's
 * @param destinations which trackers may be contacted at all; the others are left out of the tiers
 */
record AnnounceSetup(
    List<List<String>> trackerTiers, InfoHash infoHash, PeerId peerId, int port, int key, Duration timeout,
    Duration fixedInterval, Destinations destinations) {

  AnnounceSetup {
    trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(fixedInterval, "fixedInterval");
    Objects.requireNonNull(destinations, "destinations");
  }
}
