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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trackerless swarm on loopback: the DHT is the only way the downloader hears of the seeder. */
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
}
