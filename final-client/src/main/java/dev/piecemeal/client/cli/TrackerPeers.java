package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.tracker.AllTrackersFailedException;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.AnnounceRequest;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.RetryPolicy;
import dev.piecemeal.tracker.TrackerException;
import dev.piecemeal.tracker.TrackerTiers;
import dev.piecemeal.tracker.Trackers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Chapter 2 for the commands: ask a torrent's trackers, tier by tier (BEP 12), and take the first
 * answer; name every tracker that failed on stderr, {@code tracker URL failed: REASON}; afterwards
 * tell the one that answered that we are gone. {@code announce} prints the answer;
 * {@code handshake} and {@code peers} dial the peers in it.
 */
final class TrackerPeers {

  private final Path file;
  private final Duration timeout;
  private final PrintWriter err;

  /**
   * @param file the torrent, for error messages
   * @param timeout the wait for each tracker: the HTTP timeout, and the first UDP wait
   * @param err where failed trackers are named
   */
  TrackerPeers(Path file, Duration timeout, PrintWriter err) {
    this.file = file;
    this.timeout = timeout;
    this.err = err;
  }

  /** The first tracker that answers gives the peers; every one that failed is named. */
  TrackerTiers.Announced announce(Metainfo metainfo, AnnounceRequest request) throws CommandException {
    if (metainfo.trackerTiers().isEmpty()) {
      throw new CommandException(ExitCodes.BAD_INPUT, file + ": names no tracker, so name the peers as HOST:PORT");
    }
    try {
      TrackerTiers.Announced announced = trackers(metainfo.trackerTiers()).announce(request);
      printFailures(announced.failures());
      return announced;
    } catch (AllTrackersFailedException e) {
      printFailures(e.failures());
      throw new CommandException(ExitCodes.FAILED, "no tracker answered (" + e.failures().size() + " tried) for " + file);
    }
  }

  /** The peers of the tracker's answer, for a command that dials them; none at all is a failed run. */
  List<PeerAddress> peersIn(TrackerTiers.Announced announced) throws CommandException {
    List<PeerAddress> peers = announced.response().peers();
    if (peers.isEmpty()) {
      throw new CommandException(ExitCodes.FAILED,
          "tracker " + ErrorHandler.oneLine(announced.trackerUrl()) + " knows no peer for " + file);
    }
    return peers;
  }

  /**
   * We announced a port where nobody listens: tell the tracker that answered that we are gone, so
   * it does not hand our address to others for the next half hour. Best effort: a failure is
   * named, and changes nothing else.
   */
  void stopAnnouncing(TrackerTiers.Announced announced, AnnounceRequest request) {
    try {
      trackers(List.of(List.of(announced.trackerUrl()))).announce(request.withEvent(AnnounceEvent.STOPPED));
    } catch (AllTrackersFailedException e) {
      printFailures(e.failures());
    }
  }

  /**
   * Simplified: a UDP tracker gets two sends (the timeout, then twice that), not BEP 15's nine
   * (15 s doubling to 3840 s, over two hours). A download session can wait that long for a
   * tracker; a person at a prompt cannot.
   */
  private TrackerTiers trackers(List<List<String>> tiers) {
    RetryPolicy udpRetry = new RetryPolicy(timeout, 1);
    return new TrackerTiers(tiers, url -> Trackers.forUrl(url, timeout, udpRetry));
  }

  /** One line per failed tracker, in the order they were tried; URLs and reasons come from strangers. */
  private void printFailures(List<TrackerException> failures) {
    for (TrackerException failure : failures) {
      err.println("tracker " + ErrorHandler.oneLine(failure.tracker().orElse("?")) + " failed: "
          + ErrorHandler.oneLine(failure.reason()));
    }
    err.flush();
  }
}
