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

  /** Whether {@code --bind} names a loopback address (so the run contacts loopback alone). */
  boolean isLoopback() throws CommandException {
    return address().isLoopbackAddress();
  }

  /** Checks the options, each named with its value when bad (status 2). */
  void check() throws CommandException {
    OptionChecks.inRange("--port", port, 0, 65535);
    OptionChecks.inRange("--max-peers", maxPeers, 1, 1000);
  }

  /**
   * Sets where to listen and the peer limit on {@code builder}. Bound to a loopback address
   * ({@code --bind 127.0.0.1}), the run contacts loopback addresses alone ({@code
   * DownloadOptions.loopbackOnly}): a lab on one machine, the tests and the interop checks, which a
   * tracker, a peer's PEX or a DHT reply naming other hosts cannot make send elsewhere.
   */
  void applyTo(DownloadOptions.Builder builder) throws CommandException {
    InetAddress address = address();
    builder.listen(address, port).maxPeers(maxPeers).loopbackOnly(address.isLoopbackAddress());
  }

  private InetAddress address() throws CommandException {
    try {
      return InetAddress.getByName(bind); // a literal address is parsed, never looked up
    } catch (UnknownHostException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--bind " + bind + ": not an address of this machine");
    }
  }
}
