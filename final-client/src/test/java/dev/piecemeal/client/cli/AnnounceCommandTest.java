package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.client.TestTracker;
import dev.piecemeal.testing.Hex;
import dev.piecemeal.testing.TestTorrents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code piecemeal announce} against a tiny HTTP tracker made with the JDK's own HttpServer on
 * 127.0.0.1, and against a UDP port where nothing listens.
 */
class AnnounceCommandTest {
  @TempDir Path folder;

  private TestTracker tracker;

  @BeforeEach
  void startTracker() throws IOException {
    tracker = new TestTracker(List.of());
  }

  @AfterEach
  void stopTracker() {
    tracker.close();
  }

  private String httpTracker() {
    return tracker.announceUrl();
  }

  /** A UDP port that was free a moment ago: announcing there gets "port unreachable" at once. */
  private static String deadUdpTracker() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return "udp://127.0.0.1:" + probe.getLocalPort() + "/announce";
    }
  }

  /** A torrent whose announce-list is one tier per URL, in this order. */
  private Path torrentWithTiers(String... urls) throws IOException {
    List<BencodeValue> tiers = new ArrayList<>();
    for (String url : urls) {
      tiers.add(TestTorrents.strings(url));
    }
    byte[] torrent = BencodeEncoder.encode(BencodeDictionary.builder()
        .put("announce", urls[0])
        .put("announce-list", new BencodeList(tiers))
        .put("info", TestTorrents.singleFileInfo("a.bin", 100_000, 16_384).build())
        .build());
    Path file = folder.resolve("a.torrent");
    Files.write(file, torrent);
    return file;
  }

  private static byte[] body(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] bytes = part instanceof String text ? text.getBytes(StandardCharsets.US_ASCII) : (byte[]) part;
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void printsTheTrackerTheIntervalAndOnePeerPerLine() throws Exception {
    tracker.answer(body("d8:intervali1800e5:peers12:", Hex.hex("7f000001 1ae1", "c0000207 c8d5"),
        "6:peers618:", Hex.hex("20010db8000000000000000000000001 1ae1"), "e"));
    Path torrent = torrentWithTiers(httpTracker());

    CliRunner.Result result = CliRunner.run("announce", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).isEqualTo(String.join("\n",
        "tracker: " + httpTracker(),
        "interval: 1800 s",
        "127.0.0.1:6881",
        "192.0.2.7:51413",
        "[2001:db8:0:0:0:0:0:1]:6881",
        ""));
    assertThat(result.err()).isEmpty();
  }

  @Test
  void sendsTheOptionsAndTheTorrentsSize() throws Exception {
    tracker.answer(body("d8:intervali900e5:peers0:e"));
    Path torrent = torrentWithTiers(httpTracker());

    CliRunner.Result result = CliRunner.run("announce", torrent.toString(), "--port", "51413", "--numwant", "7");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(tracker.queries()).hasSize(1);
    assertThat(tracker.queries().get(0))
        .contains("&peer_id=-PM")
        .contains("&port=51413&uploaded=0&downloaded=0&left=100000&compact=1&event=started&numwant=7&key=");
  }

  @Test
  void announcesCompletedWithNothingLeft() throws Exception {
    tracker.answer(body("d8:intervali900e5:peers0:e"));
    Path torrent = torrentWithTiers(httpTracker());

    CliRunner.Result result = CliRunner.run("announce", torrent.toString(), "--event", "completed");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(tracker.queries().get(0)).contains("&left=0&compact=1&event=completed&");
  }

  @Test
  void saysSoWhenTheTorrentNamesNoTracker() throws Exception {
    Path torrent = folder.resolve("trackerless.torrent");
    Files.write(torrent, BencodeEncoder.encode(BencodeDictionary.builder()
        .put("info", TestTorrents.singleFileInfo("a.bin", 100_000, 16_384).build())
        .build()));

    CliRunner.Result result = CliRunner.run("announce", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.errLines()).containsExactly("error: " + torrent
        + ": names no tracker (a trackerless torrent needs DHT, which piecemeal does not have)");
  }

  @Test
  void namesAFailedTrackerOnStderrAndUsesTheNextTier() throws Exception {
    tracker.answer(body("d8:intervali900e5:peers6:", Hex.hex("7f000001 1ae1"), "e"));
    String dead = deadUdpTracker();
    Path torrent = torrentWithTiers(dead, httpTracker());

    CliRunner.Result result = CliRunner.run("announce", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).startsWith("tracker: " + httpTracker() + "\n");
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.errLines().get(0))
        .startsWith("tracker " + dead + " failed: nothing listens on UDP 127.0.0.1:")
        .endsWith("(port unreachable)");
  }

  @Test
  void exitsWithOneWhenNoTrackerAnswers() throws Exception {
    tracker.answer(body("d14:failure reason20:unregistered torrente"));
    String dead = deadUdpTracker();
    Path torrent = torrentWithTiers(httpTracker(), dead);

    CliRunner.Result result = CliRunner.run("announce", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).hasSize(3);
    assertThat(result.errLines().get(0))
        .isEqualTo("tracker " + httpTracker() + " failed: tracker refused the announce: unregistered torrent");
    assertThat(result.errLines().get(1)).startsWith("tracker " + dead + " failed: nothing listens");
    assertThat(result.errLines().get(2)).isEqualTo("error: no tracker answered (2 tried) for " + torrent);
  }

  @Test
  void refusesAPortOutOfRangeAsBadInput() throws Exception {
    Path torrent = torrentWithTiers(httpTracker());

    CliRunner.Result result = CliRunner.run("announce", torrent.toString(), "--port", "0");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: --port 0 is not in 1..65535");
    assertThat(tracker.queries()).isEmpty();
  }

  @Test
  void refusesAnUnknownEventAsBadInput() throws Exception {
    Path torrent = torrentWithTiers(httpTracker());

    CliRunner.Result result = CliRunner.run("announce", torrent.toString(), "--event", "paused");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(
        "error: --event 'paused' is not an announce event (started, completed, stopped, none)");
  }

  @Test
  void refusesAMissingFileAsBadInput() {
    CliRunner.Result result = CliRunner.run("announce", folder.resolve("missing.torrent").toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.errLines().get(0)).startsWith("error: ").endsWith("missing.torrent: no such file");
  }
}
