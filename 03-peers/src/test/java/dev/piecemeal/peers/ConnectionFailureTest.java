package dev.piecemeal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.tracker.PeerAddress;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The exceptions below carry the messages Linux and the JDK really produce. */
class ConnectionFailureTest {
  private static final PeerAddress PEER = PeerAddress.parse("192.0.2.7:6881");

  @Test
  void refused() {
    IOException e = new ConnectException("Connection refused");
    assertThat(ConnectionFailure.of(e)).isEqualTo(ConnectionFailure.REFUSED);
    assertThat(ConnectionFailure.describe(PEER, e)).isEqualTo("connection refused by 192.0.2.7:6881");
  }

  @Test
  void noRouteToHostIsUnreachable() {
    IOException e = new NoRouteToHostException("No route to host");
    assertThat(ConnectionFailure.of(e)).isEqualTo(ConnectionFailure.UNREACHABLE);
    assertThat(ConnectionFailure.describe(PEER, e)).isEqualTo("192.0.2.7:6881 is unreachable (No route to host)");
  }

  @Test
  void networkUnreachableIsUnreachableNotRefused() {
    // The JDK throws ConnectException for ENETUNREACH too: the message decides.
    IOException e = new ConnectException("Network is unreachable");
    assertThat(ConnectionFailure.of(e)).isEqualTo(ConnectionFailure.UNREACHABLE);
  }

  @Test
  void connectionResetAndBrokenPipeAreResets() {
    assertThat(ConnectionFailure.of(new SocketException("Connection reset"))).isEqualTo(ConnectionFailure.RESET);
    assertThat(ConnectionFailure.of(new SocketException("Connection reset by peer"))).isEqualTo(ConnectionFailure.RESET);
    assertThat(ConnectionFailure.of(new SocketException("Broken pipe"))).isEqualTo(ConnectionFailure.RESET);
    assertThat(ConnectionFailure.describe(PEER, new SocketException("Broken pipe")))
        .isEqualTo("connection reset by 192.0.2.7:6881");
  }

  @Test
  void timeoutsKeepTheirPreciseMessage() {
    IOException e = new SocketTimeoutException("no data from 192.0.2.7:6881 for 10 s (read timeout)");
    assertThat(ConnectionFailure.of(e)).isEqualTo(ConnectionFailure.TIMED_OUT);
    assertThat(ConnectionFailure.describe(PEER, e)).isEqualTo("no data from 192.0.2.7:6881 for 10 s (read timeout)");
  }

  @Test
  void aBareTimeoutGetsTheAddress() {
    IOException e = new SocketTimeoutException("Connect timed out");
    assertThat(ConnectionFailure.describe(PEER, e)).isEqualTo("connect timed out (192.0.2.7:6881)");
  }

  @Test
  void endOfStreamIsClosed() {
    IOException e = new EOFException("Connection closed");
    assertThat(ConnectionFailure.of(e)).isEqualTo(ConnectionFailure.CLOSED);
  }

  @Test
  void anythingElseIsOtherAndStillNamesThePeer() {
    IOException e = new IOException("Too many open files");
    assertThat(ConnectionFailure.of(e)).isEqualTo(ConnectionFailure.OTHER);
    assertThat(ConnectionFailure.describe(PEER, e)).isEqualTo("too many open files (192.0.2.7:6881)");
  }
}
