package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.dht.DhtNode;
import dev.piecemeal.client.dht.QueryRateLimiter;
import dev.piecemeal.client.dht.SavedTable;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Our DHT node's life in one run (BEP 5): started once, by whichever part of the run comes first
 * (a magnet link's {@link MetadataPhase}, or the {@link Download} of a .torrent), handed on from
 * the phase to the download with its {@link DhtPeerSource}, and closed and saved once at the end.
 *
 * <pre>
 * .torrent:     Download: start → peer source → … → closeAndSave
 * magnet link:  MetadataPhase: start → peer source ─hand-over→ Download: … → closeAndSave
 *                                                  (private torrent: closeAndSave at the hand-over)
 * </pre>
 */
final class DhtStart {
  private DhtStart() {}

  /**
   * Our node, on the listening address and {@link DownloadOptions#dhtPort}, or when that is 0 on
   * the peer port over UDP (as BEP 5 clients do: one number for both), or on any free port when
   * that one is taken; under the id and with the nodes of the saved table ({@link DhtState}). Its
   * port goes into {@code contacts}, for every peer that sets the DHT bit (BEP 5's PORT message).
   * Says so in one line: {@code dht node on …}.
   */
  static DhtNode start(DownloadOptions options, DhtContacts contacts, int peerPort) throws IOException {
    Optional<SavedTable> saved = options.dhtState().flatMap(file -> DhtState.load(file, options.log()));
    DhtNode node;
    if (options.dhtPort() != 0) {
      node = DhtNode.start(settings(options, options.dhtPort()), saved);
    } else {
      try {
        node = DhtNode.start(settings(options, peerPort), saved);
      } catch (BindException e) {
        node = DhtNode.start(settings(options, 0), saved);
        options.log().accept("dht: UDP port " + peerPort + " is taken; the node takes another");
      }
    }
    if (options.dhtTrace() || options.trace() != WireTrace.NONE) {
      node.traceLookups(options.log()); // --dht-trace, or --trace: the DHT's lookups hop by hop
    }
    contacts.ourPort(node.address().getPort());
    int known = saved.map(table -> table.nodes().size()).orElse(0);
    // a socket bound to 0.0.0.0 says "::" on a dual-stack machine; our node speaks IPv4 alone
    String host = node.address().getAddress().isAnyLocalAddress() ? "0.0.0.0"
        : node.address().getAddress().getHostAddress();
    options.log().accept("dht node on " + host + ":"
        + node.address().getPort() + (known == 0 ? "" : ", " + known + (known == 1 ? " node" : " nodes")
            + " saved by an earlier run"));
    return node;
  }

  private static DhtNode.Settings settings(DownloadOptions options, int port) {
    return new DhtNode.Settings(new InetSocketAddress(options.listenAddress(), port), options.destinations(),
        QueryRateLimiter.DEFAULT_PER_SECOND, System::nanoTime, new SecureRandom(), options.log());
  }

  /** Closes {@code node}, then writes its table to {@link DownloadOptions#dhtState}. */
  static Closer.Part closeAndSave(DhtNode node, DownloadOptions options) {
    return () -> {
      node.close();
      options.dhtState().ifPresent(file -> DhtState.save(file, node.saved(), options.log()));
    };
  }

  /**
   * The nodes the DHT starts from: those given ({@code --dht-bootstrap}) and those a torrent names
   * (BEP 5's {@code nodes} key; a magnet link names none), without the ones we may not contact,
   * each of those said once.
   *
   * <p>Simplified: a torrent's node named by a host name is left out. libtorrent looks it up; a DNS
   * lookup on the engine's thread could hold every turn for seconds, and the torrents that name
   * nodes name IP addresses as often as not.
   */
  static List<InetSocketAddress> bootstrapNodes(DownloadOptions options, List<Metainfo.DhtNode> torrentNodes) {
    List<InetSocketAddress> nodes = new ArrayList<>();
    for (PeerAddress node : options.dhtBootstrap()) {
      nodes.add(node.toSocketAddress());
    }
    for (Metainfo.DhtNode node : torrentNodes) {
      try {
        nodes.add(PeerAddress.of(node.host(), node.port()).toSocketAddress());
      } catch (java.net.UnknownHostException | IllegalArgumentException e) {
        options.log().accept("dht: not using the torrent's node " + node + ": not an IP address");
      }
    }
    List<InetSocketAddress> allowed = new ArrayList<>();
    for (InetSocketAddress node : nodes) {
      if (options.destinations().allows(node)) {
        allowed.add(node);
      } else {
        options.log().accept("dht: not contacting " + node.getAddress().getHostAddress() + ":" + node.getPort()
            + ": only loopback addresses may be contacted");
      }
    }
    return allowed;
  }
}
