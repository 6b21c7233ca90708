package dev.piecemeal.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PeerListenerTest {
  private static final ConnectionTimeouts SHORT = ConnectionTimeouts.all(Duration.ofMillis(500));

  @Test
  void listensOnTheChosenAddressAndAnEphemeralPort() throws Exception {
    try (PeerListener listener = PeerListener.bind(LoopbackPeers.LOOPBACK, 0, 4, SHORT)) {
      assertThat(listener.localAddress().address()).isEqualTo(LoopbackPeers.LOOPBACK);
      assertThat(listener.localAddress().port()).isPositive();
    }
  }

  @Test
  void runsEachIncomingConnectionOnAThreadNamedForThePeer() throws Exception {
    BlockingQueue<String> seen = new ArrayBlockingQueue<>(1);
    try (PeerListener listener = PeerListener.bind(LoopbackPeers.LOOPBACK, 0, 4, SHORT)) {
      listener.serve(
          connection -> seen.add(Thread.currentThread().getName() + " incoming=" + connection.isIncoming()));
      try (PeerConnection dialed = PeerConnection.connect(listener.localAddress(), SHORT)) {
        assertThat(seen.take()).isEqualTo("peer-" + dialed.local() + " incoming=true");
      }
    }
  }

  @Test
  void closesConnectionsBeyondItsBoundOnArrival() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstIn = new CountDownLatch(1);
    try (PeerListener listener = PeerListener.bind(LoopbackPeers.LOOPBACK, 0, 1, SHORT.withRead(Duration.ofSeconds(10)))) {
      listener.serve(
          connection -> {
            firstIn.countDown();
            PeerConnectionTest.awaitQuietly(release);
          });
      try (PeerConnection first = PeerConnection.connect(listener.localAddress(), SHORT)) {
        firstIn.await();
        try (PeerConnection second = PeerConnection.connect(listener.localAddress(), SHORT.withRead(Duration.ofSeconds(10)))) {
          assertThat(second.in().read()).as("the listener hangs up on the connection over its bound").isEqualTo(-1);
          assertThat(listener.turnedAway()).isEqualTo(1);
          assertThat(listener.openCount()).isEqualTo(1);
        }
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void closeEndsEverySessionAndThread() throws Exception {
    List<Thread> sessionThreads = new CopyOnWriteArrayList<>();
    CountDownLatch reading = new CountDownLatch(1);
    PeerListener listener = PeerListener.bind(LoopbackPeers.LOOPBACK, 0, 4, SHORT.withRead(Duration.ofSeconds(30)));
    listener.serve(
        connection -> {
          sessionThreads.add(Thread.currentThread());
          reading.countDown();
          try {
            connection.in().read(); // blocks until close() below
          } catch (IOException expected) {
            // the listener closed us
          }
        });
    try (PeerConnection dialed = PeerConnection.connect(listener.localAddress(), SHORT)) {
      reading.await();
      listener.close();
      assertThat(sessionThreads).hasSize(1).noneMatch(Thread::isAlive);
      assertThat(listener.openCount()).isZero();
      assertThat(Thread.getAllStackTraces().keySet())
          .extracting(Thread::getName)
          .doesNotContain("listener-" + listener.localAddress());
    }
  }

  @Test
  void aTakenPortIsReportedWithTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, LoopbackPeers.LOOPBACK)) {
      taken.setReuseAddress(false);
      PeerAddress address = new PeerAddress(LoopbackPeers.LOOPBACK, taken.getLocalPort());
      assertThatThrownBy(() -> PeerListener.bind(LoopbackPeers.LOOPBACK, address.port(), 4, SHORT))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot listen on " + address + ": ");
    }
  }
}
