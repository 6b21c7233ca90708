package dev.piecemeal.peers;

import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Connects to many peers at once, within two bounds: how many connections are open at the same time
 * (each holds a thread, a socket and, later, buffers) and how many are being dialed (a dial that
 * waits for a silent address holds a slot for the whole connect timeout, and a burst of SYNs to
 * hundreds of strangers looks like a port scan to the network in between).
 *
 * <p>Each peer runs on its own thread, named {@code peer-127.0.0.1:51430}, from dial to close: the
 * reader of the code, and of a thread dump, sees one straight sequence per peer. A dial never
 * throws; its outcome is a {@link DialResult}.
 *
 * <pre>
 * dialer = new PeerDialer(50, 10, ConnectionTimeouts.DEFAULTS);
 * dialer.dialAll(peersFromTracker, result -&gt; {
 *   if (result instanceof DialResult.Connected connected) { ... handshake, then messages ... }
 *   else { log(((DialResult.Failed) result).message()); }
 * });
 * </pre>
 *
 * <p>Simplified: one blocking thread per connection. libtorrent and Transmission run every
 * connection on one or a few threads with non-blocking sockets and an event loop, which scales to
 * thousands of connections; a thread per connection lets each peer's protocol read top to bottom,
 * and a few hundred threads are nothing to a JVM.
 */
public final class PeerDialer {

  private final int maxOpen;
  private final int maxDialing;
  private final ConnectionTimeouts timeouts;
  private final Semaphore openSlots;
  private final Semaphore dialingSlots;
  private final Set<PeerConnection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger dialing = new AtomicInteger();
  private final AtomicInteger peakOpen = new AtomicInteger();
  private final AtomicInteger peakDialing = new AtomicInteger();

  /**
   * @param maxOpen most connections open at once, dialed by this dialer (incoming ones count in
   *     their {@link PeerListener})
   * @param maxDialing most connect attempts in flight at once
   */
  public PeerDialer(int maxOpen, int maxDialing, ConnectionTimeouts timeouts) {
    if (maxOpen < 1 || maxDialing < 1) {
      throw new IllegalArgumentException(
          "connection limits must be at least 1, not open " + maxOpen + " and dialing " + maxDialing);
    }
    this.maxOpen = maxOpen;
    this.maxDialing = maxDialing;
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.openSlots = new Semaphore(maxOpen, true);
    this.dialingSlots = new Semaphore(maxDialing, true);
  }

  /**
   * Dials one peer on the calling thread, waiting first for a free slot if the bounds are reached.
   * The caller owns a {@link DialResult.Connected connection} and must close it, which frees its
   * slot.
   */
  public DialResult dial(PeerAddress peer) throws InterruptedException {
    openSlots.acquire();
    return dialHoldingSlot(peer);
  }

  // tag::dial-all[]
  /**
   * Dials every peer, each on its own thread, and hands each result to {@code session} on that
   * thread. When {@code session} returns, the connection is closed and its slot goes to the next
   * peer. Returns when every peer has been dialed and every session has returned.
   *
   * @param session runs one peer from start to end; it must not throw (a bug if it does: the
   *     connection is still closed and the other peers go on)
   */
  public void dialAll(Collection<PeerAddress> peers, Consumer<DialResult> session)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    try {
      for (PeerAddress peer : peers) {
        openSlots.acquire(); // wait here, not in a thread: threads never outnumber open slots
        Thread thread = new Thread(() -> runOne(peer, session), PeerConnection.threadName(peer));
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      closeAll(); // unblocks every session's read or write, so their threads end
      for (Thread thread : threads) {
        thread.join();
      }
      throw e;
    }
  }

  private void runOne(PeerAddress peer, Consumer<DialResult> session) {
    DialResult result = dialHoldingSlot(peer);
    try {
      session.accept(result);
    } finally {
      if (result instanceof DialResult.Connected connected) {
        connected.connection().close(); // frees the open slot
      }
    }
  }
  // end::dial-all[]

  /** Dials with an open slot already taken; gives the slot back unless a connection now holds it. */
  private DialResult dialHoldingSlot(PeerAddress peer) {
    boolean dialingSlotTaken = false;
    try {
      dialingSlots.acquire();
      dialingSlotTaken = true;
      raisePeak(peakDialing, dialing.incrementAndGet());
      PeerConnection connection =
          PeerConnection.connect(
              peer,
              timeouts,
              closed -> {
                open.remove(closed);
                openSlots.release();
              });
      open.add(connection);
      raisePeak(peakOpen, open.size());
      return new DialResult.Connected(connection);
    } catch (IOException e) {
      openSlots.release();
      return new DialResult.Failed(peer, ConnectionFailure.of(e), ConnectionFailure.describe(peer, e));
    } catch (InterruptedException e) {
      openSlots.release();
      Thread.currentThread().interrupt();
      return new DialResult.Failed(peer, ConnectionFailure.OTHER, "dial to " + peer + " interrupted");
    } finally {
      if (dialingSlotTaken) {
        dialing.decrementAndGet();
        dialingSlots.release();
      }
    }
  }

  /** Closes every connection this dialer opened that is still open. */
  public void closeAll() {
    for (PeerConnection connection : List.copyOf(open)) {
      connection.close();
    }
  }

  /** Connections open now; for a status line. */
  public int openCount() {
    return open.size();
  }

  /** Dials in flight now; for a status line. */
  public int dialingCount() {
    return dialing.get();
  }

  /** The most connections that were ever open at once: never more than {@code maxOpen}. */
  public int peakOpen() {
    return peakOpen.get();
  }

  /** The most dials that were ever in flight at once: never more than {@code maxDialing}. */
  public int peakDialing() {
    return peakDialing.get();
  }

  /** The bound on dials in flight. */
  public int maxDialing() {
    return maxDialing;
  }

  /** The bound on open connections. */
  public int maxOpen() {
    return maxOpen;
  }

  private static void raisePeak(AtomicInteger peak, int now) {
    peak.accumulateAndGet(now, Math::max);
  }
}
