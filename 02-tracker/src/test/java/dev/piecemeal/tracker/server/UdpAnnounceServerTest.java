package dev.piecemeal.tracker.server;

import static dev.piecemeal.testing.Hex.hex;
import static dev.piecemeal.tracker.server.TestAnnounces.OTHER_TORRENT;
import static dev.piecemeal.tracker.server.TestAnnounces.TORRENT;
import static dev.piecemeal.tracker.server.TestAnnounces.peerId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.AnnounceRequest;
import dev.piecemeal.tracker.AnnounceResponse;
import dev.piecemeal.tracker.HttpTrackerClient;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.RetryPolicy;
import dev.piecemeal.tracker.TrackerFailureException;
import dev.piecemeal.tracker.UdpTrackerClient;
import dev.piecemeal.tracker.UdpTrackerMessages;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tracker's UDP side (BEP 15) on 127.0.0.1, announced to by this chapter's own {@link
 * UdpTrackerClient}; packets that client would never send go through a bare socket.
 */
class UdpAnnounceServerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** One send, one wait of 2 s: loopback loses nothing, and a refusal answers at once. */
  private static final RetryPolicy ONCE = new RetryPolicy(Duration.ofSeconds(2), 0);

  /** On a minute's boundary, so that "one to two minutes" is exactly two here. */
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = now::get;
  private TrackerServer tracker;
  private DatagramSocket socket;

  @AfterEach
  void close() {
    if (socket != null) {
      socket.close();
    }
    if (tracker != null) {
      tracker.close();
    }
  }

  private TrackerServer start(TrackerSettings settings) throws Exception {
    tracker = TrackerServer.start(LOOPBACK, 0, settings, clock, new Random(17));
    return tracker;
  }

  private UdpTrackerClient udpClient() {
    return new UdpTrackerClient(URI.create(tracker.udpAnnounceUrl()), ONCE, clock);
  }

  private static AnnounceRequest request(InfoHash torrent, int n, long left, AnnounceEvent event) {
    return new AnnounceRequest(torrent, peerId(n), 6880 + n, 0, 0, left, event, 50, n);
  }

  /** Sends one packet from our bare socket and returns the next packet that comes back. */
  private ByteBuffer exchange(byte[] request) throws Exception {
    send(request);
    byte[] buffer = new byte[2048];
    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
    socket.receive(reply);
    return ByteBuffer.wrap(Arrays.copyOf(buffer, reply.getLength()));
  }

  private void send(byte[] request) throws Exception {
    if (socket == null) {
      socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
      socket.setSoTimeout(5000);
    }
    socket.send(new DatagramPacket(request, request.length, new InetSocketAddress(LOOPBACK, tracker.port())));
  }

  /** A connect from our bare socket; the connection id the tracker gave. */
  private long connect(int transactionId) throws Exception {
    ByteBuffer reply = exchange(UdpTrackerMessages.connectRequest(transactionId));
    assertThat(reply.getInt()).as("action").isZero();
    assertThat(reply.getInt()).as("transaction id").isEqualTo(transactionId);
    return reply.getLong();
  }

  /** The text of an error reply (action 3) to {@code transactionId}. */
  private static String errorText(ByteBuffer reply, int transactionId) {
    assertThat(reply.getInt()).as("action: error").isEqualTo(3);
    assertThat(reply.getInt()).as("transaction id").isEqualTo(transactionId);
    return StandardCharsets.UTF_8.decode(reply).toString();
  }

  @Test
  void servesUdpOnTheSamePortNumberAsHttp() throws Exception {
    start(TrackerSettings.defaults());

    assertThat(tracker.udpAnnounceUrl()).isEqualTo("udp://127.0.0.1:" + tracker.port() + "/announce");
  }

  @Test
  void handsTheProjectsUdpClientThePeersThatAnnouncedOverHttp() throws Exception {
    start(TrackerSettings.defaults());
    new HttpTrackerClient(URI.create(tracker.announceUrl()), Duration.ofSeconds(5))
        .announce(request(TORRENT, 1, 0, AnnounceEvent.STARTED));

    AnnounceResponse answer = udpClient().announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));

    assertThat(answer.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881");
    assertThat(answer.interval()).isEqualTo(1800);
    assertThat(answer.seeders()).hasValue(1);
    assertThat(answer.leechers()).hasValue(1);
  }

  @Test
  void forgetsAPeerThatStoppedOverUdp() throws Exception {
    start(TrackerSettings.defaults());
    UdpTrackerClient client = udpClient();
    client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
    client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STOPPED));

    AnnounceResponse answer = client.announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));

    assertThat(answer.peers()).isEmpty();
  }

  @Test
  void refusesWithAnErrorReplyInTheTrackersWords() throws Exception {
    start(TrackerSettings.defaults().servingOnly(Set.of(TORRENT)));

    assertThatThrownBy(() -> udpClient().announce(request(OTHER_TORRENT, 1, 1000, AnnounceEvent.STARTED)))
        .isInstanceOfSatisfying(TrackerFailureException.class, e -> assertThat(e.trackerMessage())
            .isEqualTo("torrent " + OTHER_TORRENT.hex() + " is not served by this tracker"));
  }

  @Nested
  class ConnectionIds {
    private byte[] announceWith(long connectionId, int transactionId) {
      return UdpTrackerMessages.announceRequest(connectionId, transactionId, request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
    }

    @Test
    void acceptsAConnectionIdForTwoMinutesAndNotAfter() throws Exception {
      start(TrackerSettings.defaults());
      long connectionId = connect(1);

      now.set(now.get().plusSeconds(119));
      ByteBuffer accepted = exchange(announceWith(connectionId, 2));
      now.set(now.get().plusSeconds(1));
      ByteBuffer refused = exchange(announceWith(connectionId, 3));

      assertThat(accepted.getInt()).as("119 s: action announce").isEqualTo(1);
      assertThat(errorText(refused, 3)).as("120 s")
          .isEqualTo("connection id is unknown or older than two minutes; connect again");
    }

    @Test
    void refusesAnAnnounceWithAConnectionIdItNeverGave() throws Exception {
      start(TrackerSettings.defaults());

      assertThat(errorText(exchange(announceWith(0x1234L, 7)), 7))
          .isEqualTo("connection id is unknown or older than two minutes; connect again");
    }

    /** Silence is shown without a timeout: the answer that comes first is the later request's. */
    @Test
    void ignoresAShortPacketWithAConnectionIdItNeverGave() throws Exception {
      start(TrackerSettings.defaults());

      send(hex("0000000000001234", "00000002", "00000009")); // a scrape's 16-byte header, no id of ours
      long connectionId = connect(10);

      assertThat(connectionId).as("the first reply answers the connect").isNotZero();
    }

    @Test
    void ignoresAConnectWithoutTheMagicNumber() throws Exception {
      start(TrackerSettings.defaults());

      send(hex("0000000000000000", "00000000", "00000009"));

      assertThat(connect(10)).as("the first reply answers the real connect").isNotZero();
    }
  }

  @Nested
  class Malformed {
    @Test
    void refusesAnAnnounceShorterThan98Bytes() throws Exception {
      start(TrackerSettings.defaults());
      long connectionId = connect(1);
      byte[] cut = Arrays.copyOf(UdpTrackerMessages.announceRequest(connectionId, 2,
          request(TORRENT, 1, 1000, AnnounceEvent.STARTED)), 50);

      assertThat(errorText(exchange(cut), 2)).isEqualTo("announce is 50 bytes, expected 98");
    }

    @Test
    void refusesAnUnknownEvent() throws Exception {
      start(TrackerSettings.defaults());
      long connectionId = connect(1);
      byte[] announce = UdpTrackerMessages.announceRequest(connectionId, 2, request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
      ByteBuffer.wrap(announce).putInt(80, 9); // the event field

      assertThat(errorText(exchange(announce), 2)).isEqualTo("event 9 is not 0, 1, 2 or 3");
    }

    @Test
    void answersAScrapeWithAnError() throws Exception {
      start(TrackerSettings.defaults());
      long connectionId = connect(1);
      byte[] scrape = ByteBuffer.allocate(36).putLong(connectionId).putInt(2).putInt(3).put(TORRENT.bytes()).array();

      assertThat(errorText(exchange(scrape), 3)).isEqualTo("action 2 is not supported (connect 0 and announce 1 are)");
    }
  }

  @Test
  void closeEndsTheUdpThread() throws Exception {
    start(TrackerSettings.defaults());
    udpClient().announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
    String name = "tracker-" + tracker.port() + "-udp";

    tracker.close();

    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().equals(name) && thread.isAlive());
  }
}
