package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.TestSeeders;
import dev.piecemeal.client.TestTracker;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code piecemeal seed} in-process: another Piecemeal downloads from it on 127.0.0.1. */
class SeedCommandTest {
  @TempDir Path folder;
  private final TestSeeders seeders = new TestSeeders();

  @AfterEach
  void stopTheSeeders() {
    seeders.close();
  }

  @Test
  void servesAPiecemealDownloadAndStopsOnceTheRatioIsReached() throws Exception {
    byte[] data = TestSeeders.bytes(200_000, 21);
    Path torrent = seeders.torrentFile(folder, "seeded.bin", data, 32 * 1024);
    Path seedFolder = Files.createDirectories(folder.resolve("data"));
    Files.write(seedFolder.resolve("seeded.bin"), data);

    CliRunner.Running seed = CliRunner.start("seed", torrent.toString(), "-d", seedFolder.toString(),
        "--bind", "127.0.0.1", "--port", "0", "--ratio", "1");
    PeerAddress seeder = PeerAddress.parse(seed.awaitOut("^listening on (\\S+)$", Duration.ofSeconds(20)));
    Path out = folder.resolve("out");
    Files.createDirectories(out);
    DownloadResult fetched = new Download(Metainfo.fromFile(torrent), DownloadOptions.builder(out)
        .listen(InetAddress.getLoopbackAddress(), 0).extraPeers(List.of(seeder)).build()).run();
    CliRunner.Result result = seed.await(Duration.ofSeconds(30));

    assertThat(fetched.complete()).isTrue();
    assertThat(Files.readAllBytes(out.resolve("seeded.bin"))).isEqualTo(data);
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).as("the ratio reached is a success").isEqualTo(ExitCodes.OK);
    assertThat(result.out().lines()).contains(
        "seeding seeded.bin, 195.3 KiB in 7 pieces, from " + seedFolder.toAbsolutePath().resolve("seeded.bin"),
        "on disk: 7 of 7 pieces verified",
        "seeding until ratio 1.00",
        "seeding: ratio reached");
    assertThat(result.lastLine()).isEqualTo("seeded: uploaded 195.3 KiB (ratio 1.00), until the ratio 1.00 was reached");
    assertThat(result.out()).as("no control characters when not on a terminal").doesNotContain("\r", "\u001b");
  }

  @Test
  void announcesThatNothingIsLeftAndSaysStoppedWhenItEnds() throws Exception {
    byte[] data = TestSeeders.bytes(50_000, 24);
    try (TestTracker tracker = new TestTracker(List.of())) {
      Path torrent = seeders.torrentFile(folder, "tracked.bin", data, 16 * 1024, tracker.announceUrl());
      Files.write(folder.resolve("tracked.bin"), data);

      // 3 s: "stopped" is said only to a tracker that answered "started", and a JVM's first HTTP
      // announce (the HttpClient's start) can take more than a second on a loaded machine
      CliRunner.Result result = CliRunner.run("seed", torrent.toString(), "-d", folder.toString(),
          "--bind", "127.0.0.1", "--port", "0", "--seed-time", "3s");

      assertThat(result.exitCode()).as("the seeding time is up: a success").isEqualTo(ExitCodes.OK);
      assertThat(result.lastLine()).isEqualTo("seeded: uploaded 0 B (ratio 0.00), until the seeding time 0:03 was up");
      assertThat(tracker.events()).containsExactly("started", "stopped");
      assertThat(tracker.queries().get(0)).contains("&left=0&", "&downloaded=0&");
    }
  }

  @Test
  void refusesIncompleteDataInOneLineThatSaysHowMuchIsMissing() throws Exception {
    byte[] data = TestSeeders.bytes(100_000, 22);
    Path torrent = seeders.torrentFile(folder, "partial.bin", data, 32 * 1024);
    Files.write(folder.resolve("partial.bin"), Arrays.copyOf(data, 40_000));

    CliRunner.Result result = CliRunner.run("seed", torrent.toString(), "-d", folder.toString(),
        "--bind", "127.0.0.1", "--port", "0");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.errLines()).containsExactly("error: 3 of 4 pieces are missing or damaged in "
        + folder.resolve("partial.bin") + " (32.0 KiB of 97.7 KiB on disk verified); only complete data is seeded");
    assertThat(Files.size(folder.resolve("partial.bin"))).as("the short file is left as it was").isEqualTo(40_000);
  }

  @Test
  void aDataFolderThatIsNotAFolderIsBadInput() throws Exception {
    Path torrent = seeders.torrentFile(folder, "x.bin", TestSeeders.bytes(100, 1), 16 * 1024);

    CliRunner.Result result = CliRunner.run("seed", torrent.toString(), "-d", folder.resolve("nowhere").toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: " + folder.resolve("nowhere") + ": not a folder");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--port              | 99999 | error: --port 99999 is not in 0..65535",
      "--max-peers         | 0     | error: --max-peers 0 is not in 1..1000",
      "--upload-slots      | 0     | error: --upload-slots 0 is not in 1..1000",
      "--announce-interval | 0.5   | error: --announce-interval 0.5 is not in 1..86400 seconds",
      "--ratio             | 0     | error: --ratio 0 is not in 0.01..1000 (uploaded / torrent size)",
      "--seed-time         | 0s    | error: --seed-time 0s is not in 1s..30d",
      "--seed-time         | 31d   | error: --seed-time 31d is not in 1s..30d",
      "--seed-time         | 2w    | error: --seed-time 2w is not a duration (90s, 30m, 2h, 1d, or seconds)",
  })
  void aBadOptionIsNamedWithItsValue(String option, String value, String error) throws Exception {
    Path torrent = seeders.torrentFile(folder, "options.bin", TestSeeders.bytes(16 * 1024, 23), 16 * 1024);

    CliRunner.Result result = CliRunner.run("seed", torrent.toString(), "-d", folder.toString(), option, value);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(error);
  }

  @Test
  void helpDocumentsEveryOption() {
    CliRunner.Result result = CliRunner.run("seed", "--help");
    assertThat(result.out()).contains("-d, --dir=DIR", "--port=N", "--bind, --listen-address=ADDRESS",
        "--announce-interval=SECONDS", "--max-peers=N", "--upload-slots=N", "--ratio=R", "--seed-time=DURATION");
  }
}
