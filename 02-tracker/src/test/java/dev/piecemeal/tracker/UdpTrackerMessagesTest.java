package dev.piecemeal.tracker;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.tracker.UdpTrackerMessages.AnnounceReply;
import dev.piecemeal.tracker.UdpTrackerMessages.ConnectReply;
import dev.piecemeal.tracker.UdpTrackerMessages.ErrorReply;
import dev.piecemeal.tracker.UdpTrackerMessages.Reply;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class UdpTrackerMessagesTest {
  private static final String TRACKER = "udp://127.0.0.1:6969/announce";

  private static Reply read(byte[] packet, boolean ipv6) throws TrackerException {
    return UdpTrackerMessages.readReply(packet, packet.length, ipv6, TRACKER);
  }

  @Test
  void writesTheConnectRequest() {
    assertThat(UdpTrackerMessages.connectRequest(0x0badf00d)).isEqualTo(hex(
        "0000041727101980",   // protocol id, the magic
        "00000000",           // action 0: connect
        "0badf00d"));         // transaction id
  }

  @Test
  void writesTheAnnounceRequest() {
    assertThat(UdpTrackerMessages.announceRequest(0x1122334455667788L, 7, TestRequests.started()))
        .isEqualTo(hex(
            "1122334455667788",                           // connection id
            "00000001",                                   // action 1: announce
            "00000007",                                   // transaction id
            "123456789abcdef123456789abcdef123456789a",   // info hash
            "2d504d303130302d000102030405060708090a0b",   // peer id
            "0000000000000000",                           // downloaded
            "0000000000100000",                           // left: 1 MiB
            "0000000000000000",                           // uploaded
            "00000002",                                   // event 2: started
            "00000000",                                   // IP address: the sender's
            "1a2b3c4d",                                   // key
            "00000032",                                   // numwant 50
            "1ae1"));                                     // port 6881
  }

  @Test
  void readsAConnectReply() throws Exception {
    Reply reply = read(hex(
        "00000000",            // action 0: connect
        "0badf00d",            // transaction id
        "1122334455667788"),   // connection id
        false);
    assertThat(reply).isEqualTo(new ConnectReply(0x0badf00d, 0x1122334455667788L));
  }

  @Test
  void readsAnAnnounceReplyWithIpv4Peers() throws Exception {
    Reply reply = read(hex(
        "00000001",        // action 1: announce
        "00000007",        // transaction id
        "00000708",        // interval 1800 s
        "00000002",        // leechers
        "00000003",        // seeders
        "7f000001 1ae1",   // 127.0.0.1:6881
        "c0000207 c8d5"),  // 192.0.2.7:51413
        false);
    AnnounceResponse response = ((AnnounceReply) reply).response();
    assertThat(response.interval()).isEqualTo(1800);
    assertThat(response.leechers()).hasValue(2);
    assertThat(response.seeders()).hasValue(3);
    assertThat(response.peers()).map(PeerAddress::toString)
        .containsExactly("127.0.0.1:6881", "192.0.2.7:51413");
  }

  @Test
  void readsEighteenBytePeersWhenTheTrackerWasReachedOverIpv6() throws Exception {
    Reply reply = read(hex(
        "00000001", "00000007", "00000708", "00000000", "00000001",
        "00000000000000000000000000000001 1ae1"),  // [::1]:6881
        true);
    assertThat(((AnnounceReply) reply).response().peers()).map(PeerAddress::toString)
        .containsExactly("[0:0:0:0:0:0:0:1]:6881");
  }

  @Test
  void readsAnErrorReplysMessage() throws Exception {
    Reply reply = read(hex(
        "00000003",    // action 3: error
        "00000007",    // transaction id
        "756e72656769737465726564"),  // "unregistered"
        false);
    assertThat(reply).isEqualTo(new ErrorReply(7, "unregistered"));
  }

  @Nested
  class Malformed {
    @Test
    void rejectsAReplyShorterThanItsHeader() {
      assertThatThrownBy(() -> read(hex("000000", "01"), false))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("reply is 4 bytes, shorter than its 8-byte header");
    }

    @Test
    void rejectsAConnectReplyWithoutItsConnectionId() {
      assertThatThrownBy(() -> read(hex("00000000", "00000007", "11223344"), false))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("connect reply is 12 bytes, shorter than 16");
    }

    @Test
    void rejectsAnAnnounceReplyWithAPartPeer() {
      assertThatThrownBy(() -> read(hex(
              "00000001", "00000007", "00000708", "00000000", "00000001", "7f000001 1a"), false))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("is 5 bytes, not a multiple of 6");
    }

    /** Captured from opentracker, for a torrent not in its whitelist: action and transaction id only. */
    @Test
    void rejectsAnAnnounceReplyWithNothingAfterItsHeader() {
      assertThatThrownBy(() -> read(hex("00000001", "51f7bc53"), false))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("announce reply has no interval and no peers (8 bytes)");
    }

    @Test
    void rejectsAnAnnounceReplyCutInsideItsHeader() {
      assertThatThrownBy(() -> read(hex("00000001", "00000007", "00000708"), false))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("announce reply is 12 bytes, shorter than 20");
    }

    @Test
    void rejectsAnUnknownAction() {
      assertThatThrownBy(() -> read(hex("00000002", "00000007"), false))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("unknown action 2")
          .hasMessageContaining(TRACKER);
    }

    @Test
    void rejectsAZeroInterval() {
      assertThatThrownBy(() -> read(hex("00000001", "00000007", "00000000", "00000000", "00000000"), false))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("interval 0");
    }
  }
}
