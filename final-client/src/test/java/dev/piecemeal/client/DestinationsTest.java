package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.testing.TorrentCorpus;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loopback-only: what may be contacted, and proof that a download contacts nothing else. */
class DestinationsTest {
  @TempDir Path folder;

  @Nested
  class Addresses {
    @Test
    void loopbackOnlyAllowsLoopbackAddressesAlone() throws Exception {
      assertThat(Destinations.LOOPBACK_ONLY.allows(PeerAddress.of("127.0.0.1", 6881))).isTrue();
      assertThat(Destinations.LOOPBACK_ONLY.allows(PeerAddress.of("127.5.6.7", 6881))).isTrue();
      assertThat(Destinations.LOOPBACK_ONLY.allows(PeerAddress.of("::1", 6881))).isTrue();
      assertThat(Destinations.LOOPBACK_ONLY.allows(PeerAddress.of("192.0.2.1", 6881))).isFalse();
      assertThat(Destinations.LOOPBACK_ONLY.allows(PeerAddress.of("2001:db8::1", 6881))).isFalse();
      assertThat(Destinations.LOOPBACK_ONLY.allows(InetSocketAddress.createUnresolved("localhost", 6881)))
          .as("an unresolved name is never looked up").isFalse();
    }

    @Test
    void anyAllowsEveryAddress() throws Exception {
      assertThat(Destinations.ANY.allows(PeerAddress.of("192.0.2.1", 6881))).isTrue();
      assertThat(Destinations.ANY.allowsTracker("http://tracker.example.org/announce")).isTrue();
    }
  }

  @Nested
  class Trackers {
    @Test
    void loopbackOnlyAllowsLoopbackLiteralsAlone() {
      assertThat(Destinations.LOOPBACK_ONLY.allowsTracker("http://127.0.0.1:8000/announce")).isTrue();
      assertThat(Destinations.LOOPBACK_ONLY.allowsTracker("udp://127.0.0.1:8000")).isTrue();
      assertThat(Destinations.LOOPBACK_ONLY.allowsTracker("http://[::1]:8000/announce")).isTrue();
      assertThat(Destinations.LOOPBACK_ONLY.allowsTracker("http://192.0.2.1/announce")).isFalse();
    }

    @Test
    void refusesEveryHostNameWithoutLookingItUp() {
      assertThat(Destinations.LOOPBACK_ONLY.allowsTracker("http://tracker.example.org/announce")).isFalse();
      assertThat(Destinations.LOOPBACK_ONLY.allowsTracker("http://localhost:8000/announce"))
          .as("a name, even this one, would be a DNS lookup").isFalse();
      assertThat(Destinations.LOOPBACK_ONLY.allowsTracker("not a url")).isFalse();
    }

    /** The corpus's sample names a public tracker: a loopback-only announcer has no tracker left. */
    @Test
    void announcerLeavesOutTheCorpusSamplesPublicTracker() throws Exception {
      Metainfo sample = Metainfo.fromFile(TorrentCorpus.file("sample.torrent"));
      assertThat(sample.trackerTiers()).isNotEmpty();
      List<String> log = new ArrayList<>();
      Announcer announcer = new Announcer(new AnnounceSetup(sample.trackerTiers(), sample.infoHash(),
          PeerId.random(), 6881, 42, Duration.ofSeconds(5), Duration.ZERO, Destinations.LOOPBACK_ONLY),
          new Progress(sample.totalLength(), sample.pieceCount(), 0), log::add);
      try {
        assertThat(announcer.hasTrackers()).isFalse();
        assertThat(log).allSatisfy(line -> assertThat(line).contains("skipped"));
      } finally {
        announcer.close();
      }
    }
  }

  /** A torrent naming a public tracker, given a public peer: the download contacts neither. */
  @Test
  void loopbackOnlyDownloadContactsNoPublicTrackerOrPeer() throws Exception {
    byte[] data = TestData.bytes(4 * 16 * 1024, 3);
    Metainfo metainfo = TestData.singleFile("public.bin", data, 16 * 1024, "http://tracker.example.org/announce");
    List<String> log = new ArrayList<>();
    DownloadOptions options = DownloadOptions.builder(folder)
        .listen(InetAddress.getLoopbackAddress(), 0)
        .loopbackOnly(true)
        .extraPeers(List.of(PeerAddress.of("192.0.2.1", 6881)))
        .giveUpAfter(Duration.ofMillis(500))
        .log(line -> {
          synchronized (log) {
            log.add(line);
          }
        })
        .build();

    assertThatThrownBy(new Download(metainfo, options)::run).isInstanceOf(DownloadFailure.class)
        .hasMessageContaining("the trackers named no peer");

    synchronized (log) {
      assertThat(log).contains(
          "tracker http://tracker.example.org/announce skipped: only loopback addresses may be contacted",
          "not dialing 192.0.2.1:6881: only loopback addresses may be contacted");
      assertThat(log).noneMatch(line -> line.startsWith("tracker ") && !line.contains("skipped"));
    }
  }
}
