package dev.piecemeal.client.dht;

import static dev.piecemeal.client.dht.Packets.id;
import static dev.piecemeal.client.dht.Packets.packet;
import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.client.dht.Response.FindNodeResponse;
import dev.piecemeal.client.dht.Response.GetPeersResponse;
import dev.piecemeal.client.dht.Response.IdResponse;
import dev.piecemeal.tracker.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every KRPC message of BEP 5 as bytes, decoded, and encoded back to the same bytes; then every
 * rejection, grouped by what is wrong with the packet. Most packets are BEP 5's own examples.
 */
class KrpcDecoderTest {
  private static final NodeId QUERIER = id("abcdefghij0123456789");
  private static final NodeId ANSWERER = id("mnopqrstuvwxyz123456");
  private static final InfoHash INFO_HASH =
      InfoHash.fromBytes("mnopqrstuvwxyz123456".getBytes(StandardCharsets.US_ASCII));
  private static final TransactionId AA = TransactionId.fromBytes(new byte[] {'a', 'a'});

  /** Two compact node infos, 26 bytes each. */
  private static final byte[] NODE_1 = hex(
      "0123456789abcdef0123456789abcdef01234567",   // node id
      "c0000207",                                   // 192.0.2.7
      "1ae1");                                      // port 6881
  private static final byte[] NODE_2 = hex(
      "fedcba9876543210fedcba9876543210fedcba98",   // node id
      "7f000001",                                   // 127.0.0.1
      "c8d5");                                      // port 51413

  private static KrpcMessage decode(byte[] packet, Query sent) throws KrpcException {
    return KrpcDecoder.decode(packet, t -> Optional.ofNullable(sent));
  }

  private static KrpcMessage decodeQuery(byte[] packet) throws KrpcException {
    return decode(packet, null);
  }

