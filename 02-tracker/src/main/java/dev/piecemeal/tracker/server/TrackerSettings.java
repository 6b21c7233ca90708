package dev.piecemeal.tracker.server;

import dev.piecemeal.bencode.InfoHash;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link TrackerServer} is told: how often peers should announce, how much it may hold, and
 * optionally which torrents it serves. The bounds are what make it safe to leave running on a
 * network: whatever peers send, it holds at most {@code maxTorrents × maxPeersPerTorrent} peers
 * (100 × 1000 by default, about 100,000 small entries, a few tens of MiB at the very most).
 *
 * @param interval seconds the tracker asks peers to wait between announces ({@code interval}); a
 *     peer not heard from for twice this long is forgotten. 1800 by default, as opentracker; a test
 *     swarm passes a few seconds
 * @param maxTorrents the most torrents tracked at once; an announce for one more is refused
 * @param maxPeersPerTorrent the most peers of one torrent; an announce from one more is refused
 * @param onlyTorrents when present, the only torrents served (a whitelist, as a private or a demo
 *     tracker has); an announce for any other is refused
 */
public record TrackerSettings(
    int interval, int maxTorrents, int maxPeersPerTorrent, Optional<Set<InfoHash>> onlyTorrents) {

  /** Peers handed out when the announce has no {@code numwant}, as BEP 3's clients expect. */
  public static final int DEFAULT_NUMWANT = 50;
  /** The most peers one answer hands out, whatever {@code numwant} asks. */
  public static final int MAX_NUMWANT = 200;

  public TrackerSettings {
    Objects.requireNonNull(onlyTorrents, "onlyTorrents");
    if (interval < 1) {
      throw new IllegalArgumentException("interval " + interval + " s is not positive");
    }
    if (maxTorrents < 1 || maxPeersPerTorrent < 1) {
      throw new IllegalArgumentException(
          "caps must be positive: " + maxTorrents + " torrents, " + maxPeersPerTorrent + " peers");
    }
    onlyTorrents = onlyTorrents.map(Set::copyOf);
  }

  /** An interval of 1800 s, 100 torrents of up to 1000 peers each, any torrent served. */
  public static TrackerSettings defaults() {
    return new TrackerSettings(1800, 100, 1000, Optional.empty());
  }

  /** The same settings with another interval, in seconds. */
  public TrackerSettings withInterval(int seconds) {
    return new TrackerSettings(seconds, maxTorrents, maxPeersPerTorrent, onlyTorrents);
  }

  /** The same settings with other caps. */
  public TrackerSettings withCaps(int torrents, int peersPerTorrent) {
    return new TrackerSettings(interval, torrents, peersPerTorrent, onlyTorrents);
  }

  /** The same settings, serving only these torrents. */
  public TrackerSettings servingOnly(Set<InfoHash> torrents) {
    return new TrackerSettings(interval, maxTorrents, maxPeersPerTorrent, Optional.of(torrents));
  }

  /**
   * The {@code min interval} sent with every answer: half the interval, so that a client that
   * re-announces early (after a restart, on completing) is still within the rules.
   */
  public int minInterval() {
    return Math.max(1, interval / 2);
  }
}
