package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.TestSeeders;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code piecemeal download --seed}: it downloads from a test seeder, then gives the torrent to
 * another Piecemeal until its ratio is reached.
 */
class DownloadCommandSeedingTest {
  @TempDir Path folder;
  private final TestSeeders seeders = new TestSeeders();

  @AfterEach
  void stopTheSeeders() {
    seeders.close();
  }

  @Test
  void keepsSeedingUntilTheRatioIsReachedAndSaysWhatItUploaded() throws Exception {
    byte[] data = TestSeeders.bytes(300_000, 31);
    Path torrent = seeders.torrentFile(folder, "shared.bin", data, 32 * 1024);
    String origin = seeders.seed(torrent, data, true).toString();
    Path first = folder.resolve("first");

    CliRunner.Running download = CliRunner.start("download", torrent.toString(), "-o", first.toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", origin, "--seed", "--ratio", "1");
    PeerAddress seeding = PeerAddress.parse(download.awaitOut("^listening on (\\S+)$", Duration.ofSeconds(20)));
    // the origin goes once the command seeds: the second download, which hears of it by peer
    // exchange, must get every byte from the command for its ratio to reach 1
    download.awaitOut("^seeding until ratio 1.00$", Duration.ofSeconds(30));
    seeders.close();
    Path second = Files.createDirectories(folder.resolve("second"));
    DownloadResult fetched = new Download(Metainfo.fromFile(torrent), DownloadOptions.builder(second)
        .listen(InetAddress.getLoopbackAddress(), 0).extraPeers(List.of(seeding)).build()).run();
    CliRunner.Result result = download.await(Duration.ofSeconds(30));

    assertThat(fetched.complete()).isTrue();
    assertThat(Files.readAllBytes(second.resolve("shared.bin"))).isEqualTo(data);
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).as("the ratio reached is a success").isEqualTo(ExitCodes.OK);
    assertThat(result.out().lines()).contains("seeding until ratio 1.00", "seeding: ratio reached")
        .anySatisfy(line -> assertThat(line).startsWith("done: ").endsWith("; every piece verified"));
    assertThat(result.lastLine()).isEqualTo("seeded: uploaded 293.0 KiB (ratio 1.00), until the ratio 1.00 was reached");
  }

  @Test
  void aSeedingGoalWithoutSeedIsBadInput() throws Exception {
    Path torrent = seeders.torrentFile(folder, "x.bin", TestSeeders.bytes(100, 1), 16 * 1024);

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.toString(), "--ratio", "2");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: --ratio applies only with --seed");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--upload-slots      | -1    | error: --upload-slots -1 is not in 0..1000",
      "--ratio             | 1001  | error: --ratio 1001 is not in 0.01..1000 (uploaded / torrent size)",
      "--seed-time         | soon  | error: --seed-time soon is not a duration (90s, 30m, 2h, 1d, or seconds)",
      "--announce-interval | 0     | error: --announce-interval 0 is not in 1..86400 seconds",
  })
  void aBadSeedingOptionIsNamedWithItsValue(String option, String value, String error) throws Exception {
    Path torrent = seeders.torrentFile(folder, "options.bin", TestSeeders.bytes(16 * 1024, 32), 16 * 1024);

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.toString(), "--seed",
        option, value);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(error);
  }

  @Test
  void helpDocumentsTheSeedingOptions() {
    CliRunner.Result result = CliRunner.run("download", "--help");
    assertThat(result.out()).contains("--seed", "--ratio=R", "--seed-time=DURATION", "--upload-slots=N",
        "--announce-interval=SECONDS");
  }
}
