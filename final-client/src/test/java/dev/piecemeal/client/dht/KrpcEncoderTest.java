package dev.piecemeal.client.dht;

import static dev.piecemeal.client.dht.Packets.id;
import static dev.piecemeal.client.dht.Packets.packet;
import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The packets we send, byte by byte: our {@code v}, keys sorted, optional keys left out. */
class KrpcEncoderTest {
  private static final NodeId OURS = id("abcdefghij0123456789");
  private static final InfoHash INFO_HASH =
      InfoHash.fromBytes("mnopqrstuvwxyz123456".getBytes(StandardCharsets.US_ASCII));
  private static final TransactionId T = TransactionId.ofShort(0x0102);

  private static String encoded(KrpcMessage message) {
    return new String(KrpcEncoder.encode(message), StandardCharsets.ISO_8859_1);
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Test
  void writesOurPingWithOurVersion() {
    assertThat(encoded(KrpcMessage.ours(T, new Query.Ping(OURS)))).isEqualTo(latin1(packet(
        "d",
          "1:a", "d", "2:id", "20:abcdefghij0123456789", "e",
          "1:q", "4:ping",
          "1:t", "2:", hex("0102"),
          "1:v", "4:PM", hex("0001"),     // Piecemeal 0.1
          "1:y", "1:q",
        "e")));
  }

  @Test
  void writesAnAnnounceWithAPortAndNoImpliedPort() {
    Query announce = new Query.AnnouncePeer(OURS, INFO_HASH, 51413, false, Token.fromBytes(hex("0badf00d")));
    assertThat(encoded(new KrpcMessage(T, announce, Optional.empty()))).isEqualTo(latin1(packet(
        "d",
          "1:a", "d",
            "2:id", "20:abcdefghij0123456789",
            "9:info_hash", "20:mnopqrstuvwxyz123456",
            "4:port", "i51413e",
            "5:token", "4:", hex("0badf00d"),
          "e",
          "1:q", "13:announce_peer",
          "1:t", "2:", hex("0102"),
          "1:y", "1:q",
        "e")));
  }

  @Test
  void writesAnAnswerToGetPeersWithPeersNodesAndAToken() throws Exception {
    NodeInfo node = new NodeInfo(NodeId.fromHex("0123456789abcdef0123456789abcdef01234567"),
        new InetSocketAddress("192.0.2.7", 6881));
    Response response = new Response.GetPeersResponse(OURS, Optional.of(Token.fromBytes(hex("0011223344556677"))),
        List.of(PeerAddress.of("127.0.0.1", 51413)), List.of(node));
    assertThat(encoded(new KrpcMessage(T, response, Optional.empty()))).isEqualTo(latin1(packet(
        "d",
          "1:r", "d",
            "2:id", "20:abcdefghij0123456789",
            "5:nodes", "26:", hex("0123456789abcdef0123456789abcdef01234567 c0000207 1ae1"),
            "5:token", "8:", hex("0011223344556677"),
            "6:values", "l", "6:", hex("7f000001 c8d5"), "e",
          "e",
          "1:t", "2:", hex("0102"),
          "1:y", "1:r",
        "e")));
  }

  @Test
  void writesAnEmptyNodesStringWhenItHasNothingToGive() {
    Response response = new Response.GetPeersResponse(OURS, Optional.empty(), List.of(), List.of());
    assertThat(encoded(new KrpcMessage(T, response, Optional.empty())))
        .isEqualTo("d1:rd2:id20:abcdefghij01234567895:nodes0:e1:t2:\u0001\u00021:y1:re");
  }

  @Test
  void writesError204ForAnUnknownMethod() {
    assertThat(encoded(new KrpcMessage(T, KrpcError.methodUnknown("vote"), Optional.empty())))
        .isEqualTo(latin1(packet(
            "d",
              "1:e", "l", "i204e", "20:Method Unknown: vote", "e",
              "1:t", "2:", hex("0102"),
              "1:y", "1:e",
            "e")));
  }

  @Test
  void theLargestAnswerWeCanBuildFitsOnePacket() throws Exception {
    List<PeerAddress> peers = new ArrayList<>();
    for (int i = 0; i < Response.MAX_VALUES; i++) {
      peers.add(PeerAddress.of("192.0.2." + i, 65535));
    }
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < Response.MAX_NODES; i++) {
      nodes.add(new NodeInfo(NodeId.fromBytes(new byte[20]), new InetSocketAddress("192.0.2.1", 65535)));
    }
    Response response = new Response.GetPeersResponse(OURS,
        Optional.of(Token.fromBytes(new byte[Token.MAX_LENGTH])), peers, nodes);
    byte[] packet = KrpcEncoder.encode(KrpcMessage.ours(
        TransactionId.fromBytes(new byte[TransactionId.MAX_LENGTH]), response));
    assertThat(packet.length).as("bytes").isLessThanOrEqualTo(KrpcDecoder.MAX_PACKET_BYTES);
  }
}
