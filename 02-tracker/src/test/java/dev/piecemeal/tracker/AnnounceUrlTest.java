package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnnounceUrlTest {
  private static final URI TRACKER = URI.create("http://127.0.0.1:6969/announce");

  @Test
  void spellsEveryFieldOfAStartedAnnounce() {
    URI url = AnnounceUrl.of(TRACKER, TestRequests.started(), Optional.empty());
    assertThat(url.toString())
        .isEqualTo(
            "http://127.0.0.1:6969/announce"
                + "?info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A"
                + "&peer_id=-PM0100-%00%01%02%03%04%05%06%07%08%09%0A%0B"
                + "&port=6881&uploaded=0&downloaded=0&left=1048576"
                + "&compact=1&event=started&numwant=50&key=1A2B3C4D");
  }

  @Test
  void leavesTheEventOutOfARegularAnnounce() {
    URI url = AnnounceUrl.of(TRACKER, TestRequests.started().withEvent(AnnounceEvent.NONE), Optional.empty());
    assertThat(url.getRawQuery()).doesNotContain("event=");
  }

  @Test
  void addsToAQueryTheTrackerUrlAlreadyHas() {
    URI url = AnnounceUrl.of(
        URI.create("http://tracker.example/announce?passkey=abc"), TestRequests.started(), Optional.empty());
    assertThat(url.getRawQuery()).startsWith("passkey=abc&info_hash=%124Vx");
  }

  @Test
  void echoesTheTrackerIdWhenThereIsOne() {
    URI url = AnnounceUrl.of(TRACKER, TestRequests.started(), Optional.of("id 7&x"));
    assertThat(url.getRawQuery()).endsWith("&trackerid=id%207%26x");
  }

  @Test
  void writesTheKeyAsEightHexDigitsEvenWhenNegative() {
    AnnounceRequest request = new AnnounceRequest(
        TestRequests.INFO_HASH, TestRequests.PEER_ID, 6881, 0, 0, 0, AnnounceEvent.NONE, 0, -1);
    assertThat(AnnounceUrl.of(TRACKER, request, Optional.empty()).getRawQuery()).endsWith("&key=FFFFFFFF");
  }
}
