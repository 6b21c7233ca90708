package dev.piecemeal.client;

import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peer exchange (BEP 11) as a {@link PeerSource}: the peers our peers tell us of, handed in by
 * their sessions ({@link #offer}, after {@link dev.piecemeal.client.pex.PexReceiver} has bounded
 * them) and taken by the engine's turn into {@code Swarm.addCandidates}, like every source's.
 *
 * <pre>
 * session thread:  ut_pex → PexMessage.decode → PexReceiver.take → pex.offer(peers)
 * engine's turn:   swarm.addCandidates(pex.takeFound())
 * </pre>
 *
 * <p>At most {@value #MAX_WAITING} addresses wait between two turns; more are dropped (a peer that
 * knows them will tell us again in a minute). {@link #lookForMore} does nothing: PEX comes when
 * peers send it, once a minute.
 *
 * <p>Thread-safe: many session threads offer, the engine's thread takes; a lock-free queue and a
 * counter, no lock.
 */
final class PexPeerSource implements PeerSource {
  /** The most addresses waiting for the engine's next turn. */
  static final int MAX_WAITING = 500;

  private final ConcurrentLinkedQueue<PeerAddress> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong heard = new AtomicLong();

  /** Peers one of our peers told us of; those past {@value #MAX_WAITING} waiting are dropped. */
  void offer(List<PeerAddress> peers) {
    for (PeerAddress peer : peers) {
      if (size.incrementAndGet() > MAX_WAITING) {
        size.decrementAndGet();
        return;
      }
      waiting.add(peer);
      heard.incrementAndGet();
    }
  }

  @Override
  public List<PeerAddress> takeFound() {
    List<PeerAddress> found = new ArrayList<>();
    for (PeerAddress peer; (peer = waiting.poll()) != null; ) {
      size.decrementAndGet();
      found.add(peer);
    }
    return found;
  }

  @Override
  public void lookForMore() {
    // peers send PEX on their own schedule; there is nobody to ask
  }

  /** How many addresses peers told us of in all (each time it was told, not distinct). */
  long heard() {
    return heard.get();
  }
}
