package dev.piecemeal.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DHT as the peer sessions see it (BEP 5, "BitTorrent protocol extension"): the UDP port of
 * our node, which a session sends in a PORT message to a peer that set the DHT bit in its
 * handshake; and the nodes of the peers whose PORT messages came in, for the engine's turn to hand
 * to our node ({@link DhtPeerSource#takeFound}), which pings each through its {@link Destinations}.
 *
 * <pre>
 * session thread:  PORT 6881 from 127.0.0.1:51413  → contacts.heard(127.0.0.1:6881)
 * engine's turn:   node.addNode(each of contacts.take())    ping → answer → routing table
 * </pre>
 *
 * <p>At most {@value #MAX_WAITING} nodes wait between two turns; more are dropped. Each session
 * passes on one PORT at most, so a peer that sends a thousand costs one ping.
 *
 * <p>Thread-safe: session threads add, the engine's thread takes, and the port is set once, before
 * the listener accepts the first peer.
 */
final class DhtContacts {
  /** The most nodes waiting for the engine's next turn. */
  static final int MAX_WAITING = 64;

  private final ConcurrentLinkedQueue<InetSocketAddress> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private volatile int ourPort;

  /** Our node's UDP port, once it is bound; 0 before, or with the DHT off. */
  int ourPort() {
    return ourPort;
  }

  void ourPort(int port) {
    this.ourPort = port;
  }

  /** A peer's PORT message named its DHT node; dropped when {@value #MAX_WAITING} wait already. */
  void heard(InetSocketAddress node) {
    if (size.incrementAndGet() > MAX_WAITING) {
      size.decrementAndGet();
      return;
    }
    waiting.add(node);
  }

  /** The nodes heard of since the last call. */
  List<InetSocketAddress> take() {
    List<InetSocketAddress> nodes = new ArrayList<>();
    for (InetSocketAddress node; (node = waiting.poll()) != null; ) {
      size.decrementAndGet();
      nodes.add(node);
    }
    return nodes;
  }
}
