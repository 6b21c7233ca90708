package dev.piecemeal.peers;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a connection may wait for each thing a stranger on the network can keep it waiting for:
 * the TCP connect, each read, each write. Every blocking call on a {@link PeerConnection} is bounded
 * by one of these, so a silent peer can never hold a thread forever.
 *
 * @param connect how long a dial may wait for the peer to accept (the TCP three-way handshake)
 * @param read how long one read may wait for the next byte
 * @param write how long one write may stay blocked because the peer stopped reading
 */
public record ConnectionTimeouts(Duration connect, Duration read, Duration write) {

  /**
   * Defaults for a download session. The read timeout is longer than BEP 3's two-minute
   * keep-alive interval, so a quiet but healthy peer is not dropped.
   */
  public static final ConnectionTimeouts DEFAULTS =
      new ConnectionTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(150), Duration.ofSeconds(30));

  public ConnectionTimeouts {
    requirePositive(connect, "connect");
    requirePositive(read, "read");
    requirePositive(write, "write");
  }

  /** All three set to the same duration: handy for short-lived commands and tests. */
  public static ConnectionTimeouts all(Duration timeout) {
    return new ConnectionTimeouts(timeout, timeout, timeout);
  }

  /** A copy with another read timeout. */
  public ConnectionTimeouts withRead(Duration newRead) {
    return new ConnectionTimeouts(connect, newRead, write);
  }

  static void requirePositive(Duration timeout, String which) {
    Objects.requireNonNull(timeout, which);
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      // Zero means "wait forever" to java.net.Socket: exactly what these timeouts exist to prevent.
      throw new IllegalArgumentException(which + " timeout " + timeout + " is not between 1 ms and 24 days");
    }
  }

  /** A duration the way the messages print it: {@code 300 ms}, {@code 10 s}. */
  static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
