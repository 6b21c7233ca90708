package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.InfoHash;
import java.util.Objects;

/**
 * A KRPC query ({@code y = "q"}): BEP 5's four methods, and {@link Unknown} for any other name,
 * which a node answers with error 204 "Method Unknown". Every query's arguments {@code a} carry
 * the sender's {@code id}.
 *
 * <pre>
 * ping            a = {id}                                     are you there?
 * find_node       a = {id, target}                             the nodes you know closest to target
 * get_peers       a = {id, info_hash}                          peers of this torrent, or closer nodes
 * announce_peer   a = {id, implied_port?, info_hash, port, token}   I am a peer of this torrent
 * </pre>
 */
public sealed interface Query extends KrpcMessage.Body {

  /** The longest method name accepted; BEP 51's {@code sample_infohashes}, 17 bytes, is the longest in use. */
  int MAX_METHOD_LENGTH = 32;

  /** The querying node's id, {@code a.id}. */
  NodeId sender();

  /** The method, the {@code q} string: {@code ping}, {@code find_node}, .... */
  String method();

  /** {@code ping}: a node answers with its id, which tells us it is alive. */
  record Ping(NodeId sender) implements Query {
    public Ping {
      Objects.requireNonNull(sender, "sender");
    }

    @Override
    public String method() {
      return "ping";
    }
  }

  /** {@code find_node}: asks for the nodes the queried node knows closest to {@code target}. */
  record FindNode(NodeId sender, NodeId target) implements Query {
    public FindNode {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String method() {
      return "find_node";
    }
  }

  /**
   * {@code get_peers}: asks for peers of a torrent; a node that has none answers with the nodes
   * closest to the info-hash instead, and either way with a token for a later announce.
   */
  record GetPeers(NodeId sender, InfoHash infoHash) implements Query {
    public GetPeers {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(infoHash, "infoHash");
    }

    @Override
    public String method() {
      return "get_peers";
    }
  }

  /**
   * {@code announce_peer}: the sender is a peer of the torrent, listening on {@code port} over TCP,
   * or, when {@code impliedPort} is set, on the source port of the UDP packet (BEP 5: for peers
   * behind a NAT that do not know their external port). {@code token} is the one the queried node
   * gave the sender in its answer to {@code get_peers}.
   *
   * @param port 1..65535; when {@code impliedPort} is set it is ignored and may be 0
   */
  record AnnouncePeer(NodeId sender, InfoHash infoHash, int port, boolean impliedPort, Token token)
      implements Query {
    public AnnouncePeer {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(infoHash, "infoHash");
      Objects.requireNonNull(token, "token");
      int lowest = impliedPort ? 0 : 1;
      if (port < lowest || port > 65535) {
        throw new IllegalArgumentException("announced port " + port + " is not in " + lowest
            + "..65535" + (impliedPort ? "" : " (and the port is not implied)"));
      }
    }

    @Override
    public String method() {
      return "announce_peer";
    }
  }

  /**
   * A method this node does not know (BEP 44's {@code get} and {@code put}, BEP 51's {@code
   * sample_infohashes}, anything newer): decoded rather than refused, so that it can be answered
   * with error 204 instead of silence.
   *
   * @param method the {@code q} string, as text (invalid UTF-8 shown as U+FFFD), 1 to {@value
   *     #MAX_METHOD_LENGTH} bytes
   */
  record Unknown(NodeId sender, String method) implements Query {
    public Unknown {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(method, "method");
    }
  }
}
