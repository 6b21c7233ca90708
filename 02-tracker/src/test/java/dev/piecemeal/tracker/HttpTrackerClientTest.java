package dev.piecemeal.tracker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.piecemeal.testing.Hex.hex;
import static dev.piecemeal.tracker.AnnounceResponseParserTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.piecemeal.bencode.InfoHash;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** WireMock plays an HTTP tracker on 127.0.0.1, on an ephemeral port. */
class HttpTrackerClientTest {
  private static final byte[] TWO_PEERS =
      body("d8:intervali1800e5:peers12:", hex("7f000001 1ae1", "c0000207 c8d5"), "e");

  private static WireMockServer tracker;

  @BeforeAll
  static void startTracker() {
    tracker = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    tracker.start();
  }

  @AfterAll
  static void stopTracker() {
    tracker.stop();
  }

  @BeforeEach
  void forgetStubsAndRequests() {
    tracker.resetAll();
  }

  private static HttpTrackerClient client() {
    return client(Duration.ofSeconds(5));
  }

  private static HttpTrackerClient client(Duration timeout) {
    return new HttpTrackerClient(URI.create(tracker.baseUrl() + "/announce"), timeout);
  }

  private static void answer(int status, byte[] body) {
    tracker.stubFor(get(urlPathEqualTo("/announce")).willReturn(aResponse().withStatus(status).withBody(body)));
  }

  /** The request line's target as the tracker received it, not decoded. */
  private static String receivedUrl() {
    List<ServeEvent> events = tracker.getAllServeEvents();
    assertThat(events).hasSize(1);
    return events.get(0).getRequest().getUrl();
  }

  @Test
  void sendsTheExactQueryStringWithBinaryFieldsAsRawBytes() throws Exception {
    answer(200, TWO_PEERS);

    client().announce(TestRequests.started());

    assertThat(receivedUrl()).isEqualTo("/announce"
        + "?info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A"
        + "&peer_id=-PM0100-%00%01%02%03%04%05%06%07%08%09%0A%0B"
        + "&port=6881&uploaded=0&downloaded=0&left=1048576"
        + "&compact=1&event=started&numwant=50&key=1A2B3C4D");
  }

  /** Thirteen info-hashes carry every byte value 0x00..0xff; the tracker receives each one intact. */
  @Test
  void sendsEveryByteValueOfAnInfoHashIntact() throws Exception {
    answer(200, TWO_PEERS);
    HttpTrackerClient client = client();
    List<byte[]> sent = new ArrayList<>();
    for (int first = 0; first < 256; first += 20) {
      byte[] bytes = new byte[20];
      for (int i = 0; i < 20; i++) {
        bytes[i] = (byte) (first + i);
      }
      sent.add(bytes);
      AnnounceRequest request = new AnnounceRequest(InfoHash.fromBytes(bytes), TestRequests.PEER_ID,
          6881, 0, 0, 0, AnnounceEvent.STARTED, 50, 1);
      client.announce(request);
    }

    List<ServeEvent> events = new ArrayList<>(tracker.getAllServeEvents());
    java.util.Collections.reverse(events); // WireMock lists the newest first
    for (int i = 0; i < sent.size(); i++) {
      String query = URI.create(events.get(i).getRequest().getUrl()).getRawQuery();
      String infoHash = query.substring("info_hash=".length(), query.indexOf('&'));
      byte[] received = URLDecoder.decode(infoHash, StandardCharsets.ISO_8859_1)
          .getBytes(StandardCharsets.ISO_8859_1);
      assertThat(received).as("info-hash %d as sent: %s", i, infoHash).isEqualTo(sent.get(i));
    }
  }

