package dev.piecemeal.client;

import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything a download can be told, with the defaults a user gets from {@code piecemeal download}.
 *
 * @param outputFolder where the torrent's file (or folder) is created
 * @param listenAddress the local address we accept peers on (0.0.0.0: every interface)
 * @param port the first port to try listening on; 0 for any free port
 * @param maxPeers most connections open at once, dialed and accepted together
 * @param giveUpAfter how long without a new block before the download gives up
 * @param extraPeers peers to connect to besides those the trackers name
 * @param trackerTimeout the longest one announce may take (HTTP), or all its UDP retries
 * @param stallTimeout how long a peer may hold requests without sending a block before we drop it
 * @param timeouts connect, read and write timeouts for peer connections
 * @param fixedPipelineDepth 0 for a depth that follows each peer's rate; a number for a fixed one
 * @param trace receives every wire message, or {@link WireTrace#NONE}
 * @param log receives one line for each event a user may want to know (a tracker failed, a peer
 *     was banned); never called for a block
 */
public record DownloadOptions(
    Path outputFolder,
    InetAddress listenAddress,
    int port,
    int maxPeers,
    Duration giveUpAfter,
    List<PeerAddress> extraPeers,
    Duration trackerTimeout,
    Duration stallTimeout,
    ConnectionTimeouts timeouts,
    int fixedPipelineDepth,
    WireTrace trace,
    Consumer<String> log) {

  /** The port BitTorrent clients have listened on since the first one. */
  public static final int DEFAULT_PORT = 6881;

  public DownloadOptions {
    Objects.requireNonNull(outputFolder, "outputFolder");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(giveUpAfter, "giveUpAfter");
    Objects.requireNonNull(trackerTimeout, "trackerTimeout");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(log, "log");
    extraPeers = List.copyOf(extraPeers);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }
    if (maxPeers < 1) {
      throw new IllegalArgumentException("at most " + maxPeers + " peers: need at least 1");
    }
    if (fixedPipelineDepth < 0) {
      throw new IllegalArgumentException("pipeline depth " + fixedPipelineDepth + " is negative");
    }
    for (Duration d : List.of(giveUpAfter, trackerTimeout, stallTimeout)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("duration " + d + " is not positive");
      }
    }
  }

  /** The defaults: every interface, port 6881, 50 peers, give up after 120 s without progress. */
  public static DownloadOptions defaults(Path outputFolder) {
    return new DownloadOptions(outputFolder, anyAddress(), DEFAULT_PORT, 50, Duration.ofSeconds(120),
        List.of(), Duration.ofSeconds(15), Duration.ofSeconds(60), ConnectionTimeouts.DEFAULTS, 0,
        WireTrace.NONE, line -> {});
  }

  public DownloadOptions withListen(InetAddress address, int newPort) {
    return new DownloadOptions(outputFolder, address, newPort, maxPeers, giveUpAfter, extraPeers,
        trackerTimeout, stallTimeout, timeouts, fixedPipelineDepth, trace, log);
  }

  public DownloadOptions withMaxPeers(int max) {
    return new DownloadOptions(outputFolder, listenAddress, port, max, giveUpAfter, extraPeers,
        trackerTimeout, stallTimeout, timeouts, fixedPipelineDepth, trace, log);
  }

  public DownloadOptions withGiveUpAfter(Duration after) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, after, extraPeers,
        trackerTimeout, stallTimeout, timeouts, fixedPipelineDepth, trace, log);
  }

  public DownloadOptions withExtraPeers(List<PeerAddress> peers) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, peers,
        trackerTimeout, stallTimeout, timeouts, fixedPipelineDepth, trace, log);
  }

  public DownloadOptions withTrackerTimeout(Duration timeout) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, extraPeers,
        timeout, stallTimeout, timeouts, fixedPipelineDepth, trace, log);
  }

  public DownloadOptions withStallTimeout(Duration timeout) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, extraPeers,
        trackerTimeout, timeout, timeouts, fixedPipelineDepth, trace, log);
  }

  public DownloadOptions withTimeouts(ConnectionTimeouts newTimeouts) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, extraPeers,
        trackerTimeout, stallTimeout, newTimeouts, fixedPipelineDepth, trace, log);
  }

  public DownloadOptions withFixedPipelineDepth(int depth) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, extraPeers,
        trackerTimeout, stallTimeout, timeouts, depth, trace, log);
  }

  public DownloadOptions withTrace(WireTrace newTrace) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, extraPeers,
        trackerTimeout, stallTimeout, timeouts, fixedPipelineDepth, newTrace, log);
  }

  public DownloadOptions withLog(Consumer<String> newLog) {
    return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, extraPeers,
        trackerTimeout, stallTimeout, timeouts, fixedPipelineDepth, trace, newLog);
  }

  private static InetAddress anyAddress() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an address", e);
    }
  }
}
