package dev.piecemeal.client;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.client.dht.DhtNode;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The DHT as a {@link PeerSource} (BEP 5): bootstraps the node, then runs {@code get_peers} lookups
 * for the torrent, each ending with an {@code announce_peer} of our listening port, and keeps what
 * they find for the engine's turn to take.
 *
 * <pre>
 * start:        node.bootstrap(nodes)
 * takeFound:    the first lookup once bootstrapped; then one every 15 minutes (re-announce)
 * lookForMore:  another lookup, if none is running and the last began 5 s ago or more
 * each turn:    the nodes peers named in PORT messages ({@link DhtContacts}) go to the node
 * </pre>
 *
 * <p>Only the engine's thread calls in; the node's thread fills the {@link DhtNode.Search}es.
 */
final class DhtPeerSource implements PeerSource {
  /** The soonest a lookup asked for by a swarm short of peers follows the last one. */
  static final long LOOK_AGAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** How often we look up and announce anyway: a DHT node forgets a peer after 30 minutes. */
  static final long REANNOUNCE_NANOS = TimeUnit.MINUTES.toNanos(15);
  /** The most addresses remembered as handed to the swarm already. */
  static final int MAX_HANDED = 2000;

  private final DhtNode node;
  private final InfoHash infoHash;
  private final int port;
  private final LongSupplier nanos;
  private final DhtNode.Search bootstrap;
  private final DhtContacts contacts;
  private final Set<PeerAddress> handed = new HashSet<>();
  /** Distinct peers handed to the swarm in all, for the status line. */
  private final Set<PeerAddress> everHanded = new HashSet<>();
  private volatile int peersFound;
  private DhtNode.Search current;
  private long lastStart;

  /**
   * Starts bootstrapping {@code node} from {@code bootstrapNodes}.
   *
   * @param port our listening port, announced to the closest nodes after each lookup
   * @param contacts where the sessions put the DHT nodes their peers' PORT messages named
   */
  DhtPeerSource(DhtNode node, List<InetSocketAddress> bootstrapNodes, InfoHash infoHash, int port,
      DhtContacts contacts, LongSupplier nanos) {
    this.node = node;
    this.contacts = contacts;
    this.infoHash = infoHash;
    this.port = port;
    this.nanos = nanos;
    this.bootstrap = node.bootstrap(bootstrapNodes);
  }

  @Override
  public List<PeerAddress> takeFound() {
    contacts.take().forEach(node::addNode);
    long now = nanos.getAsLong();
    if (current == null ? bootstrap.isDone() : current.isDone() && now - lastStart >= REANNOUNCE_NANOS) {
      startLookup(now);
    }
    List<PeerAddress> fresh = new ArrayList<>();
    if (current != null) {
      for (PeerAddress peer : current.peers()) {
        if (handed.size() < MAX_HANDED && handed.add(peer)) {
          fresh.add(peer);
          if (everHanded.size() < MAX_HANDED && everHanded.add(peer)) {
            peersFound = everHanded.size();
          }
        }
      }
    }
    return fresh;
  }

  @Override
  public void lookForMore() {
    long now = nanos.getAsLong();
    if (current != null && current.isDone() && now - lastStart >= LOOK_AGAIN_NANOS) {
      // Addresses handed before may have been dropped by the swarm's bounded queue: hand them again.
      handed.clear();
      startLookup(now);
    }
  }

  /** Nodes in the table and peers found, from any thread. */
  DhtStatus status() {
    return new DhtStatus(node.tableSize(), peersFound);
  }

  private void startLookup(long now) {
    current = node.getPeers(infoHash, port);
    lastStart = now;
  }
}
