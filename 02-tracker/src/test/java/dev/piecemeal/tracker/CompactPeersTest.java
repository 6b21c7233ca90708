package dev.piecemeal.tracker;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CompactPeersTest {
  private static final String TRACKER = "http://127.0.0.1:6969/announce";

  private static List<PeerAddress> ipv4(byte[] bytes) throws TrackerException {
    PeerList peers = new PeerList();
    CompactPeers.decode(bytes, 0, bytes.length, CompactPeers.IPV4_ENTRY, "'peers'", TRACKER, peers);
    return peers.peers();
  }

  private static List<PeerAddress> ipv6(byte[] bytes) throws TrackerException {
    PeerList peers = new PeerList();
    CompactPeers.decode(bytes, 0, bytes.length, CompactPeers.IPV6_ENTRY, "'peers6'", TRACKER, peers);
    return peers.peers();
  }

  @Test
  void readsSixBytesPerIpv4Peer() throws Exception {
    List<PeerAddress> peers = ipv4(hex(
        "7f000001", "1ae1",    // 127.0.0.1:6881
        "c0000207", "c8d5"));  // 192.0.2.7:51413
    assertThat(peers).map(PeerAddress::toString).containsExactly("127.0.0.1:6881", "192.0.2.7:51413");
  }

  @Test
  void readsEighteenBytesPerIpv6Peer() throws Exception {
    List<PeerAddress> peers = ipv6(hex(
        "20010db8000000000000000000000001", "1ae1",   // [2001:db8::1]:6881
        "00000000000000000000000000000001", "ffff")); // [::1]:65535
    assertThat(peers).map(PeerAddress::toString)
        .containsExactly("[2001:db8:0:0:0:0:0:1]:6881", "[0:0:0:0:0:0:0:1]:65535");
  }

  @Test
  void readsAnEmptyStringAsNoPeers() throws Exception {
    assertThat(ipv4(new byte[0])).isEmpty();
  }

  @Test
  void keepsEachPeerOnce() throws Exception {
    List<PeerAddress> peers = ipv4(hex("7f000001 1ae1", "7f000001 1ae2", "7f000001 1ae1"));
    assertThat(peers).map(PeerAddress::toString).containsExactly("127.0.0.1:6881", "127.0.0.1:6882");
  }

  @Test
  void dropsAPeerWithPortZero() throws Exception {
    PeerList peers = new PeerList();
    byte[] bytes = hex("7f000001 0000", "7f000001 1ae1");
    CompactPeers.decode(bytes, 0, bytes.length, CompactPeers.IPV4_ENTRY, "'peers'", TRACKER, peers);
    assertThat(peers.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881");
    assertThat(peers.dropped()).isEqualTo(1);
  }

  @Test
  void keepsAtMostMaxPeers() throws Exception {
    byte[] bytes = new byte[(AnnounceResponse.MAX_PEERS + 5) * 6];
    for (int i = 0; i < AnnounceResponse.MAX_PEERS + 5; i++) {
      bytes[i * 6] = 10;                    // 10.0.x.y
      bytes[i * 6 + 2] = (byte) (i >> 8);
      bytes[i * 6 + 3] = (byte) i;
      bytes[i * 6 + 5] = 1;                 // port 1
    }
    assertThat(ipv4(bytes)).hasSize(AnnounceResponse.MAX_PEERS);
  }

  @Nested
  class Malformed {
    @Test
    void rejectsALengthThatIsNotAMultipleOfSix() {
      assertThatThrownBy(() -> ipv4(hex("7f000001 1ae1", "7f0000")))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("'peers' is 9 bytes, not a multiple of 6")
          .hasMessageContaining(TRACKER);
    }

    @Test
    void rejectsALengthThatIsNotAMultipleOfEighteen() {
      assertThatThrownBy(() -> ipv6(hex("7f000001 1ae1")))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("'peers6' is 6 bytes, not a multiple of 18");
    }
  }
}