  /** Decodes, and checks that the encoder writes exactly the same bytes back. */
  private static KrpcMessage roundTrip(byte[] packet, Query sent) throws KrpcException {
    KrpcMessage message = decode(packet, sent);
    assertThat(latin1(KrpcEncoder.encode(message))).as("the message encoded again")
        .isEqualTo(latin1(packet));
    return message;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static Query.Ping pingSent() {
    return new Query.Ping(QUERIER);
  }

  @Nested
  class Queries {
    @Test
    void readsBep5sPing() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:a", "d", "2:id", "20:abcdefghij0123456789", "e",   // the querier's id
            "1:q", "4:ping",
            "1:t", "2:aa",
            "1:y", "1:q",
          "e"), null);
      assertThat(message).isEqualTo(
          new KrpcMessage(AA, new Query.Ping(QUERIER), Optional.empty()));
    }

    @Test
    void readsBep5sFindNode() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:a", "d",
              "2:id", "20:abcdefghij0123456789",
              "6:target", "20:mnopqrstuvwxyz123456",
            "e",
            "1:q", "9:find_node",
            "1:t", "2:aa",
            "1:y", "1:q",
          "e"), null);
      assertThat(message.body()).isEqualTo(new Query.FindNode(QUERIER, ANSWERER));
    }

    @Test
    void readsBep5sGetPeers() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:a", "d",
              "2:id", "20:abcdefghij0123456789",
              "9:info_hash", "20:mnopqrstuvwxyz123456",
            "e",
            "1:q", "9:get_peers",
            "1:t", "2:aa",
            "1:y", "1:q",
          "e"), null);
      assertThat(message.body()).isEqualTo(new Query.GetPeers(QUERIER, INFO_HASH));
    }

    @Test
    void readsBep5sAnnouncePeerWithAnImpliedPort() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:a", "d",
              "2:id", "20:abcdefghij0123456789",
              "12:implied_port", "i1e",            // use the packet's source port
              "9:info_hash", "20:mnopqrstuvwxyz123456",
              "4:port", "i6881e",
              "5:token", "8:aoeusnth",             // from our answer to get_peers
            "e",
            "1:q", "13:announce_peer",
            "1:t", "2:aa",
            "1:y", "1:q",
          "e"), null);
      assertThat(message.body()).isEqualTo(new Query.AnnouncePeer(QUERIER, INFO_HASH, 6881, true,
          Token.fromBytes("aoeusnth".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void readsAnAnnounceWithoutImpliedPort() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:a", "d",
              "2:id", "20:abcdefghij0123456789",
              "9:info_hash", "20:mnopqrstuvwxyz123456",
              "4:port", "i51413e",
              "5:token", "4:", hex("0badf00d"),
            "e",
            "1:q", "13:announce_peer",
            "1:t", "2:aa",
            "1:y", "1:q",
          "e"), null);
      Query.AnnouncePeer announce = (Query.AnnouncePeer) message.body();
      assertThat(announce.port()).isEqualTo(51413);
      assertThat(announce.impliedPort()).isFalse();
      assertThat(announce.token().hex()).isEqualTo("0badf00d");
    }

    @Test
    void acceptsPortZeroWhenThePortIsImplied() throws Exception {
      KrpcMessage message = decodeQuery(packet(
          "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz123456",
          "4:porti0e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe"));
      assertThat(((Query.AnnouncePeer) message.body()).impliedPort()).isTrue();
    }

    @Test
    void readsAMethodItDoesNotKnowAsAnUnknownQuery() throws Exception {
      KrpcMessage message = decodeQuery(packet(
          "d",
            "1:a", "d", "2:id", "20:abcdefghij0123456789", "6:target", "20:mnopqrstuvwxyz123456", "e",
            "1:q", "17:sample_infohashes",    // BEP 51
            "1:t", "2:aa",
            "1:y", "1:q",
          "e"));
      assertThat(message.body()).isEqualTo(new Query.Unknown(QUERIER, "sample_infohashes"));
    }

    @Test
    void readsTheClientVersionAndIgnoresKeysItDoesNotKnow() throws Exception {
      KrpcMessage message = decodeQuery(packet(
          "d",
            "1:a", "d", "2:id", "20:abcdefghij0123456789", "4:wantl2:n4e", "e",   // BEP 32's want
            "1:q", "4:ping",
            "2:ro", "i1e",                                // BEP 43: a read-only node
            "1:t", "2:", hex("0102"),
            "1:v", "4:LT", hex("0102"),                   // libtorrent 1.2
            "1:y", "1:q",
          "e"));
      assertThat(message.transaction().hex()).isEqualTo("0102");
      assertThat(message.version()).map(ClientVersion::toString).hasValue("ClientVersion[LT 0102]");
      assertThat(message.body()).isEqualTo(new Query.Ping(QUERIER));
    }
  }

  @Nested
  class Responses {
    @Test
    void readsBep5sAnswerToPing() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:r", "d", "2:id", "20:mnopqrstuvwxyz123456", "e",   // the answerer's id
            "1:t", "2:aa",
            "1:y", "1:r",
          "e"), pingSent());
      assertThat(message).isEqualTo(new KrpcMessage(AA, new IdResponse(ANSWERER), Optional.empty()));
    }

    @Test
    void readsTheSameBytesAsTheAnswerToAnnouncePeer() throws Exception {
      Query sent = new Query.AnnouncePeer(QUERIER, INFO_HASH, 6881, false, Token.fromBytes(hex("01")));
      KrpcMessage message = roundTrip(packet(
          "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re"), sent);
      assertThat(message.body()).isEqualTo(new IdResponse(ANSWERER));
    }

    @Test
    void readsTheAnswerToFindNode() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:r", "d",
              "2:id", "20:0123456789abcdefghij",
              "5:nodes", "52:", NODE_1, NODE_2,       // two compact node infos
            "e",
            "1:t", "2:aa",
            "1:y", "1:r",
          "e"), new Query.FindNode(QUERIER, ANSWERER));
      FindNodeResponse response = (FindNodeResponse) message.body();
      assertThat(response.sender()).isEqualTo(id("0123456789abcdefghij"));
      assertThat(response.nodes()).map(NodeInfo::toString)
          .containsExactly("01234567…@192.0.2.7:6881", "fedcba98…@127.0.0.1:51413");
    }

    @Test
    void readsAnEmptyListOfNodes() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d1:rd2:id20:mnopqrstuvwxyz1234565:nodes0:e1:t2:aa1:y1:re"),
          new Query.FindNode(QUERIER, ANSWERER));
      assertThat(((FindNodeResponse) message.body()).nodes()).isEmpty();
    }

    @Test
    void readsBep5sAnswerToGetPeersWithPeers() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:r", "d",
              "2:id", "20:abcdefghij0123456789",
              "5:token", "8:aoeusnth",
              "6:values", "l",
                "6:axje.u",     // 61 78 6a 65 | 2e 75: 97.120.106.101:11893
                "6:idhtnm",     // 69 64 68 74 | 6e 6d: 105.100.104.116:28269
              "e",
            "e",
            "1:t", "2:aa",
            "1:y", "1:r",
          "e"), new Query.GetPeers(ANSWERER, INFO_HASH));
      GetPeersResponse response = (GetPeersResponse) message.body();
      assertThat(response.token()).map(Token::hex).hasValue("616f6575736e7468");
      assertThat(response.values()).map(PeerAddress::toString)
          .containsExactly("97.120.106.101:11893", "105.100.104.116:28269");
      assertThat(response.nodes()).isEmpty();
    }

    @Test
    void readsBep5sAnswerToGetPeersWithNodes() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:r", "d",
              "2:id", "20:abcdefghij0123456789",
              "5:nodes", "26:", NODE_1,
              "5:token", "8:aoeusnth",
            "e",
            "1:t", "2:aa",
            "1:y", "1:r",
          "e"), new Query.GetPeers(ANSWERER, INFO_HASH));
      GetPeersResponse response = (GetPeersResponse) message.body();
      assertThat(response.values()).isEmpty();
      assertThat(response.nodes()).map(NodeInfo::toString).containsExactly("01234567…@192.0.2.7:6881");
    }

    @Test
    void readsPeersAndNodesTogetherAsLibtorrentSendsThem() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:r", "d",
              "2:id", "20:abcdefghij0123456789",
              "5:nodes", "26:", NODE_2,
              "5:token", "4:", hex("0badf00d"),
              "6:values", "l", "6:", hex("c0000207 c8d5"), "e",   // 192.0.2.7:51413
            "e",
            "1:t", "2:aa",
            "1:v", "4:LT", hex("0208"),
            "1:y", "1:r",
          "e"), new Query.GetPeers(ANSWERER, INFO_HASH));
      GetPeersResponse response = (GetPeersResponse) message.body();
      assertThat(response.values()).map(PeerAddress::toString).containsExactly("192.0.2.7:51413");
      assertThat(response.nodes()).hasSize(1);
    }

    @Test
    void readsAnAnswerWhoseTokenIsWithheld() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d1:rd2:id20:abcdefghij01234567895:nodes26:", NODE_1, "e1:t2:aa1:y1:re"),
          new Query.GetPeers(ANSWERER, INFO_HASH));
      assertThat(((GetPeersResponse) message.body()).token()).isEmpty();
    }
  }

  @Nested
  class Errors {
    @Test
    void readsBep5sGenericError() throws Exception {
      KrpcMessage message = roundTrip(packet(
          "d",
            "1:e", "l", "i201e", "23:A Generic Error Ocurred", "e",   // BEP 5's spelling
            "1:t", "2:aa",
            "1:y", "1:e",
          "e"), null);
      assertThat(message.body()).isEqualTo(new KrpcError(201, "A Generic Error Ocurred"));
    }

    @Test
    void readsACodeBep5DoesNotName() throws Exception {
      KrpcMessage message = decode(packet("d1:eli205e15:message too bige1:t2:aa1:y1:ee"), null);
      assertThat(message.body()).isEqualTo(new KrpcError(205, "message too big"));
    }
  }

  /** Each rejection: the message names the field and the offset of its value. */
  @Nested
  class Malformed {
    @Test
    void rejectsWhatIsNotBencode() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:t2:aa1:y1:q")))
          .isInstanceOf(KrpcException.class)
          .hasMessage("not bencode: unexpected end of input inside a dictionary at offset 14");
    }

    @Test
    void rejectsTrailingBytes() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:t2:aa1:y1:qeXX")))
          .hasMessage("not bencode: 2 trailing byte(s) after the value at offset 15");
    }

    @Test
    void rejectsUnsortedKeys() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:y1:q1:t2:aae")))
          .hasMessage("not bencode: dictionary key \"t\" is out of order (after \"y\") at offset 7");
    }

    @Test
    void rejectsAPacketThatIsNotADictionary() {
      assertThatThrownBy(() -> decodeQuery(packet("l1:t2:aae")))
          .hasMessage("packet: must be a dictionary, found list at offset 0");
    }

    @Test
    void rejectsAMissingTransactionId() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:y1:qe")))
          .hasMessage("t: missing in the dictionary at offset 0");
    }

    @Test
    void rejectsAnEmptyTransactionId() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:t0:1:y1:qe")))
          .hasMessage("t: empty at offset 4");
    }

    @Test
    void rejectsATransactionIdLongerThan16Bytes() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:t17:aaaaaaaaaaaaaaaaa1:y1:qe")))
          .hasMessage("t: 17 bytes, more than 16 at offset 4");
    }

    @Test
    void rejectsAnUnknownMessageType() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:t2:aa1:y1:xe")))
          .isInstanceOfSatisfying(KrpcException.class,
              e -> assertThat(e.queryTransaction()).as("nothing to answer").isEmpty())
          .hasMessage("y: must be q, r or e, found \"x\" at offset 11");
    }

    @Test
    void rejectsAClientVersionLongerThan16BytesAndSaysWhatToAnswer() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:v17:LTxxxxxxxxxxxxxxx1:y1:qe")))
          .isInstanceOfSatisfying(KrpcException.class,
              e -> assertThat(e.queryTransaction()).as("a query: answer with 203").hasValue(AA))
          .hasMessage("v: 17 bytes, more than 16 at offset 52");
    }

    @Test
    void rejectsAQueryWithoutArguments() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:q4:ping1:t2:aa1:y1:qe")))
          .hasMessage("a: missing in the dictionary at offset 0");
    }

    @Test
    void rejectsAMethodNameLongerThan32Bytes() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij0123456789e1:q33:", "x".repeat(33), "1:t2:aa1:y1:qe")))
          .hasMessage("q: 33 bytes, more than 32 at offset 36");
    }

    @Test
    void rejectsANodeIdOf19Bytes() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe")))
          .isInstanceOfSatisfying(KrpcException.class,
              e -> assertThat(e.queryTransaction()).hasValue(AA))
          .hasMessage("a.id: 19 bytes, not 20 at offset 9");
    }

    @Test
    void rejectsANodeIdThatIsNotAString() {
      assertThatThrownBy(() -> decodeQuery(packet("d1:ad2:idi7ee1:q4:ping1:t2:aa1:y1:qe")))
          .hasMessage("a.id: must be a string, found integer at offset 9");
    }

    @Test
    void rejectsFindNodeWithoutATarget() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:aa1:y1:qe")))
          .hasMessage("a.target: missing in the dictionary at offset 4");
    }

    @Test
    void rejectsAnInfoHashOf21Bytes() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij01234567899:info_hash21:mnopqrstuvwxyz1234567e",
          "1:q9:get_peers1:t2:aa1:y1:qe")))
          .hasMessage("a.info_hash: 21 bytes, not 20 at offset 43");
    }

    @Test
    void rejectsAnAnnouncedPortOfZero() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456",
          "4:porti0e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")))
          .hasMessage("a.port: 0 is not in 1..65535 at offset 72");
    }

    @Test
    void rejectsAnAnnouncedPortAbove65535() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456",
          "4:porti65536e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")))
          .hasMessage("a.port: 65536 is not in 1..65535 at offset 72");
    }

    @Test
    void rejectsAnAnnounceWithoutAToken() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456",
          "4:porti6881ee1:q13:announce_peer1:t2:aa1:y1:qe")))
          .hasMessage("a.token: missing in the dictionary at offset 4");
    }

    @Test
    void rejectsATokenLongerThan32Bytes() {
      assertThatThrownBy(() -> decodeQuery(packet(
          "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456",
          "4:porti6881e5:token33:", "t".repeat(33), "e1:q13:announce_peer1:t2:aa1:y1:qe")))
          .hasMessage("a.token: 33 bytes, more than 32 at offset 85");
    }

    @Test
    void rejectsAResponseToNoQueryOfOurs() {
      assertThatThrownBy(() -> decode(packet("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re"), null))
          .isInstanceOfSatisfying(KrpcException.class,
              e -> assertThat(e.queryTransaction()).as("never answer a response").isEmpty())
          .hasMessage("t: a response under transaction 6161, which no query of ours is");
    }

    @Test
    void rejectsAResponseWithoutItsId() {
      assertThatThrownBy(() -> decode(packet("d1:rde1:t2:aa1:y1:re"), pingSent()))
          .hasMessage("r.id: missing in the dictionary at offset 4");
    }

    @Test
    void rejectsAnAnswerToFindNodeWithoutNodes() {
      assertThatThrownBy(() -> decode(packet("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re"),
          new Query.FindNode(QUERIER, ANSWERER)))
          .hasMessage("r.nodes: missing in the dictionary at offset 4");
    }

    @Test
    void rejectsNodesThatAreNotAWholeNumberOf26Bytes() {
      assertThatThrownBy(() -> decode(packet(
          "d1:rd2:id20:mnopqrstuvwxyz1234565:nodes27:", NODE_1, "X", "e1:t2:aa1:y1:re"),
          new Query.FindNode(QUERIER, ANSWERER)))
          .hasMessage("r.nodes: 27 bytes, not a whole number of 26-byte nodes at offset 39");
    }

    @Test
    void rejectsAnAnswerToGetPeersWithNeitherValuesNorNodes() {
      assertThatThrownBy(() -> decode(packet(
          "d1:rd2:id20:mnopqrstuvwxyz1234565:token8:aoeusnthe1:t2:aa1:y1:re"),
          new Query.GetPeers(QUERIER, INFO_HASH)))
          .hasMessage("r: a get_peers response without values or nodes at offset 4");
    }

    @Test
    void rejectsAPeerThatIsNotSixBytes() {
      assertThatThrownBy(() -> decode(packet(
          "d1:rd2:id20:mnopqrstuvwxyz1234566:valuesl6:axje.u18:", "x".repeat(18), "ee",
          "1:t2:aa1:y1:re"), new Query.GetPeers(QUERIER, INFO_HASH)))
          .hasMessage("r.values[1]: 18 bytes, not 6 (a compact IPv4 peer), in the list at offset 40");
    }

    @Test
    void rejectsAPeerThatIsNotAString() {
      assertThatThrownBy(() -> decode(packet(
          "d1:rd2:id20:mnopqrstuvwxyz1234566:valuesli6881eee1:t2:aa1:y1:re"),
          new Query.GetPeers(QUERIER, INFO_HASH)))
          .hasMessage("r.values[0]: must be a string, found integer, in the list at offset 40");
    }

    @Test
    void rejectsAnErrorListOfThreeValues() {
      assertThatThrownBy(() -> decode(packet("d1:eli201e2:no3:mane1:t2:aa1:y1:ee"), null))
          .hasMessage("e: a list of 3 values, not 2 (code, message) at offset 4");
    }

    @Test
    void rejectsAnErrorWhoseCodeIsNotAnInteger() {
      assertThatThrownBy(() -> decode(packet("d1:el3:2012:noe1:t2:aa1:y1:ee"), null))
          .hasMessage("e[0]: the code must be an integer, found string, in the list at offset 4");
    }
  }

  /** What a packet that asks for a lot costs: bounded before anything is allocated for it. */
  @Nested
  class TooLarge {
    @Test
    void refusesAPacketLongerThan1500BytesBeforeDecodingIt() {
      byte[] packet = packet("d1:t2:aa1:y1:q1:z1478:", "z".repeat(1478), "e");
      assertThat(packet.length).isEqualTo(1501);
      assertThatThrownBy(() -> decodeQuery(packet))
          .hasMessage("packet of 1501 bytes is longer than the limit of 1500");
    }

    @Test
    void refusesAReplyOf10000NodesByItsSize() {
      byte[] nodes = new byte[10_000 * CompactInfo.NODE_LENGTH];
      byte[] packet = packet("d1:rd2:id20:mnopqrstuvwxyz1234565:nodes260000:", nodes,
          "e1:t2:aa1:y1:re");
      assertThatThrownBy(() -> decode(packet, new Query.FindNode(QUERIER, ANSWERER)))
          .hasMessage("packet of 260061 bytes is longer than the limit of 1500");
    }

    @Test
    void refusesMoreThan500BencodeValues() {
      byte[] packet = packet("d1:t2:aa1:y1:q1:zl", "0:".repeat(495), "ee");
      assertThatThrownBy(() -> decodeQuery(packet))
          .hasMessageStartingWith("not bencode: more than 500 values at offset");
    }

    @Test
    void keepsTheFirst16NodesOfALongerList() throws Exception {
      byte[] nodes = new byte[20 * CompactInfo.NODE_LENGTH];
      for (int i = 0; i < 20; i++) {
        System.arraycopy(NODE_1, 0, nodes, i * CompactInfo.NODE_LENGTH, CompactInfo.NODE_LENGTH);
        nodes[i * CompactInfo.NODE_LENGTH] = (byte) i;   // first byte of the id: the node's number
      }
      KrpcMessage message = decode(packet("d1:rd2:id20:mnopqrstuvwxyz1234565:nodes520:", nodes,
          "e1:t2:aa1:y1:re"), new Query.FindNode(QUERIER, ANSWERER));
      FindNodeResponse response = (FindNodeResponse) message.body();
      assertThat(response.nodes()).hasSize(Response.MAX_NODES);
      assertThat(response.nodes().get(15).id().hex()).startsWith("0f");
    }

    @Test
    void keepsTheFirst100PeersOfALongerList() throws Exception {
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 150; i++) {
        values.append("6:\u00c0\u0000\u0002").append((char) i).append("\u001a\u00e1");   // 192.0.2.i:6881
      }
      byte[] packet = packet("d1:rd2:id20:mnopqrstuvwxyz1234565:token1:x6:valuesl",
          values.toString().getBytes(StandardCharsets.ISO_8859_1), "ee1:t2:aa1:y1:re");
      KrpcMessage message = decode(packet, new Query.GetPeers(QUERIER, INFO_HASH));
      GetPeersResponse response = (GetPeersResponse) message.body();
      assertThat(response.values()).hasSize(Response.MAX_VALUES);
      assertThat(response.values().get(99)).hasToString("192.0.2.99:6881");
    }

    @Test
    void dropsPeersAndNodesWithPortZero() throws Exception {
      byte[] portZeroNode = NODE_1.clone();
      portZeroNode[24] = 0;
      portZeroNode[25] = 0;
      KrpcMessage message = decode(packet(
          "d1:rd2:id20:mnopqrstuvwxyz1234565:nodes52:", portZeroNode, NODE_2,
          "6:valuesl6:", hex("c0000207 0000"), "6:", hex("c0000208 1ae1"), "e",
          "e1:t2:aa1:y1:re"), new Query.GetPeers(QUERIER, INFO_HASH));
      GetPeersResponse response = (GetPeersResponse) message.body();
      assertThat(response.nodes()).map(NodeInfo::toString).containsExactly("fedcba98…@127.0.0.1:51413");
      assertThat(response.values()).map(PeerAddress::toString).containsExactly("192.0.2.8:6881");
    }
  }
}