  @Test
  void readsCompactPeers() throws Exception {
    answer(200, TWO_PEERS);

    AnnounceResponse response = client().announce(TestRequests.started());

    assertThat(response.interval()).isEqualTo(1800);
    assertThat(response.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881", "192.0.2.7:51413");
  }

  /** The body arrives in one-byte chunks over 100 ms: the reader must not assume one read is all. */
  @Test
  void readsABodyThatArrivesOneByteAtATime() throws Exception {
    tracker.stubFor(get(urlPathEqualTo("/announce"))
        .willReturn(aResponse().withBody(TWO_PEERS).withChunkedDribbleDelay(TWO_PEERS.length, 100)));

    assertThat(client().announce(TestRequests.started()).peers()).hasSize(2);
  }

  @Test
  void readsDictionaryPeers() throws Exception {
    answer(200, body("d8:intervali900e5:peersld2:ip9:127.0.0.17:peer id20:-TR3000-abcdefghijkl4:porti6881eeee"));

    AnnounceResponse response = client().announce(TestRequests.started());

    assertThat(response.peers()).map(PeerAddress::toString).containsExactly("127.0.0.1:6881");
    assertThat(response.peerIds()).hasSize(1);
  }

  @Test
  void readsPeers6() throws Exception {
    answer(200, body("d8:intervali900e6:peers618:", hex("00000000000000000000000000000001 1ae1"), "e"));

    assertThat(client().announce(TestRequests.started()).peers()).map(PeerAddress::toString)
        .containsExactly("[0:0:0:0:0:0:0:1]:6881");
  }

  @Test
  void readsTheWarning() throws Exception {
    answer(200, body("d8:intervali900e5:peers0:15:warning message11:slow down!!e"));

    assertThat(client().announce(TestRequests.started()).warning()).hasValue("slow down!!");
  }

  @Test
  void echoesTheTrackerIdInTheNextAnnounce() throws Exception {
    answer(200, body("d8:intervali900e5:peers0:10:tracker id4:T-42e"));
    HttpTrackerClient client = client();

    client.announce(TestRequests.started());
    client.announce(TestRequests.started().withEvent(AnnounceEvent.NONE));

    List<ServeEvent> events = tracker.getAllServeEvents(); // newest first
    assertThat(events.get(1).getRequest().getUrl()).doesNotContain("trackerid");
    assertThat(events.get(0).getRequest().getUrl()).endsWith("&trackerid=T-42");
  }

  @Test
  void followsARedirect() throws Exception {
    tracker.stubFor(get(urlPathEqualTo("/announce"))
        .willReturn(aResponse().withStatus(302).withHeader("Location", "/moved/announce?info_hash=x")));
    tracker.stubFor(get(urlPathEqualTo("/moved/announce")).willReturn(aResponse().withBody(TWO_PEERS)));

    assertThat(client().announce(TestRequests.started()).peers()).hasSize(2);
  }

  /** Redirects are followed by hand: how many, and to which URLs. */
  @Nested
  class Redirects {
    private void redirect(String from, String location) {
      tracker.stubFor(get(urlPathEqualTo(from))
          .willReturn(aResponse().withStatus(302).withHeader("Location", location)));
    }

    @Test
    void followsThreeRedirectsInARow() throws Exception {
      redirect("/announce", "/one");
      redirect("/one", "/two");
      redirect("/two", tracker.baseUrl() + "/three");
      tracker.stubFor(get(urlPathEqualTo("/three")).willReturn(aResponse().withBody(TWO_PEERS)));

      assertThat(client().announce(TestRequests.started()).peers()).hasSize(2);
      assertThat(tracker.getAllServeEvents()).hasSize(4);
    }

    @Test
    void refusesAFourthRedirect() {
      redirect("/announce", "/one");
      redirect("/one", "/two");
      redirect("/two", "/three");
      redirect("/three", "/four");
      tracker.stubFor(get(urlPathEqualTo("/four")).willReturn(aResponse().withBody(TWO_PEERS)));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessage("redirected more than 3 times (the last time to " + tracker.baseUrl() + "/four)"
              + " (tracker " + tracker.baseUrl() + "/announce)");
      assertThat(tracker.getAllServeEvents()).as("requests the tracker saw").hasSize(4);
    }

    /** A redirect that loops back to where it started ends at the fourth hop, not never. */
    @Test
    void refusesARedirectLoop() {
      tracker.stubFor(get(urlPathEqualTo("/announce"))
          .willReturn(aResponse().withStatus(301).withHeader("Location", "/announce")));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageStartingWith("redirected more than 3 times");
      assertThat(tracker.getAllServeEvents()).hasSize(4);
    }

    @Test
    void refusesARedirectToAnotherScheme() {
      redirect("/announce", "ftp://127.0.0.1/announce?info_hash=x");

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessage("redirected to ftp://127.0.0.1/announce?…: only http and https are followed"
              + " (tracker " + tracker.baseUrl() + "/announce)");
    }

    @Test
    void refusesARedirectToAFile() {
      redirect("/announce", "file:///etc/passwd");

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageStartingWith("redirected to file:///etc/passwd: only http and https are followed");
    }

    @Test
    void refusesARedirectWithoutALocation() {
      tracker.stubFor(get(urlPathEqualTo("/announce")).willReturn(aResponse().withStatus(307)));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageStartingWith("HTTP status 307 without a Location header (tracker ");
    }

    @Test
    void refusesARedirectToAnInvalidUrl() {
      redirect("/announce", "http://[not a url");

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageStartingWith("redirected to an invalid URL \"http://[not a url\" (tracker ");
    }

    /** Needs no TLS server: the rule looks at the two URLs alone. */
    @Test
    void refusesARedirectFromHttpsDownToHttp() {
      URI https = URI.create("https://tracker.example/announce");
      HttpTrackerClient client = new HttpTrackerClient(https, Duration.ofSeconds(1));

      assertThatThrownBy(() -> client.redirectTarget(https, 302, Optional.of("http://tracker.example/a"), 0))
          .isInstanceOf(TrackerException.class)
          .hasMessage("redirected from https to http://tracker.example/a: a redirect may not drop the"
              + " encryption (tracker https://tracker.example/announce)");
    }

    @Test
    void followsARedirectFromHttpUpToHttpsAndResolvesRelativeLocations() throws Exception {
      URI http = URI.create("http://tracker.example/path/announce");
      HttpTrackerClient client = new HttpTrackerClient(http, Duration.ofSeconds(1));

      assertThat(client.redirectTarget(http, 308, Optional.of("https://tracker.example/announce"), 0))
          .contains(URI.create("https://tracker.example/announce"));
      assertThat(client.redirectTarget(http, 303, Optional.of("moved?x=1"), 2))
          .contains(URI.create("http://tracker.example/path/moved?x=1"));
      assertThat(client.redirectTarget(http, 200, Optional.of("ftp://ignored/"), 3)).isEmpty();
    }
  }

  @Nested
  class Failures {
    @Test
    void turnsAFailureReasonIntoATypedFailure() {
      answer(200, body("d14:failure reason20:unregistered torrente"));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOfSatisfying(TrackerFailureException.class,
              e -> assertThat(e.trackerMessage()).isEqualTo("unregistered torrent"))
          .hasMessageContaining(tracker.baseUrl() + "/announce");
    }

    @Test
    void readsAFailureReasonSentWithAnErrorStatus() {
      answer(400, body("d14:failure reason17:invalid info_hashe"));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOfSatisfying(TrackerFailureException.class,
              e -> assertThat(e.trackerMessage()).isEqualTo("invalid info_hash"));
    }

    @Test
    void reportsAServerErrorWithItsStatus() {
      answer(500, body("Internal Server Error"));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .isNotInstanceOf(TrackerFailureException.class)
          .hasMessageContaining("HTTP status 500 (body starts \"Internal Server Error\")");
    }

    @Test
    void reportsABodyThatIsNotBencode() {
      answer(200, body("<html>it works!</html>"));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("response is not bencode")
          .hasMessageContaining("<html>it works!");
    }

    @Test
    void reportsAConnectionCutShortMidResponse() {
      tracker.stubFor(get(urlPathEqualTo("/announce"))
          .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("HTTP exchange failed")
          .hasMessageContaining(tracker.baseUrl());
    }

    @Test
    void givesUpOnASlowTracker() {
      tracker.stubFor(get(urlPathEqualTo("/announce"))
          .willReturn(aResponse().withBody(TWO_PEERS).withFixedDelay(2_000)));

      assertThatThrownBy(() -> client(Duration.ofMillis(200)).announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("no response within 200 ms");
    }

    /** The headers come at once, then the body a byte at a time over 5 s: the timeout covers the body too. */
    @Test
    void givesUpOnATrackerThatSendsItsBodyTooSlowly() {
      tracker.stubFor(get(urlPathEqualTo("/announce"))
          .willReturn(aResponse().withBody(TWO_PEERS).withChunkedDribbleDelay(TWO_PEERS.length, 5_000)));

      assertThatThrownBy(() -> client(Duration.ofMillis(300)).announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("no response within 300 ms");
    }

    @Test
    void refusesABodyLargerThanTheCap() {
      byte[] huge = new byte[HttpTrackerClient.MAX_RESPONSE_BYTES + 1];
      answer(200, huge);

      assertThatThrownBy(() -> client().announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("response body is larger than 2097152 bytes");
    }

    @Test
    void saysSoWhenNothingListens() throws Exception {
      int closedPort;
      try (ServerSocket probe = new ServerSocket(0)) {
        closedPort = probe.getLocalPort();
      }
      HttpTrackerClient client = new HttpTrackerClient(
          URI.create("http://127.0.0.1:" + closedPort + "/announce"), Duration.ofSeconds(5));

      assertThatThrownBy(() -> client.announce(TestRequests.started()))
          .isInstanceOf(TrackerException.class)
          .hasMessageContaining("could not connect");
    }
  }
}
