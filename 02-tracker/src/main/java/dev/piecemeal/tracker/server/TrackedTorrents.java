package dev.piecemeal.tracker.server;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the tracker knows: for each torrent, the peers that announced it lately. An announce
 * registers (or, with {@code stopped}, removes) the peer that sent it, then answers with the
 * torrent's counts and a random sample of its other peers (BEP 3, "trackers").
 *
 * <p>A peer is known by its address, the IP its request came from and the port it gave, as
 * opentracker does: that is what other peers dial, and only a request from the same IP can change
 * or remove the entry. A peer that stops announcing is forgotten twice the interval after its last
 * announce; a torrent with no peers left is forgotten too, which frees its place under the cap.
 *
 * <p>Memory is bounded by {@link TrackerSettings#maxTorrents} and {@link
 * TrackerSettings#maxPeersPerTorrent}: an announce that would need more is refused, never stored.
 *
 * <p>Thread safety: the server's handler threads call {@link #announce} at once; every method is
 * synchronized on this object, the one lock of the tracker, held only while the maps are read and
 * changed, never while a request is read or an answer written.
 */
public final class TrackedTorrents {
  private final TrackerSettings settings;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final Duration expiry;
  private final Map<InfoHash, Map<PeerAddress, TrackedPeer>> torrents = new HashMap<>();

  /**
   * What one announce gets back: the torrent's counts, the requester included, and the peers to
   * hand it, the requester never among them.
   */
  public record Answer(int complete, int incomplete, List<TrackedPeer> peers) {
    public Answer {
      peers = List.copyOf(peers);
    }
  }

  /**
   * An empty tracker.
   *
   * @param clock when announces happen, for expiry; tests pass one they move by hand
   * @param random which peers are handed out when a torrent has more than are wanted; tests pass a
   *     seeded one
   */
  public TrackedTorrents(TrackerSettings settings, InstantSource clock, RandomGenerator random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.expiry = Duration.ofSeconds(2L * settings.interval());
  }

  /**
   * Registers the announce of the peer at {@code from} and answers it.
   *
   * @throws AnnounceRefusedException when the torrent is not served, or the tracker or the
   *     torrent's swarm is full
   */
  public synchronized Answer announce(AnnounceQuery query, InetAddress from)
      throws AnnounceRefusedException {
    Instant now = clock.instant();
    InfoHash infoHash = query.infoHash();
    PeerAddress address = new PeerAddress(from, query.port());
    // 1. a whitelist, when there is one, before anything is stored
    if (settings.onlyTorrents().isPresent() && !settings.onlyTorrents().get().contains(infoHash)) {
      throw new AnnounceRefusedException("torrent " + infoHash.hex() + " is not served by this tracker");
    }
    // 2. the torrent's peers, without those not heard from for twice the interval
    Map<PeerAddress, TrackedPeer> peers = torrents.get(infoHash);
    if (peers == null) {
      if (query.event() == AnnounceEvent.STOPPED) {
        return new Answer(0, 0, List.of()); // a goodbye to a torrent we do not know: nothing to do
      }
      peers = newTorrent(infoHash, now);
    }
    forgetExpired(peers, now);
    // 3. the announcing peer: removed when it stops, else (re)registered, within the cap
    if (query.event() == AnnounceEvent.STOPPED) {
      peers.remove(address);
    } else {
      if (!peers.containsKey(address) && peers.size() >= settings.maxPeersPerTorrent()) {
        throw new AnnounceRefusedException("torrent " + infoHash.hex() + " has "
            + peers.size() + " peers, the most this tracker holds for one torrent");
      }
      peers.put(address, new TrackedPeer(address, query.peerId(), query.left(), now));
    }
    // 4. the counts, and a random sample of the others (none for a peer that is leaving)
    int complete = (int) peers.values().stream().filter(TrackedPeer::isSeeder).count();
    int incomplete = peers.size() - complete;
    int wanted = query.event() == AnnounceEvent.STOPPED ? 0
        : Math.min(query.numwant().orElse(TrackerSettings.DEFAULT_NUMWANT), TrackerSettings.MAX_NUMWANT);
    List<TrackedPeer> sample = sample(peers, query, address, wanted);
    if (peers.isEmpty()) {
      torrents.remove(infoHash);
    }
    return new Answer(complete, incomplete, sample);
  }

  /** How many torrents have peers now (expired peers may still be counted until the next announce). */
  public synchronized int torrentCount() {
    return torrents.size();
  }

  /** A new, empty torrent, if the cap allows one after the expired peers of all are forgotten. */
  private Map<PeerAddress, TrackedPeer> newTorrent(InfoHash infoHash, Instant now)
      throws AnnounceRefusedException {
    if (torrents.size() >= settings.maxTorrents()) {
      // Only when full: a sweep of every torrent is the cost of one announce here, not of each.
      torrents.values().forEach(peers -> forgetExpired(peers, now));
      torrents.values().removeIf(Map::isEmpty);
    }
    if (torrents.size() >= settings.maxTorrents()) {
      throw new AnnounceRefusedException("this tracker holds " + torrents.size()
          + " torrents, its most; torrent " + infoHash.hex() + " is not tracked");
    }
    Map<PeerAddress, TrackedPeer> peers = new HashMap<>();
    torrents.put(infoHash, peers);
    return peers;
  }

  private void forgetExpired(Map<PeerAddress, TrackedPeer> peers, Instant now) {
    Iterator<TrackedPeer> each = peers.values().iterator();
    while (each.hasNext()) {
      if (Duration.between(each.next().lastAnnounce(), now).compareTo(expiry) >= 0) {
        each.remove();
      }
    }
  }

  /**
   * Up to {@code wanted} peers other than the one announcing (neither its address nor its peer
   * id), picked at random: the first {@code wanted} steps of a Fisher-Yates shuffle.
   */
  private List<TrackedPeer> sample(
      Map<PeerAddress, TrackedPeer> peers, AnnounceQuery query, PeerAddress self, int wanted) {
    List<TrackedPeer> others = new ArrayList<>(peers.size());
    for (TrackedPeer peer : peers.values()) {
      if (!peer.address().equals(self) && !peer.peerId().equals(query.peerId())) {
        others.add(peer);
      }
    }
    int count = Math.min(wanted, others.size());
    for (int i = 0; i < count; i++) {
      Collections.swap(others, i, i + random.nextInt(others.size() - i));
    }
    return others.subList(0, count);
  }
}
