package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link KrpcMessage} as the bytes of one UDP packet, with chapter 1's {@link
 * BencodeEncoder}, which sorts the keys as bencode requires. BEP 5's {@code find_node} query:
 *
 * <pre>
 * d
 *   1:a d 2:id 20:abcdefghij0123456789 6:target 20:mnopqrstuvwxyz123456 e
 *   1:q 9:find_node
 *   1:t 2:aa
 *   1:y 1:q
 * e
 * </pre>
 *
 * Keys left out when they have nothing to say: {@code v} without a version, {@code implied_port}
 * when it is not set, a {@code get_peers} response's {@code token} when withheld and its {@code
 * values} when there are none ({@code nodes} is then written, even if empty, because BEP 5's
 * answer has one or the other).
 */
public final class KrpcEncoder {
  private KrpcEncoder() {}

  /**
   * The packet of {@code message}.
   *
   * @throws IllegalArgumentException if the packet would be longer than {@link
   *     KrpcDecoder#MAX_PACKET_BYTES}, which no message of BEP 5 within this package's bounds is
   */
  public static byte[] encode(KrpcMessage message) {
    BencodeDictionary.Builder packet = BencodeDictionary.builder()
        .put("t", message.transaction().bytes());
    message.version().ifPresent(v -> packet.put("v", v.bytes()));
    KrpcMessage.Body body = message.body();
    if (body instanceof Query query) {
      packet.put("y", "q").put("q", query.method()).put("a", arguments(query));
    } else if (body instanceof Response response) {
      packet.put("y", "r").put("r", returnValues(response));
    } else if (body instanceof KrpcError error) {
      packet.put("y", "e").put("e", new BencodeList(List.of(
          new BencodeInteger(error.code()), BencodeString.fromUtf8(error.message()))));
    } else {
      throw new IllegalStateException("unknown KRPC body " + body);
    }
    byte[] bytes = BencodeEncoder.encode(packet.build());
    if (bytes.length > KrpcDecoder.MAX_PACKET_BYTES) {
      throw new IllegalArgumentException("a KRPC packet of " + bytes.length
          + " bytes is longer than " + KrpcDecoder.MAX_PACKET_BYTES);
    }
    return bytes;
  }

  // a = {id, ...the method's arguments}
  private static BencodeDictionary arguments(Query query) {
    BencodeDictionary.Builder a = BencodeDictionary.builder().put("id", query.sender().bytes());
    if (query instanceof Query.FindNode findNode) {
      a.put("target", findNode.target().bytes());
    } else if (query instanceof Query.GetPeers getPeers) {
      a.put("info_hash", getPeers.infoHash().bytes());
    } else if (query instanceof Query.AnnouncePeer announce) {
      a.put("info_hash", announce.infoHash().bytes())
          .put("port", announce.port())
          .put("token", announce.token().bytes());
      if (announce.impliedPort()) {
        a.put("implied_port", 1);
      }
    }
    return a.build();
  }

  // r = {id, ...what the query asked for}
  private static BencodeDictionary returnValues(Response response) {
    BencodeDictionary.Builder r = BencodeDictionary.builder().put("id", response.sender().bytes());
    if (response instanceof Response.FindNodeResponse found) {
      r.put("nodes", CompactInfo.nodeBytes(found.nodes()));
    } else if (response instanceof Response.GetPeersResponse peers) {
      peers.token().ifPresent(token -> r.put("token", token.bytes()));
      if (!peers.values().isEmpty()) {
        List<BencodeValue> values = new ArrayList<>();
        for (PeerAddress peer : peers.values()) {
          values.add(BencodeString.fromBytes(CompactInfo.peerBytes(peer)));
        }
        r.put("values", new BencodeList(values));
      }
      if (!peers.nodes().isEmpty() || peers.values().isEmpty()) {
        r.put("nodes", CompactInfo.nodeBytes(peers.nodes()));
      }
    }
    return r.build();
  }
}
