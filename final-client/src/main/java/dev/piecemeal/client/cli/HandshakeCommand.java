package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Printable;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.handshake.HandshakeDump;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.peers.ClientName;
import dev.piecemeal.peers.ConnectionFailure;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.DialResult;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.peers.PeerDialer;
import dev.piecemeal.tracker.AnnounceResponse;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal handshake FILE.torrent [HOST:PORT ...]}: chapters 3 and 4 at work. Dials each
 * peer given, or without any, each peer the torrent's trackers return (chapter 2's announce; the
 * trackers that fail are named on stderr). At most a few dials at once; sends the handshake for the
 * torrent's info hash, and prints one line per peer as soon as it is done:
 *
 * <pre>
 * 127.0.0.1:51999  ok  peer id -TR3000-sdl9i1xsvnrk  client Transmission 3.00  extensions BEP6-fast, BEP10-extension-protocol
 * 127.0.0.1:1  failed: connection refused by 127.0.0.1:1
 * </pre>
 *
 * Exit status 0 when at least one handshake succeeded, 1 when none did (with one {@code error:}
 * line), 2 for a bad file or argument.
 */
@Command(name = "handshake", mixinStandardHelpOptions = true,
    description = "Connect to peers, exchange the BitTorrent handshake, and show who they are.")
final class HandshakeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.torrent", description = "the torrent whose info hash we ask for")
  Path file;

  @Parameters(index = "1..*", paramLabel = "HOST:PORT",
      description = "peers to connect to, IPv6 as [ADDRESS]:PORT")
  List<String> peerArguments = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "how long to wait for a peer to accept, and then for its handshake (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--max-dialing", paramLabel = "N", defaultValue = "8",
      description = "how many peers to dial at once (default: ${DEFAULT-VALUE})")
  int maxDialing;

  @Option(names = "--hex", description = "also print both handshakes as annotated hex dumps")
  boolean hex;

  @Option(names = "--port", paramLabel = "N", defaultValue = "6881",
      description = "without HOST:PORT, the TCP port to announce as ours (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--numwant", paramLabel = "N", defaultValue = "50",
      description = "without HOST:PORT, how many peers to ask the tracker for (default: ${DEFAULT-VALUE})")
  int numwant;

  @Override
  public Integer call() throws CommandException, InterruptedException {
    checkOptions();
    Metainfo metainfo = TorrentArgument.load(file);
    PeerId ourId = PeerId.random();
    if (!peerArguments.isEmpty()) {
      return shakeHands(PeerArguments.parse(peerArguments), metainfo.infoHash(), ourId);
    }
    // No peers given: ask the trackers (chapter 2), and say goodbye to the one that answered.
    return new TrackerPeers(file, Duration.ofSeconds(timeoutSeconds), spec.commandLine().getErr())
        .withPeers(metainfo, ourId, port, numwant, peers -> shakeHands(peers, metainfo.infoHash(), ourId));
  }

  /** Chapters 3 and 4: dial every peer, shake hands, print one report per peer as each ends. */
  private int shakeHands(List<PeerAddress> peers, InfoHash infoHash, PeerId ourId)
      throws CommandException, InterruptedException {
    // Simplified: we advertise no extension. Transmission, libtorrent and aria2 advertise the fast
    // extension and BEP 10; a bit is a promise to handle its messages, and the chapter that
    // implements one is the one that turns its bit on.
    Handshaker handshaker = new Handshaker(ourId, Extensions.none());
    ConnectionTimeouts timeouts = ConnectionTimeouts.all(Duration.ofSeconds(timeoutSeconds));
    PeerDialer dialer = new PeerDialer(50, maxDialing, timeouts);

    PrintWriter out = spec.commandLine().getOut();
    AtomicInteger succeeded = new AtomicInteger();
    dialer.dialAll(peers, result -> {
      String report = report(result, handshaker, infoHash, succeeded);
      synchronized (out) { // one whole report at a time, from many peer threads
        out.print(report);
        out.flush();
      }
    });

    if (succeeded.get() == 0) {
      throw new CommandException(ExitCodes.FAILED,
          "no handshake succeeded with " + (peers.size() == 1 ? "the one peer" : "any of " + peers.size() + " peers"));
    }
    return ExitCodes.OK;
  }

  /** One line for the peer (and with --hex, the dumps below it). Runs on the peer's own thread. */
  private String report(DialResult result, Handshaker handshaker, InfoHash infoHash, AtomicInteger succeeded) {
    PeerAddress address = result.address();
    if (result instanceof DialResult.Failed failed) {
      return address + "  failed: " + failed.message() + "\n";
    }
    PeerConnection connection = ((DialResult.Connected) result).connection();
    try {
      Handshake theirs = handshaker.initiate(connection, infoHash);
      succeeded.incrementAndGet();
      String line = address + "  ok"
          + "  peer id " + theirs.peerId().printable()
          + "  client " + ClientName.fromPeerId(theirs.peerId()).map(ClientName::toString).orElse("unknown")
          + "  extensions " + theirs.extensions()
          + "\n";
      if (hex) {
        line += "  sent:\n" + indent(HandshakeDump.annotate(handshaker.ours(infoHash)))
            + "  received:\n" + indent(HandshakeDump.annotate(theirs));
      }
      return line;
    } catch (ProtocolException e) {
      return address + "  failed: " + Printable.oneLine(e.getMessage()) + "\n";
    } catch (IOException e) {
      return address + "  failed: " + ConnectionFailure.describe(address, e) + "\n";
    }
  }

  private void checkOptions() throws CommandException {
    OptionChecks.inRange("--timeout", timeoutSeconds, 1, 3600, "seconds");
    OptionChecks.atLeast("--max-dialing", maxDialing, 1);
    OptionChecks.inRange("--port", port, 1, 65535);
    OptionChecks.inRange("--numwant", numwant, 1, AnnounceResponse.MAX_PEERS);
  }

  private static String indent(String lines) {
    return lines.replaceAll("(?m)^", "    ");
  }
}
