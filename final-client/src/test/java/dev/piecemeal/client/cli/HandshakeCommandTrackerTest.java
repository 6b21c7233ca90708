package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.TestTracker;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.testing.TestTorrents;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code piecemeal handshake FILE} without addresses: the peers come from the torrent's tracker (a
 * tiny HTTP tracker made with the JDK's HttpServer on 127.0.0.1), and the tracker hears "stopped"
 * when we are done.
 */
class HandshakeCommandTrackerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path folder;

  private PeerListener peer;
  private TestTracker tracker;

  @BeforeEach
  void start() throws IOException {
    peer = PeerListener.bind(LOOPBACK, 0, 4, ConnectionTimeouts.all(Duration.ofSeconds(5)));
    tracker = new TestTracker(List.of(peer.localAddress())); // answers with the peer, unless told otherwise
  }

  @AfterEach
  void stop() {
    peer.close();
    tracker.close();
  }

  /** A torrent announcing to our tracker; the peer serves it. */
  private Path torrentServedByThePeer() throws Exception {
    byte[] torrent = BencodeEncoder.encode(BencodeDictionary.builder()
        .put("announce", tracker.announceUrl())
        .put("info", TestTorrents.singleFileInfo("a.bin", 100_000, 16_384).build())
        .build());
    Path file = folder.resolve("a.torrent");
    Files.write(file, torrent);
    InfoHash infoHash = Metainfo.fromFile(file).infoHash();
    Handshaker handshaker = new Handshaker(PeerId.random(), Extensions.none());
    peer.serve(connection -> {
      try {
        handshaker.respond(connection, infoHash::equals);
      } catch (IOException | ProtocolException e) {
        // the command hung up
      }
    });
    return file;
  }

  @Test
  void shakesHandsWithThePeersTheTrackerReturnsThenSaysStopped() throws Exception {
    Path torrent = torrentServedByThePeer();

    CliRunner.Result result = CliRunner.run("handshake", torrent.toString(), "--port", "51413");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).startsWith(peer.localAddress() + "  ok  peer id -PM");
    assertThat(tracker.queries()).hasSize(2);
    assertThat(tracker.queries().get(0)).contains("&port=51413&").contains("&event=started&");
    assertThat(tracker.queries().get(1)).as("the goodbye").contains("&event=stopped&");
  }

  @Test
  void aTrackerWithoutPeersIsAFailedRun() throws Exception {
    Path torrent = torrentServedByThePeer();
    tracker.answer("d8:intervali1800e5:peers0:e".getBytes(StandardCharsets.US_ASCII));

    CliRunner.Result result = CliRunner.run("handshake", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly(
        "error: tracker " + tracker.announceUrl() + " knows no peer for " + torrent);
  }

  @Test
  void aTrackerThatFailsIsNamedOnStderr() throws Exception {
    Path torrent = torrentServedByThePeer();
    tracker.answer("d14:failure reason9:not todaye".getBytes(StandardCharsets.US_ASCII));

    CliRunner.Result result = CliRunner.run("handshake", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.errLines()).hasSize(2);
    assertThat(result.errLines().get(0))
        .startsWith("tracker " + tracker.announceUrl() + " failed: ")
        .contains("not today");
    assertThat(result.errLines().get(1)).isEqualTo("error: no tracker answered (1 tried) for " + torrent);
  }
}
