package dev.piecemeal.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PeerConnectionTest {
  private static final ConnectionTimeouts SHORT = ConnectionTimeouts.all(Duration.ofMillis(300));

  private PeerListener listener;
  private final CountDownLatch testDone = new CountDownLatch(1);

  @BeforeEach
  void listen() throws IOException {
    listener = PeerListener.bind(InetAddress.getLoopbackAddress(), 0, 10, ConnectionTimeouts.DEFAULTS);
  }

  @AfterEach
  void stop() {
    testDone.countDown();
    listener.close();
  }

  /** A peer that accepts and then neither reads nor writes until the test ends. */
  private void serveSilently() {
    listener.serve(connection -> awaitQuietly(testDone));
  }

  @Test
  void carriesBytesBothWays() throws Exception {
    listener.serve(
        connection -> {
          try {
            byte[] ping = connection.in().readNBytes(4);
            connection.out().write(ping);
            awaitQuietly(testDone);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
    try (PeerConnection connection =
        PeerConnection.connect(listener.localAddress(), SHORT.withRead(Duration.ofSeconds(10)))) {
      connection.out().write(new byte[] {1, 2, 3, 4});
      assertThat(connection.in().readNBytes(4)).containsExactly(1, 2, 3, 4);
      assertThat(connection.remote()).isEqualTo(listener.localAddress());
      assertThat(connection.isIncoming()).isFalse();
    }
  }

  @Test
  void namesItsThreadForThePeer() throws Exception {
    serveSilently();
    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), SHORT)) {
      assertThat(connection.threadName()).isEqualTo("peer-127.0.0.1:" + listener.localAddress().port());
    }
  }

  @Test
  void aSilentPeerTimesOutTheReadAndReleasesTheThread() throws Exception {
    serveSilently();
    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), SHORT)) {
      assertThatThrownBy(() -> connection.in().read())
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage("no data from " + listener.localAddress() + " for 300 ms (read timeout)");
    }
  }

  @Test
  void aPeerThatStopsReadingTimesOutTheWriteAndClosesTheConnection() throws Exception {
    serveSilently();
    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), SHORT)) {
      byte[] mebibyte = new byte[1 << 20];
      // The kernel buffers a few MiB on each side; past that, a write blocks until the watchdog fires.
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 512; i++) {
                  connection.out().write(mebibyte);
                }
              })
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage(
              "write to " + listener.localAddress() + " blocked for 300 ms (write timeout); connection closed");
      assertThat(connection.isClosed()).isTrue();
    }
  }

  @Test
  void closingFromAnotherThreadUnblocksARead() throws Exception {
    serveSilently();
    PeerConnection connection =
        PeerConnection.connect(listener.localAddress(), SHORT.withRead(Duration.ofSeconds(30)));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch reading = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try {
                reading.countDown();
                connection.in().read();
              } catch (IOException e) {
                failure.set(e);
              }
            },
            connection.threadName());
    reader.start();
    reading.await();
    connection.close();
    reader.join();
    assertThat(connection.isClosed()).isTrue();
    // Either the read was blocked and threw, or it had not started and found the socket closed.
    assertThat(failure.get()).isInstanceOf(IOException.class);
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    serveSilently();
    PeerConnection connection = PeerConnection.connect(listener.localAddress(), SHORT);
    connection.close();
    connection.close();
    assertThat(connection.isClosed()).isTrue();
  }

  @Test
  void aResetIsReportedAsReset() throws Exception {
    listener.serve(
        connection -> {
          try {
            connection.in().read(); // wait until the dialer is set up, then hang up rudely
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          connection.abort();
        });
    try (PeerConnection connection =
        PeerConnection.connect(listener.localAddress(), SHORT.withRead(Duration.ofSeconds(10)))) {
      connection.out().write(1);
      IOException failure = null;
      try {
        connection.in().read();
      } catch (IOException e) {
        failure = e;
      }
      assertThat(failure).as("reading after the peer sent a TCP reset").isNotNull();
      assertThat(ConnectionFailure.of(failure)).isEqualTo(ConnectionFailure.RESET);
      assertThat(ConnectionFailure.describe(connection.remote(), failure))
          .isEqualTo("connection reset by " + listener.localAddress());
    }
  }

  @Test
  void rejectsAZeroTimeoutWhichWouldMeanForever() {
    assertThatThrownBy(() -> ConnectionTimeouts.all(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connect timeout PT0S");
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
