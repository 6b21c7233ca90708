package dev.piecemeal.client.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.tracker.PeerAddress;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** BEP 11's ut_pex message, spelled out byte by byte against hand-written bencode. */
class PexMessageTest {

  /** Bencode text with {@code <hex>} runs for the raw bytes of compact peers. */
  static byte[] bencode(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : parts) {
      if (part.startsWith("<") && part.endsWith(">")) {
        out.writeBytes(HexFormat.of().parseHex(part.substring(1, part.length() - 1).replace(" ", "")));
      } else {
        out.writeBytes(part.getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toByteArray();
  }

  static PeerAddress peer(String ip, int port) throws Exception {
    return PeerAddress.of(ip, port);
  }

  @Test
  void encodesAddedFlagsAndDroppedAsBep11Says() throws Exception {
    PexMessage message = new PexMessage(
        List.of(new PexMessage.Peer(peer("127.0.0.1", 6881), PexMessage.REACHABLE),
            new PexMessage.Peer(peer("127.0.0.1", 6882), PexMessage.SEED)),
        List.of(peer("127.0.0.1", 6883)));

    assertThat(message.encode()).isEqualTo(bencode(
        "d",
        "5:added", "12:", "<7f000001 1ae1>", "<7f000001 1ae2>", // 127.0.0.1:6881, 127.0.0.1:6882
        "7:added.f", "2:", "<10 02>",                           // reachable; a seed
        "7:dropped", "6:", "<7f000001 1ae3>",                   // 127.0.0.1:6883
        "e"));
  }

  @Test
  void encodesIpv6PeersUnderTheirOwnKeys() throws Exception {
    PexMessage message = new PexMessage(List.of(new PexMessage.Peer(peer("::1", 6881), 0)), List.of(peer("::1", 6882)));

    assertThat(message.encode()).isEqualTo(bencode(
        "d",
        "5:added", "0:", "7:added.f", "0:",
        "6:added6", "18:", "<00000000000000000000000000000001 1ae1>",
        "8:added6.f", "1:", "<00>",
        "7:dropped", "0:",
        "8:dropped6", "18:", "<00000000000000000000000000000001 1ae2>",
        "e"));
  }

  @Test
  void anEmptyMessageKeepsItsThreeKeys() {
    assertThat(new PexMessage(List.of(), List.of()).encode())
        .isEqualTo(bencode("d5:added0:7:added.f0:7:dropped0:e"));
  }

  @Test
  void decodesWhatLibtorrentSends() throws Exception {
    PexMessage message = PexMessage.decode(bencode(
        "d",
        "5:added", "6:", "<c0000207 c8d5>",  // 192.0.2.7:51413
        "7:added.f", "1:", "<12>",            // reachable and a seed
        "6:added6", "18:", "<20010db8000000000000000000000001 1ae1>", // [2001:db8::1]:6881
        "8:added6.f", "1:", "<01>",
        "7:dropped", "6:", "<7f000001 1ae3>",
        "8:dropped6", "0:",
        "e"));

    assertThat(message.added()).containsExactly(
        new PexMessage.Peer(peer("192.0.2.7", 51413), PexMessage.REACHABLE | PexMessage.SEED),
        new PexMessage.Peer(peer("2001:db8::1", 6881), PexMessage.PREFERS_ENCRYPTION));
    assertThat(message.added().get(0).isSeed()).isTrue();
    assertThat(message.dropped()).containsExactly(peer("127.0.0.1", 6883));
  }

  @Test
  void readsBackWhatItWrites() throws Exception {
    PexMessage message = new PexMessage(
        List.of(new PexMessage.Peer(peer("10.0.0.1", 1), 0x1f), new PexMessage.Peer(peer("2001:db8::2", 65535), 0)),
        List.of(peer("10.0.0.2", 2), peer("2001:db8::3", 3)));

    assertThat(PexMessage.decode(message.encode())).isEqualTo(message);
  }

  @Test
  void takesAbsentFlagsAsNoFlagsAndAbsentListsAsEmpty() throws Exception {
    PexMessage message = PexMessage.decode(bencode("d5:added6:", "<7f000001 1ae1>", "e"));

    assertThat(message.added()).containsExactly(new PexMessage.Peer(peer("127.0.0.1", 6881), 0));
    assertThat(message.dropped()).isEmpty();
  }

  @Test
  void leavesOutPeersWithPortZero() throws Exception {
    PexMessage message = PexMessage.decode(bencode("d5:added12:", "<7f000001 0000 7f000001 1ae1>", "7:added.f2:",
        "<00 10>", "e"));

    assertThat(message.added()).containsExactly(new PexMessage.Peer(peer("127.0.0.1", 6881), PexMessage.REACHABLE));
  }

  @Nested
  class TooLarge {
    @Test
    void readsNoMoreThanAHundredAddedPeersOfAFlood() throws Exception {
      int peers = 1000; // 6,000 bytes: within the payload limit, ten times what is read
      ByteArrayOutputStream compact = new ByteArrayOutputStream();
      for (int i = 0; i < peers; i++) {
        compact.writeBytes(new byte[] {10, 0, (byte) (i >> 8), (byte) i, 0x1a, (byte) 0xe1});
      }
      byte[] payload = bencode("d5:added" + compact.size() + ":", "<" + HexFormat.of().formatHex(compact.toByteArray())
          + ">", "e");

      PexMessage message = PexMessage.decode(payload);

      assertThat(message.added()).hasSize(PexMessage.MAX_READ);
      assertThat(message.added().get(99).address()).isEqualTo(peer("10.0.0.99", 6881));
    }

    @Test
    void readsNoMoreThanAHundredAddedPeersOfBothFamiliesTogether() throws Exception {
      List<PexMessage.Peer> v4 = new ArrayList<>();
      List<PexMessage.Peer> v6 = new ArrayList<>();
      for (int i = 1; i <= 80; i++) {
        v4.add(new PexMessage.Peer(peer("10.0.0." + i, 6881), 0));
        v6.add(new PexMessage.Peer(peer("2001:db8::" + Integer.toHexString(i), 6881), 0));
      }
      byte[] payload = concat(new PexMessage(v4, List.of()).encode(), new PexMessage(v6, List.of()).encode());

      PexMessage message = PexMessage.decode(payload);

      assertThat(message.added()).hasSize(PexMessage.MAX_READ);
      assertThat(message.added().subList(0, 80)).isEqualTo(v4);
      assertThat(message.added().subList(80, 100)).isEqualTo(v6.subList(0, 20));
    }

    @Test
    void refusesAPayloadLongerThan16KiBBeforeDecodingIt() {
      byte[] payload = new byte[PexMessage.MAX_PAYLOAD + 1];

      assertThatThrownBy(() -> PexMessage.decode(payload))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: 16385 bytes, more than the 16384 a message may be");
    }

    /** Two messages' dictionaries merged into one (the second's keys are the IPv6 ones). */
    private byte[] concat(byte[] ipv4, byte[] ipv6) {
      String four = new String(ipv4, StandardCharsets.ISO_8859_1);
      String six = new String(ipv6, StandardCharsets.ISO_8859_1);
      String added = four.substring(1, four.indexOf("7:dropped"));
      String added6 = six.substring(six.indexOf("6:added6"), six.indexOf("7:dropped"));
      return ("d" + added + added6 + "7:dropped0:e").getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  @Nested
  class Malformed {
    @Test
    void refusesWhatIsNotBencode() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d5:added")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("ut_pex: not bencode: ");
    }

    @Test
    void refusesAListForADictionary() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("le")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: must be a dictionary, found list");
    }

    @Test
    void refusesAnIntegerForAdded() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d5:addedi6ee")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: added must be a string, found integer");
    }

    @Test
    void refusesAddedThatIsNotWholePeers() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d5:added7:", "<7f000001 1ae1 00>", "e")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: added is 7 bytes, not a multiple of 6 (one peer each)");
    }

    @Test
    void refusesFlagsThatAreNotOneBytePerAddedPeer() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d5:added6:", "<7f000001 1ae1>", "7:added.f2:", "<00 00>", "e")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: added.f is 2 bytes for the 1 peers of added: one flags byte per peer");
    }

    @Test
    void refusesAnAdded6ThatIsNotWholePeers() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d6:added66:", "<7f000001 1ae1>", "e")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: added6 is 6 bytes, not a multiple of 18 (one peer each)");
    }

    @Test
    void refusesAnAdded6FlagsOfTheWrongLength() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d8:added6.f1:", "<00>", "e")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: added6.f is 1 bytes for the 0 peers of added6: one flags byte per peer");
    }

    @Test
    void refusesADroppedThatIsNotWholePeers() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d7:dropped5:", "<7f000001 1a>", "e")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: dropped is 5 bytes, not a multiple of 6 (one peer each)");
    }

    @Test
    void refusesAListForDropped6() {
      assertThatThrownBy(() -> PexMessage.decode(bencode("d8:dropped6lee")))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("ut_pex: dropped6 must be a string, found list");
    }
  }
}
