package dev.piecemeal.tracker;

import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpTrackerClientTest {
  /** 50 ms, then 100 ms: a lost packet costs the test 50 ms, not BEP 15's 15 s. */
  private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(50), 1);

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = now::get;
  private FakeUdpTracker tracker;

  @AfterEach
  void stopTracker() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private UdpTrackerClient client(String loopback, RetryPolicy retry) throws Exception {
    tracker = new FakeUdpTracker(loopback);
    return new UdpTrackerClient(URI.create(tracker.url()), retry, clock);
  }

  @Test
  void connectsThenAnnouncesAndReadsThePeers() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", FAST);
    tracker.peers = hex("7f000001 1ae1", "c0000207 c8d5");

    AnnounceResponse response = client.announce(TestRequests.started());

    assertThat(response.interval()).isEqualTo(1800);
    assertThat(response.seeders()).hasValue(5);
    assertThat(response.leechers()).hasValue(2);
    assertThat(response.peers()).map(PeerAddress::toString)
        .containsExactly("127.0.0.1:6881", "192.0.2.7:51413");
    assertThat(tracker.connectsReceived).hasValue(1);
  }

  @Test
  void readsIpv6PeersFromATrackerReachedOverIpv6() throws Exception {
    UdpTrackerClient client = client("::1", FAST);
    tracker.peers = hex("20010db8000000000000000000000001 1ae1");

    AnnounceResponse response = client.announce(TestRequests.started());

    assertThat(response.peers()).map(PeerAddress::toString).containsExactly("[2001:db8:0:0:0:0:0:1]:6881");
  }

  @Test
  void ignoresAReplyWithAWrongTransactionId() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", FAST);
    tracker.wrongTransactionIdFirst = true;
    tracker.peers = hex("7f000001 1ae1");

    assertThat(client.announce(TestRequests.started()).peers()).hasSize(1);
  }

  @Test
  void failsNamingTheWrongTransactionIdsWhenNoRightReplyComes() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", new RetryPolicy(Duration.ofMillis(20), 1));
    tracker.wrongTransactionIdOnly = true;

    assertThatThrownBy(() -> client.announce(TestRequests.started()))
        .isInstanceOf(TrackerException.class)
        .hasMessageContaining("no reply after 2 sends over 60 ms (ignored 2 with a wrong transaction id)");
  }

  @Test
  void surfacesTheErrorActionsMessage() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", FAST);
    tracker.refuseWith = "torrent not in whitelist";

    assertThatThrownBy(() -> client.announce(TestRequests.started()))
        .isInstanceOfSatisfying(TrackerFailureException.class,
            e -> assertThat(e.trackerMessage()).isEqualTo("torrent not in whitelist"))
        .hasMessageContaining(tracker.url());
  }

  @Test
  void sendsTheAnnounceAgainWhenItIsLost() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", FAST);
    tracker.announcesToLose.set(1);
    tracker.peers = hex("7f000001 1ae1");

    assertThat(client.announce(TestRequests.started()).peers()).hasSize(1);
    assertThat(tracker.announcesReceived).as("the lost announce, then its retransmission").hasValue(2);
    assertThat(tracker.connectsReceived).hasValue(1);
  }

  @Test
  void givesUpAfterThePolicysLastSend() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", new RetryPolicy(Duration.ofMillis(20), 2));
    tracker.announcesToLose.set(100);

    assertThatThrownBy(() -> client.announce(TestRequests.started()))
        .isInstanceOf(TrackerException.class)
        .hasMessageContaining("no reply after 3 sends over 140 ms");
    // The connect was answered; then the announce was sent 3 times.
    assertThat(tracker.announcesReceived).hasValue(3);
  }

  @Test
  void reusesTheConnectionIdWithinAMinute() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", FAST);
    client.announce(TestRequests.started());
    now.set(now.get().plusSeconds(59));
    client.announce(TestRequests.started().withEvent(AnnounceEvent.NONE));

    assertThat(tracker.connectsReceived).hasValue(1);
    assertThat(tracker.announcesReceived).hasValue(2);
  }

  @Test
  void connectsAgainOnceTheConnectionIdHasExpired() throws Exception {
    UdpTrackerClient client = client("127.0.0.1", FAST);
    client.announce(TestRequests.started());
    now.set(now.get().plusSeconds(60));
    client.announce(TestRequests.started().withEvent(AnnounceEvent.NONE));

    assertThat(tracker.connectsReceived).hasValue(2);
  }

  @Test
  void failsAtOnceWhenNothingListens() throws Exception {
    int closedPort;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      closedPort = probe.getLocalPort();
    }
    // A long first timeout: only the port-unreachable signal can end this test quickly.
    UdpTrackerClient client = new UdpTrackerClient(
        URI.create("udp://127.0.0.1:" + closedPort + "/announce"),
        new RetryPolicy(Duration.ofSeconds(30), 0), clock);

    assertThatThrownBy(() -> client.announce(TestRequests.started()))
        .isInstanceOf(TrackerException.class)
        .hasMessageContaining("nothing listens on UDP 127.0.0.1:" + closedPort + " (port unreachable)");
  }
}
