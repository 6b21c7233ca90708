package dev.piecemeal.client.cli;

import dev.piecemeal.client.DownloadOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/**
 * Where the engine listens and how many peers it keeps, shared by {@code download} and
 * {@code seed}: {@code --port}, {@code --bind}, {@code --max-peers}.
 */
final class ListenArguments {

  @Option(names = "--port", paramLabel = "N", defaultValue = "6881",
      description = "the port peers can connect to us on; if taken, the next free one of the 8 after it"
          + " (0: any free port; default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = {"--bind", "--listen-address"}, paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "the local address to accept peers on (default: ${DEFAULT-VALUE}, every interface)")
  String bind;

  @Option(names = "--max-peers", paramLabel = "N", defaultValue = "50",
      description = "the most peers connected at once (default: ${DEFAULT-VALUE})")
  int maxPeers;

  /** Checks the options, each named with its value when bad (status 2). */
  void check() throws CommandException {
    OptionChecks.inRange("--port", port, 0, 65535);
    OptionChecks.inRange("--max-peers", maxPeers, 1, 1000);
  }

  /** Sets where to listen and the peer limit on {@code builder}. */
  void applyTo(DownloadOptions.Builder builder) throws CommandException {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind); // a literal address is parsed, never looked up
    } catch (UnknownHostException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--bind " + bind + ": not an address of this machine");
    }
    builder.listen(address, port).maxPeers(maxPeers);
  }
}
