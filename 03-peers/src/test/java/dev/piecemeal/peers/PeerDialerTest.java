package dev.piecemeal.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PeerDialerTest {
  private static final ConnectionTimeouts SHORT = ConnectionTimeouts.all(Duration.ofMillis(300));

  @Test
  void aClosedPortIsReportedAsRefusedWithTheAddress() throws Exception {
    PeerAddress nobody = LoopbackPeers.closedPort();
    DialResult result = new PeerDialer(4, 2, SHORT).dial(nobody);
    assertThat(result).isInstanceOf(DialResult.Failed.class);
    DialResult.Failed failed = (DialResult.Failed) result;
    assertThat(failed.address()).isEqualTo(nobody);
    assertThat(failed.kind()).isEqualTo(ConnectionFailure.REFUSED);
    assertThat(failed.message()).isEqualTo("connection refused by " + nobody);
  }

  @Test
  void aPeerThatNeverAcceptsTimesOutWithTheAddress() throws Exception {
    try (LoopbackPeers.Silent silent = new LoopbackPeers.Silent()) {
      DialResult result = new PeerDialer(4, 2, SHORT).dial(silent.address());
      assertThat(result)
          .isInstanceOfSatisfying(
              DialResult.Failed.class,
              failed -> {
                assertThat(failed.kind()).isEqualTo(ConnectionFailure.TIMED_OUT);
                assertThat(failed.message())
                    .isEqualTo("no answer from " + silent.address() + " within 300 ms (connect timeout)");
              });
    }
  }

  @Test
  void reportsEveryPeerOnceWithItsAddressOnItsOwnNamedThread() throws Exception {
    PeerAddress refusing = LoopbackPeers.closedPort();
    try (LoopbackPeers.Silent silent = new LoopbackPeers.Silent();
        PeerListener accepting = PeerListener.bind(LoopbackPeers.LOOPBACK, 0, 10, SHORT)) {
      accepting.serve(connection -> {});
      Map<PeerAddress, DialResult> results = new ConcurrentHashMap<>();
      Map<PeerAddress, Thread> threads = new ConcurrentHashMap<>();
      PeerDialer dialer = new PeerDialer(10, 10, SHORT);

      dialer.dialAll(
          List.of(refusing, silent.address(), accepting.localAddress()),
          result -> {
            results.put(result.address(), result);
            threads.put(result.address(), Thread.currentThread());
          });

      assertThat(results.values())
          .extracting(DialResult::address, result -> result.getClass().getSimpleName())
          .containsExactlyInAnyOrder(
              tuple(refusing, "Failed"), tuple(silent.address(), "Failed"), tuple(accepting.localAddress(), "Connected"));
      assertThat(((DialResult.Failed) results.get(refusing)).message()).contains(refusing.toString());
      assertThat(((DialResult.Failed) results.get(silent.address())).message()).contains(silent.address().toString());
      assertThat(threads.get(refusing).getName()).isEqualTo("peer-" + refusing);
      assertThat(threads.values()).as("nothing left running when dialAll returns").noneMatch(Thread::isAlive);
      assertThat(dialer.openCount()).as("every connection is closed when its session returns").isZero();
    }
  }

  @Test
  void neverHasMoreConnectionsOpenThanItsBound() throws Exception {
    int maxOpen = 3;
    int peers = 9;
    try (PeerListener listener = PeerListener.bind(LoopbackPeers.LOOPBACK, 0, peers, SHORT)) {
      listener.serve(connection -> {});
      PeerDialer dialer = new PeerDialer(maxOpen, peers, ConnectionTimeouts.all(Duration.ofSeconds(5)));
      Semaphore entered = new Semaphore(0);
      Semaphore mayLeave = new Semaphore(0);
      AtomicInteger inSession = new AtomicInteger();
      AtomicInteger mostInSession = new AtomicInteger();
      AtomicInteger connected = new AtomicInteger();
      AtomicReference<InterruptedException> interrupted = new AtomicReference<>();
      Thread dialing =
          new Thread(
              () -> {
                try {
                  dialer.dialAll(
                      Collections.nCopies(peers, listener.localAddress()),
                      result -> {
                        if (result instanceof DialResult.Connected) {
                          connected.incrementAndGet();
                        }
                        mostInSession.accumulateAndGet(inSession.incrementAndGet(), Math::max);
                        entered.release();
                        mayLeave.acquireUninterruptibly();
                        inSession.decrementAndGet();
                      });
                } catch (InterruptedException e) {
                  interrupted.set(e);
                }
              },
              "dialer");
      dialing.start();

      entered.acquire(maxOpen); // the first three sessions hold their connections open...
      assertThat(dialer.openCount()).as("open while three sessions hold their connections").isEqualTo(maxOpen);
      mayLeave.release(peers); // ...then every session may end, and the rest follow three at a time
      dialing.join();

      assertThat(interrupted.get()).isNull();
      assertThat(connected.get()).isEqualTo(peers);
      assertThat(mostInSession.get()).isEqualTo(maxOpen);
      assertThat(dialer.peakOpen()).isEqualTo(maxOpen);
      assertThat(dialer.openCount()).isZero();
    }
  }

  @Test
  void neverHasMoreDialsInFlightThanItsBound() throws Exception {
    try (LoopbackPeers.Silent silent = new LoopbackPeers.Silent()) {
      PeerDialer dialer = new PeerDialer(10, 2, SHORT);
      List<DialResult> results = Collections.synchronizedList(new ArrayList<>());

      // Six dials to a peer that never answers: each holds a dialing slot for the whole timeout.
      dialer.dialAll(Collections.nCopies(6, silent.address()), results::add);

      assertThat(results).hasSize(6).allMatch(result -> result instanceof DialResult.Failed);
      assertThat(dialer.peakDialing()).as("dials in flight at once").isEqualTo(2);
      assertThat(dialer.dialingCount()).isZero();
    }
  }

  @Test
  void interruptingDialAllClosesTheConnectionsAndWaitsForTheirThreads() throws Exception {
    try (PeerListener listener = PeerListener.bind(LoopbackPeers.LOOPBACK, 0, 10, ConnectionTimeouts.DEFAULTS)) {
      CountDownLatch listenerDone = new CountDownLatch(1);
      listener.serve(connection -> PeerConnectionTest.awaitQuietly(listenerDone));
      PeerDialer dialer = new PeerDialer(4, 4, ConnectionTimeouts.DEFAULTS);
      CountDownLatch reading = new CountDownLatch(2);
      List<Thread> sessionThreads = Collections.synchronizedList(new ArrayList<>());
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread dialing =
          new Thread(
              () -> {
                try {
                  dialer.dialAll(
                      List.of(listener.localAddress(), listener.localAddress()),
                      result -> {
                        sessionThreads.add(Thread.currentThread());
                        reading.countDown();
                        try {
                          ((DialResult.Connected) result).connection().in().read(); // blocks: the peer is silent
                        } catch (IOException expected) {
                          // closed by the interrupted dialer
                        }
                      });
                } catch (InterruptedException e) {
                  outcome.set(e);
                }
              },
              "dialer");
      dialing.start();
      reading.await();
      dialing.interrupt();
      dialing.join();
      listenerDone.countDown();

      assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
      assertThat(sessionThreads).noneMatch(Thread::isAlive);
      assertThat(dialer.openCount()).isZero();
    }
  }

  @Test
  void rejectsLimitsBelowOne() {
    assertThatThrownBy(() -> new PeerDialer(0, 1, SHORT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connection limits must be at least 1, not open 0 and dialing 1");
  }
}
