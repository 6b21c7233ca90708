package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrackersTest {

  @Test
  void choosesTheClientByScheme() throws Exception {
    assertThat(Trackers.forUrl("http://127.0.0.1:6969/announce")).isInstanceOf(HttpTrackerClient.class);
    assertThat(Trackers.forUrl("HTTPS://tracker.example/announce")).isInstanceOf(HttpTrackerClient.class);
    assertThat(Trackers.forUrl("udp://127.0.0.1:6969/announce")).isInstanceOf(UdpTrackerClient.class);
  }

  @Test
  void keepsTheUrlAsTheTorrentWroteIt() throws Exception {
    assertThat(Trackers.forUrl("udp://127.0.0.1:6969/announce").url()).isEqualTo("udp://127.0.0.1:6969/announce");
  }

  @Test
  void refusesAnUnsupportedScheme() {
    assertThatThrownBy(() -> Trackers.forUrl("wss://tracker.example/announce"))
        .isInstanceOf(TrackerException.class)
        .hasMessageContaining("unsupported tracker scheme 'wss' (supported: http, https, udp)")
        .hasMessageContaining("wss://tracker.example/announce");
  }

  @Test
  void refusesAUdpUrlWithoutAPort() {
    assertThatThrownBy(() -> Trackers.forUrl("udp://tracker.example/announce"))
        .isInstanceOf(TrackerException.class)
        .hasMessageContaining("has no port");
  }

  @Test
  void refusesTextThatIsNotAUrl() {
    assertThatThrownBy(() -> Trackers.forUrl("http://bad host/announce"))
        .isInstanceOf(TrackerException.class)
        .hasMessageContaining("not a valid URL");
  }
}
