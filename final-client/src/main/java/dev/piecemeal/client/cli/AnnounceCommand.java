package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Printable;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.AnnounceRequest;
import dev.piecemeal.tracker.AnnounceResponse;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import dev.piecemeal.tracker.TrackerTiers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal announce FILE.torrent}: chapter 2's announce, to the torrent's trackers tier by
 * tier (BEP 12), printing the first answer.
 *
 * <pre>
 * tracker: http://127.0.0.1:6969/announce
 * interval: 1874 s
 * 127.0.0.1:51413
 * [2001:db8:0:0:0:0:0:1]:6881
 * </pre>
 *
 * Every tracker that failed is named on stderr, {@code tracker URL failed: REASON}, even when a
 * later one answered; the status is 1 when none answered.
 */
@Command(name = "announce", mixinStandardHelpOptions = true,
    description = "Announce a torrent to its trackers and print the peers the first one to answer"
        + " gives.")
final class AnnounceCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.torrent", description = "the .torrent file to announce")
  Path file;

  @Option(names = "--port", paramLabel = "N", defaultValue = "6881",
      description = "the TCP port to announce as ours (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--numwant", paramLabel = "N", defaultValue = "50",
      description = "how many peers to ask for, 0.." + AnnounceResponse.MAX_PEERS
          + " (default: ${DEFAULT-VALUE})")
  int numwant;

  @Option(names = "--event", paramLabel = "EVENT", defaultValue = "started",
      description = "started, completed, stopped or none (default: ${DEFAULT-VALUE})")
  String event;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "how long to wait for each tracker: the HTTP timeout, and the first UDP wait"
          + " (UDP sends once more and waits twice as long) (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  public Integer call() throws CommandException {
    AnnounceEvent announceEvent = checkOptions();
    Metainfo torrent = TorrentArgument.load(file);
    if (torrent.trackerTiers().isEmpty()) {
      throw new CommandException(ExitCodes.FAILED,
          file + ": names no tracker (a trackerless torrent needs DHT, which piecemeal does not have)");
    }
    // This command downloads nothing: it reports the whole torrent as left, except when it is
    // told to announce "completed", which a tracker only believes with nothing left.
    AnnounceRequest request = new AnnounceRequest(
        torrent.infoHash(), PeerId.random(), port, 0, 0,
        announceEvent == AnnounceEvent.COMPLETED ? 0 : torrent.totalLength(),
        announceEvent, numwant, new SecureRandom().nextInt());

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // A UDP tracker gets two sends, not BEP 15's nine: TrackerPeers.trackers says why, for announce,
    // handshake and peers alike.
    TrackerTiers.Announced announced =
        new TrackerPeers(file, Duration.ofSeconds(timeoutSeconds), err).announce(torrent, request);
    AnnounceResponse response = announced.response();
    response.warning().ifPresent(warning -> err.println(
        "tracker " + printable(announced.trackerUrl()) + " warns: " + printable(warning)));
    err.flush();

    out.println("tracker: " + printable(announced.trackerUrl()));
    out.println("interval: " + response.interval() + " s");
    for (PeerAddress peer : response.peers()) {
      out.println(peer);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The options a picocli type check cannot judge; a bad one is bad input (status 2). */
  private AnnounceEvent checkOptions() throws CommandException {
    OptionChecks.inRange("--port", port, 1, 65535);
    OptionChecks.inRange("--numwant", numwant, 0, AnnounceResponse.MAX_PEERS);
    OptionChecks.inRange("--timeout", timeoutSeconds, 1, 3600, "seconds");
    try {
      return AnnounceEvent.fromName(event);
    } catch (IllegalArgumentException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--event " + e.getMessage(), e);
    }
  }

  /** A tracker's URL and words come from strangers: control characters are shown, not obeyed. */
  private static String printable(String text) {
    return Printable.oneLine(text);
  }
}
