package dev.piecemeal.client.cli;

import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.tracker.PeerAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The DHT's options, shared by {@code download} and {@code seed}. The DHT is on unless {@code
 * --no-dht} (and off for a private torrent, whatever is asked: BEP 27); {@code --dht} is still
 * accepted, and changes nothing.
 *
 * <p>No node is built in: with no {@code --dht-bootstrap}, no saved table and no {@code nodes} in
 * the torrent, the node waits to be found (a peer's PORT message, BEP 5). A user joins the public
 * DHT by naming a router once, {@code --dht-bootstrap router.bittorrent.com:6881}; the table saved
 * at exit, {@code dht.dat} in the state folder ({@code --state-dir}) unless {@code --dht-state}
 * names another file, starts the next run. A name is looked up here, before the run, and
 * never when the run is bound to loopback (which contacts loopback alone, and asks no DNS server).
 */
final class DhtArguments {
  /** The table's file name inside the state folder ({@link StateArguments}), beside chapter 11's resume data. */
  static final String STATE_FILE = "dht.dat";

  @Option(names = "--no-dht", description = "do not use the DHT (BEP 5): peers come from trackers,"
      + " --peer and peer exchange only")
  boolean noDht;

  @Option(names = "--dht", description = "use the DHT (the default; kept for scripts that ask for it)")
  boolean dht;

  @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
      description = "a DHT node to start from, HOST:PORT (repeatable; a name is looked up, except with"
          + " --bind 127.0.0.1)")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--dht-port", paramLabel = "N", defaultValue = "0",
      description = "the UDP port of our DHT node (default 0: the peer port, over UDP, or any free port"
          + " when that one is taken)")
  int port;

  @Option(names = "--dht-trace", description = "print each answer our DHT lookups get: which node, how close"
      + " to the target, what it gave (also with --trace)")
  boolean trace;

  @Option(names = "--dht-state", paramLabel = "FILE",
      description = "where the DHT's routing table is kept between runs (default: " + STATE_FILE
          + " in the state folder, --state-dir)")
  Path state;

  /**
   * Sets the DHT options on {@code builder}; a bad one is bad input (status 2), a name that cannot
   * be looked up a failed run (1).
   *
   * @param loopbackOnly the run contacts loopback alone: a bootstrap node's name is refused, unread
   * @param stateFolder the run's state folder ({@link StateArguments#folder}), where the table is
   *     kept unless {@code --dht-state} says otherwise
   */
  void applyTo(DownloadOptions.Builder builder, boolean loopbackOnly, Path stateFolder) throws CommandException {
    OptionChecks.inRange("--dht-port", port, 0, 65535);
    if (noDht && (dht || !bootstrap.isEmpty())) {
      throw new CommandException(ExitCodes.BAD_INPUT,
          "--no-dht cannot go with " + (dht ? "--dht" : "--dht-bootstrap"));
    }
    Set<PeerAddress> nodes = new LinkedHashSet<>();
    for (String argument : bootstrap) {
      nodes.addAll(node(argument, loopbackOnly));
    }
    builder.dht(!noDht).dhtBootstrap(List.copyOf(nodes)).dhtPort(port).dhtState(noDht ? null : stateFile(stateFolder)).dhtTrace(trace);
  }

  /** One {@code --dht-bootstrap}: an IP address and a port, or a name's IPv4 addresses and the port. */
  private static List<PeerAddress> node(String argument, boolean loopbackOnly) throws CommandException {
    try {
      return List.of(PeerAddress.parse(argument));
    } catch (IllegalArgumentException notAnAddress) {
      int colon = argument.lastIndexOf(':');
      String host = colon > 0 ? argument.substring(0, colon) : "";
      int port;
      try {
        port = Integer.parseInt(argument.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isEmpty() || port < 1 || port > 65535 || !host.matches("[A-Za-z0-9.-]+")) {
        throw new CommandException(ExitCodes.BAD_INPUT, "--dht-bootstrap: " + notAnAddress.getMessage(), notAnAddress);
      }
      if (loopbackOnly) {
        throw new CommandException(ExitCodes.BAD_INPUT, "--dht-bootstrap " + argument
            + ": a host name, and a run bound to loopback contacts loopback addresses alone (no DNS lookup)");
      }
      List<PeerAddress> found = new ArrayList<>();
      try {
        for (InetAddress address : InetAddress.getAllByName(host)) {
          if (address instanceof Inet4Address) {
            found.add(new PeerAddress(address, port)); // the DHT of BEP 5 is IPv4
          }
        }
      } catch (UnknownHostException e) {
        throw new CommandException(ExitCodes.FAILED, "--dht-bootstrap " + argument + ": cannot look the name up: "
            + e.getMessage(), e);
      }
      if (found.isEmpty()) {
        throw new CommandException(ExitCodes.FAILED, "--dht-bootstrap " + argument + ": the name has no IPv4 address");
      }
      return found;
    }
  }

  /** {@code --dht-state}, or {@code dht.dat} in the state folder. */
  private Path stateFile(Path stateFolder) {
    return state != null ? state : stateFolder.resolve(STATE_FILE);
  }
}
