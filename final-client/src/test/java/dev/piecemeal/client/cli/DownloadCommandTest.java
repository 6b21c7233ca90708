package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.TestSeeders;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code piecemeal download} in-process, from seeders on 127.0.0.1 named with --peer. */
class DownloadCommandTest {
  @TempDir Path folder;
  private final TestSeeders seeders = new TestSeeders();

  @AfterEach
  void stopTheSeeders() {
    seeders.close();
  }

  @Test
  void downloadsFromPeersGivenOnTheCommandLineAndSaysSoInOneLine() throws Exception {
    byte[] data = TestSeeders.bytes(300_000, 11);
    Path torrent = seeders.torrentFile(folder, "cli.bin", data, 32 * 1024);
    String peer = seeders.seed(torrent, data, true).toString();
    Path out = folder.resolve("out");

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", out.toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", peer);

    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).startsWith("downloading cli.bin, 293.0 KiB in 10 pieces, into ");
    assertThat(result.out().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("done: " + out.toRealPath().resolve("cli.bin") + ", 293.0 KiB in ")
        .endsWith("from 1 peer; every piece verified");
    assertThat(result.out()).as("no control characters when not on a terminal").doesNotContain("\r", "\u001b");
    assertThat(Files.readAllBytes(out.resolve("cli.bin"))).isEqualTo(data);
  }

  @Test
  void showsEscapeCodesInATorrentsNameInsteadOfObeyingThem() throws Exception {
    byte[] data = TestSeeders.bytes(40_000, 14);
    Path torrent = seeders.torrentFile(folder, "evil\u001b[2J.bin", data, 16 * 1024);
    String peer = seeders.seed(torrent, data, true).toString();

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.resolve("out").toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", peer);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).as("no raw escape").doesNotContain("\u001b").contains("evil\\x1b[2J.bin");
  }

  @Test
  void saysWhatIsSavedWhenNoPeerHasTheMissingPieces() throws Exception {
    byte[] data = TestSeeders.bytes(4 * 16 * 1024, 12);
    Path torrent = seeders.torrentFile(folder, "none.bin", data, 16 * 1024);
    String peer = seeders.seed(torrent, data, false).toString();

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", peer, "--give-up-after", "0.5", "--quiet");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("error: no peer has the missing pieces (1 connected")
        .endsWith("; 0 of 4 pieces (0%) are saved in " + folder.toRealPath() + " and a later run resumes from them");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--port            | 99999 | error: --port 99999 is not in 0..65535",
      "--max-peers       | 0     | error: --max-peers 0 is not in 1..1000",
      "--give-up-after   | 0     | error: --give-up-after 0 is not in 0.001..2592000 seconds",
      "--give-up-after   | NaN   | error: --give-up-after NaN is not in 0.001..2592000 seconds",
      "--tracker-timeout | -1.5  | error: --tracker-timeout -1.5 is not in 0.001..3600 seconds",
      "--pipeline-depth  | 501   | error: --pipeline-depth 501 is not in 0..500",
      "--memory-cap      | 1K    | error: --memory-cap 1K is not in 16M..64G",
      "--memory-cap      | 65G   | error: --memory-cap 65G is not in 16M..64G",
      "--memory-cap      | 16777215 | error: --memory-cap 16777215 is not in 16M..64G",
      "--memory-cap      | lots  | error: --memory-cap lots is not a size (like 16M or 64G)",
      "--memory-cap      | 1.5G  | error: --memory-cap 1.5G is not a size (like 16M or 64G)",
      "--dht-port        | 70000 | error: --dht-port 70000 is not in 0..65535",
  })
  void aBadOptionIsNamedWithItsValue(String option, String value, String error) throws Exception {
    byte[] data = TestSeeders.bytes(16 * 1024, 13);
    Path torrent = seeders.torrentFile(folder, "options.bin", data, 16 * 1024);

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.toString(), option, value);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(error);
  }

  @Test
  void downloadsWithinAMemoryCapGivenInUnitsAPersonTypes() throws Exception {
    byte[] data = TestSeeders.bytes(300_000, 14);
    Path torrent = seeders.torrentFile(folder, "capped.bin", data, 32 * 1024);
    String peer = seeders.seed(torrent, data, true).toString();
    Path out = folder.resolve("out");

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", out.toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", peer, "--memory-cap", "16mib");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readAllBytes(out.resolve("capped.bin"))).isEqualTo(data);
  }

  @Test
  void startsADhtNodeUnlessToldNoDht() throws Exception {
    byte[] data = TestSeeders.bytes(40_000, 15);
    Path torrent = seeders.torrentFile(folder, "dht.bin", data, 16 * 1024);
    String peer = seeders.seed(torrent, data, true).toString();
    Path state = folder.resolve("state");

    CliRunner.Result on = CliRunner.run("download", torrent.toString(), "-o", folder.resolve("on").toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", peer, "--state-dir", state.toString());
    CliRunner.Result off = CliRunner.run("download", torrent.toString(), "-o", folder.resolve("off").toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", peer, "--no-dht", "--state-dir", state.toString());

    assertThat(on.exitCode()).as(on.err()).isEqualTo(ExitCodes.OK);
    assertThat(on.out().lines()).anySatisfy(line -> assertThat(line).startsWith("dht node on 127.0.0.1:"));
    assertThat(state.resolve("dht.dat")).as("saved at exit, in the state folder beside the resume data").isRegularFile();
    assertThat(state.resolve("resume")).isDirectory();
    assertThat(off.exitCode()).as(off.err()).isEqualTo(ExitCodes.OK);
    assertThat(off.out()).doesNotContain("dht node", "dht: ");
  }

  @Test
  void noDhtWithABootstrapNodeIsBadInput() throws Exception {
    Path torrent = seeders.torrentFile(folder, "x.bin", TestSeeders.bytes(100, 1), 16 * 1024);

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "--no-dht",
        "--dht-bootstrap", "127.0.0.1:6881");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: --no-dht cannot go with --dht-bootstrap");
  }

  @Test
  void aBootstrapNodesNameIsNotLookedUpWhenBoundToLoopback() throws Exception {
    Path torrent = seeders.torrentFile(folder, "x.bin", TestSeeders.bytes(100, 1), 16 * 1024);

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.toString(),
        "--bind", "127.0.0.1", "--dht-bootstrap", "router.bittorrent.com:6881");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: --dht-bootstrap router.bittorrent.com:6881: a host name,"
        + " and a run bound to loopback contacts loopback addresses alone (no DNS lookup)");
  }

  @Test
  void aMalformedPeerIsBadInput() throws Exception {
    Path torrent = seeders.torrentFile(folder, "x.bin", TestSeeders.bytes(100, 1), 16 * 1024);

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "--peer", "nowhere");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).singleElement().asString().startsWith("error: --peer nowhere: ");
  }

  @Test
  void helpDocumentsEveryOption() {
    CliRunner.Result result = CliRunner.run("download", "--help");
    assertThat(result.out()).contains("-o, --output=DIR", "--port=N", "--bind, --listen-address=ADDRESS",
        "--max-peers=N", "--give-up-after=SECONDS", "--peer=HOST:PORT", "--memory-cap=SIZE", "--quiet", "--trace",
        "--dht", "--dht-bootstrap=HOST:PORT", "--dht-port=N");
  }

  @Test
  void tracesEachMessageAsPeersDoesAddressArrowMessage() throws Exception {
    byte[] data = TestSeeders.bytes(40_000, 12);
    Path torrent = seeders.torrentFile(folder, "traced.bin", data, 16 * 1024);
    String peer = seeders.seed(torrent, data, true).toString();

    CliRunner.Result result = CliRunner.run("download", torrent.toString(), "-o", folder.resolve("out").toString(),
        "--bind", "127.0.0.1", "--port", "0", "--peer", peer, "--quiet", "--trace");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out().lines()).contains(
        peer + " -> interested",
        peer + " <- unchoke",
        peer + " -> request piece 2 begin 0 length 7232",
        peer + " <- piece piece 2 begin 0 length 7232");
  }
}
