package dev.piecemeal.client.cli;

import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The DHT's options, shared by {@code download} and {@code seed}: off unless asked for in this step
 * (a user's first DHT run should be a choice), on with {@code --dht} or any {@code --dht-bootstrap}.
 */
final class DhtArguments {

  @Option(names = "--dht", description = "find peers in the DHT too, and announce to it (BEP 5;"
      + " never for a private torrent)")
  boolean dht;

  @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
      description = "a DHT node to start from, an IP address and a port (repeatable; implies --dht)")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--dht-port", paramLabel = "N", defaultValue = "0",
      description = "the UDP port of our DHT node (0: any free port; default: ${DEFAULT-VALUE})")
  int port;

  /** Sets the DHT options on {@code builder}; a bad one is bad input (status 2). */
  void applyTo(DownloadOptions.Builder builder) throws CommandException {
    OptionChecks.inRange("--dht-port", port, 0, 65535);
    List<PeerAddress> nodes;
    try {
      nodes = PeerArguments.parse(bootstrap);
    } catch (CommandException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--dht-bootstrap: " + e.getMessage(), e);
    }
    builder.dht(dht || !nodes.isEmpty()).dhtBootstrap(nodes).dhtPort(port);
  }
}
