package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.testing.TestTorrents;
import dev.piecemeal.tracker.PeerId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  private HttpServer tracker;
  private volatile byte[] answer;
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private PeerListener peer;

  @BeforeEach
  void start() throws IOException {
    tracker = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    tracker.createContext("/announce", exchange -> {
      queries.add(exchange.getRequestURI().getRawQuery());
      byte[] body = answer;
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    tracker.start();
    peer = PeerListener.bind(LOOPBACK, 0, 4, ConnectionTimeouts.all(Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    peer.close();
    tracker.stop(0);
  }

  /** A torrent announcing to our tracker; the peer serves it. */
  private Path torrentServedByThePeer() throws Exception {
    byte[] torrent = BencodeEncoder.encode(BencodeDictionary.builder()
        .put("announce", "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce")
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

  /** {@code d8:intervali1800e5:peers6:<ip><port>e}: the compact form, one peer. */
  private byte[] compactAnswerWithThePeer() {
    int port = peer.localAddress().port();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("d8:intervali1800e5:peers6:".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {127, 0, 0, 1, (byte) (port >> 8), (byte) port});
    out.writeBytes("e".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void shakesHandsWithThePeersTheTrackerReturnsThenSaysStopped() throws Exception {
    Path torrent = torrentServedByThePeer();
    answer = compactAnswerWithThePeer();

    CliRunner.Result result = CliRunner.run("handshake", torrent.toString(), "--port", "51413");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).startsWith(peer.localAddress() + "  ok  peer id -PM");
    assertThat(queries).hasSize(2);
    assertThat(queries.get(0)).contains("&port=51413&").contains("&event=started&");
    assertThat(queries.get(1)).as("the goodbye").contains("&event=stopped&");
  }

  @Test
  void aTrackerWithoutPeersIsAFailedRun() throws Exception {
    Path torrent = torrentServedByThePeer();
    answer = "d8:intervali1800e5:peers0:e".getBytes(StandardCharsets.US_ASCII);

    CliRunner.Result result = CliRunner.run("handshake", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly(
        "error: tracker http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce knows no peer for " + torrent);
  }

  @Test
  void aTrackerThatFailsIsNamedOnStderr() throws Exception {
    Path torrent = torrentServedByThePeer();
    answer = "d14:failure reason9:not todaye".getBytes(StandardCharsets.US_ASCII);

    CliRunner.Result result = CliRunner.run("handshake", torrent.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.errLines()).hasSize(2);
    assertThat(result.errLines().get(0))
        .startsWith("tracker http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce failed: ")
        .contains("not today");
    assertThat(result.errLines().get(1)).isEqualTo("error: no tracker answered (1 tried) for " + torrent);
  }
}
