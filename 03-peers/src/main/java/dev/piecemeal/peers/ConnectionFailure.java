package dev.piecemeal.peers;

import dev.piecemeal.tracker.PeerAddress;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What went wrong on a TCP connection to a peer, in the words a person needs: the kinds that a
 * BitTorrent client meets every minute, because most addresses a tracker hands out belong to peers
 * that have gone, sit behind a firewall, or are busy.
 *
 * <p>Java reports them as a handful of exception types whose messages come from the operating
 * system ({@code Connection refused}, {@code Connect timed out}, {@code Connection reset});
 * {@link #of} sorts them into kinds, and {@link #describe} says what happened with the peer's
 * address, so no caller has to parse exception text.
 */
public enum ConnectionFailure {
  /** Nothing listens on that port: the peer's computer answered with a TCP reset (RST). */
  REFUSED,
  /** No answer in time: the peer is gone, a firewall drops our packets, or it is just silent. */
  TIMED_OUT,
  /** The network says there is no way to that address (no route, host or network unreachable). */
  UNREACHABLE,
  /** The peer (or something between us) aborted an open connection with a reset. */
  RESET,
  /** The peer closed the connection in an orderly way (end of stream), earlier than we hoped. */
  CLOSED,
  /** Anything else the operating system reports. */
  OTHER;

  /** Sorts an I/O failure into its kind. */
  public static ConnectionFailure of(IOException failure) {
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    if (failure instanceof SocketTimeoutException || message.contains("timed out")) {
      return TIMED_OUT;
    }
    if (failure instanceof NoRouteToHostException
        || failure instanceof PortUnreachableException
        || failure instanceof UnknownHostException
        || message.contains("unreachable")
        || message.contains("no route")) {
      return UNREACHABLE;
    }
    if (failure instanceof ConnectException || message.contains("refused")) {
      return REFUSED;
    }
    if (message.contains("reset") || message.contains("broken pipe") || message.contains("aborted")) {
      return RESET;
    }
    if (failure instanceof EOFException || message.contains("closed")) {
      return CLOSED;
    }
    return OTHER;
  }

  /**
   * One line for a person: what happened, then the peer, e.g. {@code connection refused by
   * 127.0.0.1:6881}. Timeouts keep Java's own message, which our connection makes precise (which
   * step, how long).
   */
  public static String describe(PeerAddress peer, IOException failure) {
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    return switch (of(failure)) {
      case REFUSED -> "connection refused by " + peer;
      case UNREACHABLE -> peer + " is unreachable (" + message + ")";
      case RESET -> "connection reset by " + peer;
      case TIMED_OUT -> message.isEmpty() ? "timed out talking to " + peer : mentioning(peer, message);
      case CLOSED, OTHER -> mentioning(peer, message.isEmpty() ? failure.toString() : message);
    };
  }

  private static String mentioning(PeerAddress peer, String message) {
    String lower = message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    return lower.contains(peer.toString()) ? lower : lower + " (" + peer + ")";
  }
}
