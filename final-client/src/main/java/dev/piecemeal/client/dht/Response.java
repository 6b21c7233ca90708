package dev.piecemeal.client.dht;

import dev.piecemeal.tracker.PeerAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A KRPC response ({@code y = "r"}). Its dictionary {@code r} does not say which query it answers;
 * the transaction id does, so {@link KrpcDecoder} is told the query we sent and reads {@code r}
 * as that query's answer:
 *
 * <pre>
 * ping, announce_peer   r = {id}                        {@link IdResponse}
 * find_node             r = {id, nodes}                 {@link FindNodeResponse}
 * get_peers             r = {id, token, values|nodes}   {@link GetPeersResponse}
 * </pre>
 */
public sealed interface Response extends KrpcMessage.Body {

  /**
   * The most nodes a response may carry: BEP 5 answers with the 8 closest (K), and libtorrent and
   * jech/dht send 8; twice that leaves room for a node with larger buckets. {@link KrpcDecoder}
   * keeps the first 16 of a longer list and ignores the rest.
   */
  int MAX_NODES = 16;

  /**
   * The most peers a response may carry: libtorrent's {@code dht_max_peers_reply} is 100, which
   * with 8 nodes fits a 1500-byte packet. {@link KrpcDecoder} keeps the first 100 of a longer list.
   */
  int MAX_VALUES = 100;

  /** The answering node's id, {@code r.id}. */
  NodeId sender();

  /** The answer to {@code ping} and to {@code announce_peer}: only the answering node's id. */
  record IdResponse(NodeId sender) implements Response {
    public IdResponse {
      Objects.requireNonNull(sender, "sender");
    }
  }

  /**
   * The answer to {@code find_node}: the nodes the answering node knows closest to the target
   * (the target itself, if it knows it), at most {@value #MAX_NODES}.
   */
  record FindNodeResponse(NodeId sender, List<NodeInfo> nodes) implements Response {
    public FindNodeResponse {
      Objects.requireNonNull(sender, "sender");
      nodes = requireAtMost(nodes, MAX_NODES, "nodes");
    }
  }

  /**
   * The answer to {@code get_peers}: peers of the torrent ({@code values}) and/or the nodes closest
   * to its info-hash, and a token for announcing to this node. BEP 5 sends values or nodes;
   * libtorrent always sends nodes, and values as well when it has peers.
   *
   * @param token empty when the node withholds it (libtorrent does when its peer store is full,
   *     so that announces go to its neighbours)
   * @param values IPv4 peers, at most {@value #MAX_VALUES}
   * @param nodes at most {@value #MAX_NODES}
   */
  record GetPeersResponse(
      NodeId sender, Optional<Token> token, List<PeerAddress> values, List<NodeInfo> nodes)
      implements Response {
    public GetPeersResponse {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(token, "token");
      values = requireAtMost(values, MAX_VALUES, "values");
      nodes = requireAtMost(nodes, MAX_NODES, "nodes");
      for (PeerAddress peer : values) {
        if (peer.isIpv6()) {
          throw new IllegalArgumentException("peer " + peer + " is IPv6; BEP 5 values are IPv4");
        }
      }
    }
  }

  private static <T> List<T> requireAtMost(List<T> list, int max, String what) {
    if (list.size() > max) {
      throw new IllegalArgumentException(list.size() + " " + what + ", more than " + max);
    }
    return List.copyOf(list);
  }
}
