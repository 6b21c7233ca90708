package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AnnounceRequestTest {

  @Test
  void rejectsPortZero() {
    assertThatThrownBy(() -> new AnnounceRequest(
            TestRequests.INFO_HASH, TestRequests.PEER_ID, 0, 0, 0, 0, AnnounceEvent.STARTED, 50, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listen port 0");
  }

  @Test
  void rejectsNegativeCounters() {
    assertThatThrownBy(() -> new AnnounceRequest(
            TestRequests.INFO_HASH, TestRequests.PEER_ID, 6881, 0, 0, -1, AnnounceEvent.STARTED, 50, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }

  @Test
  void rejectsAskingForMorePeersThanAResponseKeeps() {
    assertThatThrownBy(() -> new AnnounceRequest(
            TestRequests.INFO_HASH, TestRequests.PEER_ID, 6881, 0, 0, 0, AnnounceEvent.STARTED,
            AnnounceResponse.MAX_PEERS + 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numwant 1001");
  }

  @Test
  void namesEventsByTheirWireNames() {
    assertThat(AnnounceEvent.fromName("started")).isEqualTo(AnnounceEvent.STARTED);
    assertThat(AnnounceEvent.STOPPED.wireName()).isEqualTo("stopped");
    assertThat(AnnounceEvent.COMPLETED.udpNumber()).isEqualTo(1);
    assertThatThrownBy(() -> AnnounceEvent.fromName("paused"))
        .hasMessageContaining("'paused' is not an announce event");
  }
}
