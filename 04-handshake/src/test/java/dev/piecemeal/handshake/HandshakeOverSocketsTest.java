package dev.piecemeal.handshake;

import static dev.piecemeal.handshake.HandshakeTest.INFO_HASH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handshake on real TCP sockets on 127.0.0.1, against peers that behave and peers that do not. */
class HandshakeOverSocketsTest {
  private static final ConnectionTimeouts TIMEOUTS = ConnectionTimeouts.all(Duration.ofSeconds(5));

  private final PeerId alice = PeerId.random();
  private final PeerId bob = PeerId.random();
  private final CountDownLatch testDone = new CountDownLatch(1);
  private PeerListener listener;

  @BeforeEach
  void listen() throws IOException {
    listener = PeerListener.bind(InetAddress.getLoopbackAddress(), 0, 4, TIMEOUTS);
  }

  @AfterEach
  void stop() {
    testDone.countDown();
    listener.close();
  }

  @Test
  void twoPiecemealsShakeHands() throws Exception {
    BlockingQueue<Object> bobSaw = new ArrayBlockingQueue<>(1);
    Handshaker bobSide = new Handshaker(bob, Extensions.of(Extension.FAST));
    listener.serve(connection -> bobSaw.add(outcome(() -> bobSide.respond(connection, INFO_HASH::equals))));

    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), TIMEOUTS)) {
      Handshake answer = new Handshaker(alice, Extensions.none()).initiate(connection, INFO_HASH);

      assertThat(answer.peerId()).isEqualTo(bob);
      assertThat(answer.infoHash()).isEqualTo(INFO_HASH);
      assertThat(answer.extensions().named()).containsExactly(Extension.FAST);
    }
    assertThat(bobSaw.take()).isInstanceOfSatisfying(Handshake.class, h -> assertThat(h.peerId()).isEqualTo(alice));
  }

  @Test
  void readsAPeerThatSendsItsHandshakeOneByteAtATime() throws Exception {
    byte[] bobsHandshake = new Handshake(Extensions.none(), INFO_HASH, bob).encode();
    listener.serve(
        connection -> {
          try {
            connection.in().readNBytes(Handshake.LENGTH);
            for (byte b : bobsHandshake) {
              connection.out().write(b); // one write, one TCP segment: the socket has Nagle off
            }
            awaitQuietly(testDone);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });

    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), TIMEOUTS)) {
      assertThat(new Handshaker(alice, Extensions.none()).initiate(connection, INFO_HASH).peerId()).isEqualTo(bob);
    }
  }

  @Test
  void aPeerThatNeverAnswersTimesOutAndReleasesTheThread() throws Exception {
    listener.serve(connection -> awaitQuietly(testDone));
    ConnectionTimeouts quick = TIMEOUTS.withRead(Duration.ofMillis(300));

    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), quick)) {
      assertThatThrownBy(() -> new Handshaker(alice, Extensions.none()).initiate(connection, INFO_HASH))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage("handshake from " + listener.localAddress() + " not complete within 300 ms (its deadline)");
    }
  }

  @Test
  void aPeerThatClosesMidHandshakeIsReportedWithHowFarItGot() throws Exception {
    byte[] firstThirty = Arrays.copyOf(new Handshake(Extensions.none(), INFO_HASH, bob).encode(), 30);
    listener.serve(
        connection -> {
          try {
            connection.in().readNBytes(Handshake.LENGTH);
            connection.out().write(firstThirty);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }); // the listener closes the connection when the session returns

    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), TIMEOUTS)) {
      assertThatThrownBy(() -> new Handshaker(alice, Extensions.none()).initiate(connection, INFO_HASH))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("connection closed after 30 of 68 handshake bytes (peer " + listener.localAddress() + ")");
    }
  }

  @Test
  void aConnectionToOurselvesIsRefusedByBothSides() throws Exception {
    Handshaker us = new Handshaker(alice, Extensions.none());
    BlockingQueue<Object> listenerSaw = new ArrayBlockingQueue<>(1);
    listener.serve(connection -> listenerSaw.add(outcome(() -> us.respond(connection, INFO_HASH::equals))));

    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), TIMEOUTS)) {
      assertThatThrownBy(() -> us.initiate(connection, INFO_HASH))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("connection closed after 0 of 68 handshake bytes");
    }
    assertThat(listenerSaw.take())
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e).hasMessageStartingWith("connected to ourselves"));
  }

  @Test
  void theResponderHangsUpOnATorrentItDoesNotServe() throws Exception {
    listener.serve(
        connection -> outcome(() -> new Handshaker(bob, Extensions.none()).respond(connection, infoHash -> false)));

    try (PeerConnection connection = PeerConnection.connect(listener.localAddress(), TIMEOUTS)) {
      assertThatThrownBy(() -> new Handshaker(alice, Extensions.none()).initiate(connection, INFO_HASH))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("connection closed after 0 of 68 handshake bytes (peer " + listener.localAddress() + ")");
    }
  }

  interface Step {
    Handshake run() throws Exception;
  }

  /** The handshake, or the exception that ended it, for the test thread to check. */
  private static Object outcome(Step step) {
    try {
      return step.run();
    } catch (Exception e) {
      return e;
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
