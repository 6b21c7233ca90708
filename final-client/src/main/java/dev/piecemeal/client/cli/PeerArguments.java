package dev.piecemeal.client.cli;

import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The peers named on a command line as {@code HOST:PORT} (IPv6 as {@code [ADDRESS]:PORT}). */
final class PeerArguments {

  private PeerArguments() {}

  /** Each peer once, in the order given; a malformed one is bad input (status 2). */
  static List<PeerAddress> parse(List<String> arguments) throws CommandException {
    LinkedHashSet<PeerAddress> peers = new LinkedHashSet<>();
    for (String argument : arguments) {
      try {
        peers.add(PeerAddress.parse(argument));
      } catch (IllegalArgumentException e) {
        throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage(), e);
      }
    }
    return new ArrayList<>(peers);
  }
}
