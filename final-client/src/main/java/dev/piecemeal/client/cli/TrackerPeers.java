package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Printable;
import dev.piecemeal.tracker.AllTrackersFailedException;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.AnnounceRequest;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import dev.piecemeal.tracker.RetryPolicy;
import dev.piecemeal.tracker.TrackerException;
import dev.piecemeal.tracker.TrackerTiers;
import dev.piecemeal.tracker.Trackers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * Chapter 2 for the commands: ask a torrent's trackers, tier by tier (BEP 12), and take the first
 * answer; name every tracker that failed on stderr, {@code tracker URL failed: REASON}; afterwards
 * tell the one that answered that we are gone. {@code announce} prints the answer;
 * {@code handshake} and {@code peers} dial the peers in it, through {@link #withPeers}.
 */
final class TrackerPeers {

  /** What a command does with the peers a tracker named, between the announce and the goodbye. */
  @FunctionalInterface
  interface PeersTask {
    int run(List<PeerAddress> peers) throws CommandException, InterruptedException;
  }

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

  /**
   * The fallback of {@code handshake} and {@code peers} when no HOST:PORT is given: announce
   * {@code started} as {@code ourId} on {@code port}, run {@code task} on the peers of the first
   * answer, then tell that tracker we are gone, whatever the task did.
   *
   * @return what the task returned: the command's exit status
   */
  int withPeers(Metainfo metainfo, PeerId ourId, int port, int numwant, PeersTask task)
      throws CommandException, InterruptedException {
    AnnounceRequest request = AnnounceRequest.started(
        metainfo.infoHash(), ourId, port, metainfo.totalLength(), numwant, new SecureRandom().nextInt());
    TrackerTiers.Announced announced = announce(metainfo, request);
    try {
      return task.run(peersIn(announced));
    } finally {
      stopAnnouncing(announced, request);
    }
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
  private List<PeerAddress> peersIn(TrackerTiers.Announced announced) throws CommandException {
    List<PeerAddress> peers = announced.response().peers();
    if (peers.isEmpty()) {
      throw new CommandException(ExitCodes.FAILED,
          "tracker " + Printable.oneLine(announced.trackerUrl()) + " knows no peer for " + file);
    }
    return peers;
  }

  /**
   * We announced a port where nobody listens: tell the tracker that answered that we are gone, so
   * it does not hand our address to others for the next half hour. Best effort: a failure is
   * named, and changes nothing else.
   */
  private void stopAnnouncing(TrackerTiers.Announced announced, AnnounceRequest request) {
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
      err.println("tracker " + Printable.oneLine(failure.tracker().orElse("?")) + " failed: "
          + Printable.oneLine(failure.reason()));
    }
    err.flush();
  }
}
