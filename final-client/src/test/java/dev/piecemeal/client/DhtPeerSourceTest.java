package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.dht.DhtNode;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import dev.piecemeal.client.dht.SavedTable;
import dev.piecemeal.testing.ProjectRoot;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trackerless swarm on loopback: the DHT is the only way the downloader hears of the seeder; the
 * routing table kept between runs; a torrent's {@code nodes} through the loopback-only guard.
 */
class DhtPeerSourceTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  @TempDir Path folder;

  @Test
  void aDownloaderWithOnlyABootstrapNodeFindsTheSeederThroughTheDht() throws Exception {
    byte[] data = TestData.bytes(8 * 16 * 1024, 12);
    Metainfo metainfo = TestData.singleFile("trackerless.bin", data, 16 * 1024, null);
    Path seederFolder = Files.createDirectories(folder.resolve("seeder"));
    Files.write(seederFolder.resolve("trackerless.bin"), data);
    Path downloadFolder = Files.createDirectories(folder.resolve("downloader"));

    try (DhtNode bootstrap = DhtNode.start(DhtNode.Settings.loopbackLab(new InetSocketAddress(LOOPBACK, 0)))) {
      PeerAddress bootstrapNode = new PeerAddress(LOOPBACK, bootstrap.address().getPort());
      try (BackgroundDownload seeder = BackgroundDownload.seeder(metainfo, DownloadOptions.builder(seederFolder)
          .listen(LOOPBACK, 0).loopbackOnly(true).dht(true).dhtBootstrap(List.of(bootstrapNode)))) {
        assertThat(seeder.awaitLog(line -> line.startsWith("dht node on "), Duration.ofSeconds(10))).isTrue();

        DownloadResult fetched = new Download(metainfo, DownloadOptions.builder(downloadFolder)
            .listen(LOOPBACK, 0).loopbackOnly(true).dht(true).dhtBootstrap(List.of(bootstrapNode))
            .giveUpAfter(Duration.ofSeconds(30)).build()).run();
        seeder.stop();

        assertThat(fetched.complete()).isTrue();
        assertThat(Files.readAllBytes(downloadFolder.resolve("trackerless.bin"))).isEqualTo(data);
      }
    }
  }

  @Test
  void savesItsTableAtExitAndStartsFromItNextRunUnderTheSameId() throws Exception {
    byte[] data = TestData.bytes(4 * 16 * 1024, 13);
    Metainfo metainfo = TestData.singleFile("kept.bin", data, 16 * 1024, null);
    Files.write(folder.resolve("kept.bin"), data);
    Path state = folder.resolve("state/dht.dat");

    try (DhtNode bootstrap = DhtNode.start(DhtNode.Settings.loopbackLab(new InetSocketAddress(LOOPBACK, 0)))) {
      PeerAddress bootstrapNode = new PeerAddress(LOOPBACK, bootstrap.address().getPort());
      BackgroundDownload first = BackgroundDownload.seeder(metainfo, DownloadOptions.builder(folder)
          .listen(LOOPBACK, 0).loopbackOnly(true).dht(true).dhtBootstrap(List.of(bootstrapNode)).dhtState(state));
      assertThat(first.awaitLog(line -> line.startsWith("dht: get_peers"), Duration.ofSeconds(20)))
          .as("its first lookup and announce").isTrue();
      first.stop();
      SavedTable saved = SavedTable.decode(Files.readAllBytes(state));
      assertThat(saved.nodes()).as("the bootstrap node, in the table at exit").singleElement()
          .satisfies(node -> assertThat(node.id()).isEqualTo(bootstrap.id()));
      assertThat(first.log()).contains("dht: saved 1 node to " + state);

      // the next run names no bootstrap node: the saved table is where it starts
      BackgroundDownload second = BackgroundDownload.seeder(metainfo, DownloadOptions.builder(folder)
          .listen(LOOPBACK, 0).loopbackOnly(true).dht(true).dhtState(state));
      assertThat(second.awaitLog(line -> line.startsWith("dht: get_peers"), Duration.ofSeconds(20))).isTrue();
      second.stop();

      assertThat(second.log()).anySatisfy(line -> assertThat(line).startsWith("dht node on ")
          .endsWith(", 1 node saved by an earlier run"));
      assertThat(second.log()).as("it found the bootstrap node again, through the saved table alone")
          .anySatisfy(line -> assertThat(line).contains("announce_peer").endsWith("to 1 node"));
      assertThat(SavedTable.decode(Files.readAllBytes(state)).ownId()).as("the same id as the first run")
          .isEqualTo(saved.ownId());
    }
  }

  /**
   * The corpus's {@code dht_nodes.torrent} names no tracker and two DHT nodes, 127.0.0.1:6881 and
   * 192.168.1.1:6881: loopback-only, the second is turned away before the node sees it.
   */
  @Test
  void aTorrentsNodesGoThroughTheLoopbackOnlyGuard() throws Exception {
    Metainfo metainfo = Metainfo.fromFile(ProjectRoot.resolve("samples/corpus/torrents/dht_nodes.torrent"));
    assertThat(metainfo.dhtNodes()).extracting(Metainfo.DhtNode::toString)
        .containsExactly("127.0.0.1:6881", "192.168.1.1:6881");
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    Download download = new Download(metainfo, DownloadOptions.builder(folder).listen(LOOPBACK, 0)
        .loopbackOnly(true).dht(true).giveUpAfter(Duration.ofMillis(500)).log(log::add).build());

    assertThatThrownBy(download::run).isInstanceOf(DownloadFailure.class)
        .hasMessageContaining("the torrent names no tracker and no peer was given with --peer, the DHT (");
    assertThat(log).contains("dht: not contacting 192.168.1.1:6881: only loopback addresses may be contacted");
    assertThat(log).noneMatch(line -> line.contains("192.168.1.1") && !line.startsWith("dht: not contacting"));
  }

  @Test
  void aTrackerlessDownloadWithTheDhtOffSaysSoWhenItGivesUp() throws Exception {
    byte[] data = TestData.bytes(16 * 1024, 14);
    Metainfo metainfo = TestData.singleFile("alone.bin", data, 16 * 1024, null);

    Download download = new Download(metainfo, DownloadOptions.builder(folder).listen(LOOPBACK, 0)
        .loopbackOnly(true).giveUpAfter(Duration.ofMillis(300)).build());

    assertThatThrownBy(download::run).isInstanceOf(DownloadFailure.class)
        .hasMessageStartingWith("the torrent names no tracker and no peer was given with --peer, the DHT is off,");
  }
}
