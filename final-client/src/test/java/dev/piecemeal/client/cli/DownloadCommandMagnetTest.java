package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.TestSeeders;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code piecemeal download 'magnet:?…'} in-process (chapter 10), from a seeder the link names. */
class DownloadCommandMagnetTest {
  @TempDir Path folder;
  private final TestSeeders seeders = new TestSeeders();

  @AfterEach
  void stopTheSeeders() {
    seeders.close();
  }

  @Test
  void downloadsFromAMagnetLinkAndSavesItsTorrentWithTheLinksInfoHash() throws Exception {
    byte[] data = TestSeeders.bytes(200_000, 31);
    Path torrent = seeders.torrentFile(folder, "linked.bin", data, 32 * 1024);
    String peer = seeders.seedWithEngine(torrent, data, folder.resolve("seed")).toString();
    String hash = Metainfo.fromFile(torrent).infoHash().hex();
    Path out = folder.resolve("out");
    Path saved = folder.resolve("saved.torrent");

    CliRunner.Result result = CliRunner.run("download", "magnet:?xt=urn:btih:" + hash + "&dn=linked&x.pe=" + peer,
        "-o", out.toString(), "--bind", "127.0.0.1", "--port", "0", "--save-torrent", saved.toString(),
        "--give-up-after", "30");

    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .startsWith("downloading the magnet link's torrent " + hash + " into ")
        .contains("fetching metadata for " + hash + " (linked) from peers")
        .contains("downloading linked.bin, 195.3 KiB in 7 pieces")
        .contains("saved the torrent as " + saved);
    assertThat(Files.readAllBytes(out.resolve("linked.bin"))).isEqualTo(data);
    Metainfo written = Metainfo.fromFile(saved);
    assertThat(written.infoHash().hex()).as("the saved torrent's info-hash").isEqualTo(hash);
    assertThat(written.infoBytes()).isEqualTo(Metainfo.fromFile(torrent).infoBytes());
  }

  @Test
  void aMalformedLinkIsOneErrorLineAndExitTwo() {
    CliRunner.Result result = CliRunner.run("download", "magnet:?xt=urn:btih:12345", "-o", folder.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err().lines().toList()).hasSize(1);
    assertThat(result.err()).startsWith("error: ").contains("xt");
  }

  @Test
  void saveTorrentAppliesOnlyToAMagnetLink() throws Exception {
    byte[] data = TestSeeders.bytes(1000, 32);
    Path torrent = seeders.torrentFile(folder, "plain.bin", data, 16 * 1024);

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.toString(),
        "--save-torrent", folder.resolve("x.torrent").toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err()).isEqualTo("error: --save-torrent applies only to a magnet link\n");
  }
}
