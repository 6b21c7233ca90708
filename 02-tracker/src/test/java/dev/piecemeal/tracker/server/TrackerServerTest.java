package dev.piecemeal.tracker.server;

import static dev.piecemeal.tracker.server.TestAnnounces.OTHER_TORRENT;
import static dev.piecemeal.tracker.server.TestAnnounces.TORRENT;
import static dev.piecemeal.tracker.server.TestAnnounces.peerId;
import static dev.piecemeal.tracker.server.TestAnnounces.rawQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.AnnounceRequest;
import dev.piecemeal.tracker.AnnounceResponse;
import dev.piecemeal.tracker.AnnounceResponseParser;
import dev.piecemeal.tracker.HttpTrackerClient;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.TrackerFailureException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tracker on 127.0.0.1 and an ephemeral port, announced to by this chapter's own {@link
 * HttpTrackerClient}; requests the client would never send go through the JDK's HTTP client.
 */
class TrackerServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = now::get;
  private TrackerServer tracker;

  @AfterEach
  void closeTracker() {
    if (tracker != null) {
      tracker.close();
    }
  }

  private TrackerServer start(TrackerSettings settings) throws IOException {
    tracker = TrackerServer.start(LOOPBACK, 0, settings, clock, new Random(17));
    return tracker;
  }

  private HttpTrackerClient client() {
    return new HttpTrackerClient(URI.create(tracker.announceUrl()), TIMEOUT);
  }

  /** Peer {@code n} of {@code torrent}, listening on port 6880 + n, as the project's client sends it. */
  private static AnnounceRequest request(InfoHash torrent, int n, long left, AnnounceEvent event) {
    return new AnnounceRequest(torrent, peerId(n), 6880 + n, 0, 0, left, event, 50, n);
  }

  /** A GET of the announce URL with this raw query; the body as it came. */
  private HttpResponse<byte[]> get(String path, String rawQuery) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + tracker.port() + path + "?" + rawQuery);
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String failureReason(HttpResponse<byte[]> response) {
    return AnnounceResponseParser.failureReasonIfAny(response.body()).orElseThrow();
  }

  @Test
  void bindsAnEphemeralPortAndNamesItInTheAnnounceUrl() throws Exception {
    start(TrackerSettings.defaults());

    assertThat(tracker.port()).isPositive();
    assertThat(tracker.announceUrl()).isEqualTo("http://127.0.0.1:" + tracker.port() + "/announce");
  }

  @Test
  void handsTheProjectsClientTheOtherPeersInTheCompactForm() throws Exception {
    start(TrackerSettings.defaults());
    HttpTrackerClient client = client();

    AnnounceResponse first = client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
    AnnounceResponse second = client.announce(request(TORRENT, 2, 0, AnnounceEvent.STARTED));
    AnnounceResponse again = client.announce(request(TORRENT, 1, 1000, AnnounceEvent.NONE));

    assertThat(first.peers()).isEmpty();
    assertThat(second.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881");
    assertThat(again.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6882");
    assertThat(again.interval()).isEqualTo(1800);
    assertThat(again.minInterval()).hasValue(900);
    assertThat(again.seeders()).as("peer 2 has left 0").hasValue(1);
    assertThat(again.leechers()).hasValue(1);
  }

  @Test
  void answersTheDictionaryFormWithPeerIdsWhenNotAskedForCompact() throws Exception {
    start(TrackerSettings.defaults());
    client().announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));

    HttpResponse<byte[]> response = get("/announce", rawQuery("&event=started"));
    AnnounceResponse answer = AnnounceResponseParser.parse(response.body(), tracker.announceUrl());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(answer.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6882");
    assertThat(answer.peerIds()).containsEntry(PeerAddress.of("127.0.0.1", 6882), peerId(2));
  }

  @Test
  void givesOutTheAddressTheRequestCameFromNotTheIpParameter() throws Exception {
    start(TrackerSettings.defaults());
    get("/announce", rawQuery("&ip=192.0.2.99"));

    AnnounceResponse answer = client().announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));

    assertThat(answer.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881");
  }

  @Test
  void handsOutIpv6PeersInPeers6() throws Exception {
    tracker = TrackerServer.start(InetAddress.getByName("::1"), 0, TrackerSettings.defaults(), clock, new Random(17));
    HttpTrackerClient client = client();
    client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));

    AnnounceResponse answer = client.announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));

    assertThat(tracker.announceUrl()).startsWith("http://[0:0:0:0:0:0:0:1]:");
    assertThat(answer.peers()).map(PeerAddress::toString).containsExactly("[0:0:0:0:0:0:0:1]:6881");
  }

  @Test
  void forgetsAPeerThatStopped() throws Exception {
    start(TrackerSettings.defaults());
    HttpTrackerClient client = client();
    client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
    client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STOPPED));

    AnnounceResponse answer = client.announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));

    assertThat(answer.peers()).isEmpty();
    assertThat(answer.leechers()).hasValue(1);
  }

  @Test
  void forgetsAPeerTwiceTheIntervalAfterItsLastAnnounce() throws Exception {
    start(TrackerSettings.defaults().withInterval(10));
    HttpTrackerClient client = client();
    client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));

    now.set(now.get().plusSeconds(19));
    AnnounceResponse before = client.announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));
    now.set(now.get().plusSeconds(1));
    AnnounceResponse after = client.announce(request(TORRENT, 2, 1000, AnnounceEvent.NONE));

    assertThat(before.interval()).isEqualTo(10);
    assertThat(before.peers()).as("19 s after peer 1's announce").hasSize(1);
    assertThat(after.peers()).as("20 s after").isEmpty();
  }

  @Nested
  class Refusals {
    @Test
    void refusesAnInfoHashOfTheWrongLengthWithAFailureReason() throws Exception {
      start(TrackerSettings.defaults());

      HttpResponse<byte[]> response = get("/announce", rawQuery("").replaceFirst("info_hash=%12", "info_hash="));

      assertThat(response.statusCode()).as("BEP 3 refuses in the body").isEqualTo(200);
      assertThat(failureReason(response))
          .isEqualTo("info_hash is 19 bytes, expected 20 (percent-encoded raw bytes, not hex)");
    }

    @Test
    void refusesAnAnnounceWithoutAPort() throws Exception {
      start(TrackerSettings.defaults());

      assertThat(failureReason(get("/announce", rawQuery("").replace("&port=6881", ""))))
          .isEqualTo("missing parameter port");
    }

    @Test
    void refusesANumwantThatIsNotANumber() throws Exception {
      start(TrackerSettings.defaults());

      assertThat(failureReason(get("/announce", rawQuery("&numwant=many"))))
          .isEqualTo("numwant 'many' is not a decimal number");
    }

    @Test
    void answersAnotherPathWith404AndAReason() throws Exception {
      start(TrackerSettings.defaults());

      HttpResponse<byte[]> response = get("/scrape", rawQuery(""));

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(failureReason(response)).isEqualTo("no such path /scrape; announce to /announce");
    }

    @Test
    void answersAMethodOtherThanGetWith405() throws Exception {
      start(TrackerSettings.defaults());
      URI uri = URI.create(tracker.announceUrl() + "?" + rawQuery(""));

      HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(failureReason(response)).isEqualTo("method POST is not GET");
    }

    @Test
    void tellsTheProjectsClientThatATorrentIsNotServed() throws Exception {
      start(TrackerSettings.defaults().servingOnly(Set.of(TORRENT)));

      assertThatThrownBy(() -> client().announce(request(OTHER_TORRENT, 1, 1000, AnnounceEvent.STARTED)))
          .isInstanceOfSatisfying(TrackerFailureException.class, e -> assertThat(e.trackerMessage())
              .isEqualTo("torrent " + OTHER_TORRENT.hex() + " is not served by this tracker"));
    }

    @Test
    void refusesAPeerBeyondTheCapOfATorrent() throws Exception {
      start(TrackerSettings.defaults().withCaps(10, 2));
      HttpTrackerClient client = client();
      client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
      client.announce(request(TORRENT, 2, 1000, AnnounceEvent.STARTED));

      assertThatThrownBy(() -> client.announce(request(TORRENT, 3, 1000, AnnounceEvent.STARTED)))
          .isInstanceOfSatisfying(TrackerFailureException.class, e -> assertThat(e.trackerMessage())
              .isEqualTo("torrent " + TORRENT.hex() + " has 2 peers, the most this tracker holds for one torrent"));
    }

    @Test
    void refusesATorrentBeyondTheCap() throws Exception {
      start(TrackerSettings.defaults().withCaps(1, 10));
      HttpTrackerClient client = client();
      client.announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));

      assertThatThrownBy(() -> client.announce(request(OTHER_TORRENT, 1, 1000, AnnounceEvent.STARTED)))
          .isInstanceOf(TrackerFailureException.class)
          .hasMessageContaining("this tracker holds 1 torrents, its most");
      assertThat(tracker.torrents().torrentCount()).isEqualTo(1);
    }
  }

  @Test
  void closeStopsListeningAndEndsItsThreads() throws Exception {
    start(TrackerSettings.defaults());
    client().announce(request(TORRENT, 1, 1000, AnnounceEvent.STARTED));
    int port = tracker.port();

    tracker.close();

    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(LOOPBACK, port), 1000);
      }
    }).isInstanceOf(ConnectException.class);
    assertThat(Thread.getAllStackTraces().keySet())
        .as("no handler thread of this tracker is left")
        .noneMatch(thread -> thread.getName().startsWith("tracker-" + port + "-") && thread.isAlive());
  }
}
