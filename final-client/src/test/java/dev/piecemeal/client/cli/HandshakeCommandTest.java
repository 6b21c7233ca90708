package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.peers.ClientName;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.testing.ProjectRoot;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code piecemeal handshake} against Piecemeal peers on 127.0.0.1, checking the output contract. */
class HandshakeCommandTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static String sample;
  private static InfoHash sampleInfoHash;

  private final PeerId peerId = PeerId.random();
  private final CountDownLatch testDone = new CountDownLatch(1);
  private PeerListener peer;

  @BeforeAll
  static void readTheSample() throws Exception {
    sample = ProjectRoot.resolve("samples/piecemeal-sample.torrent").toString();
    sampleInfoHash = Metainfo.fromFile(ProjectRoot.resolve("samples/piecemeal-sample.torrent")).infoHash();
  }

  @BeforeEach
  void startAPeer() throws IOException {
    peer = PeerListener.bind(LOOPBACK, 0, 4, ConnectionTimeouts.all(Duration.ofSeconds(5)));
  }

  @AfterEach
  void stopThePeer() {
    testDone.countDown();
    peer.close();
  }

  /** The peer answers handshakes for the sample torrent, advertising the fast extension. */
  private void serveTheSample() {
    Handshaker handshaker = new Handshaker(peerId, Extensions.of(Extension.FAST));
    peer.serve(
        connection -> {
          try {
            handshaker.respond(connection, sampleInfoHash::equals);
          } catch (IOException | ProtocolException e) {
            // the command hung up: nothing to do
          }
        });
  }

  @Test
  void printsTheContractLineForAPeerThatAnswers() {
    serveTheSample();
    PeerAddress address = peer.localAddress();

    CliRunner.Result result = CliRunner.run("handshake", sample, address.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.err()).isEmpty();
    String client = ClientName.fromPeerId(peerId).orElseThrow().toString();
    assertThat(result.out())
        .isEqualTo(address + "  ok  peer id " + peerId.printable() + "  client " + client
            + "  extensions BEP6-fast\n");
    assertThat(client).startsWith("Piecemeal ");
  }

  @Test
  void aRefusedPeerIsAFailedLineAndExitStatusOne() throws Exception {
    PeerAddress nobody = closedPort();

    CliRunner.Result result = CliRunner.run("handshake", sample, nobody.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out()).isEqualTo(nobody + "  failed: connection refused by " + nobody + "\n");
    assertThat(result.errLines()).containsExactly("error: no handshake succeeded with the one peer");
  }

  @Test
  void oneGoodPeerAmongBadOnesIsSuccess() throws Exception {
    serveTheSample();
    PeerAddress nobody = closedPort();

    CliRunner.Result result = CliRunner.run("handshake", sample, nobody.toString(), peer.localAddress().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out().lines())
        .hasSize(2)
        .anyMatch(line -> line.startsWith(peer.localAddress() + "  ok  peer id "))
        .anyMatch(line -> line.equals(nobody + "  failed: connection refused by " + nobody));
  }

  @Test
  void aPeerThatDoesNotServeTheTorrentIsAFailedLine() {
    Handshaker handshaker = new Handshaker(peerId, Extensions.none());
    peer.serve(
        connection -> {
          try {
            handshaker.respond(connection, infoHash -> false);
          } catch (IOException | ProtocolException expected) {
            // it hangs up on us
          }
        });

    CliRunner.Result result = CliRunner.run("handshake", sample, peer.localAddress().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out())
        .isEqualTo(peer.localAddress() + "  failed: connection closed after 0 of 68 handshake bytes (peer "
            + peer.localAddress() + ")\n");
  }

  @Test
  void aSilentPeerTimesOut() {
    peer.serve(connection -> awaitQuietly(testDone));

    CliRunner.Result result = CliRunner.run("handshake", "--timeout", "1", sample, peer.localAddress().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out())
        .isEqualTo(peer.localAddress() + "  failed: handshake from " + peer.localAddress() + " not complete within 1 s (its deadline)\n");
  }

  @Test
  void hexShowsBothHandshakesFieldByField() {
    serveTheSample();

    CliRunner.Result result = CliRunner.run("handshake", "--hex", sample, peer.localAddress().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("\n  sent:\n    13 ")
        .contains("    00 00 00 00 00 00 00 00                                       reserved: none\n")
        .contains("\n  received:\n    13 ")
        .contains("    00 00 00 00 00 00 00 04                                       reserved: BEP6-fast\n")
        .contains("   peer id " + peerId.printable() + "\n");
  }

  @Test
  void aPeerThatIsNotAnAddressIsBadInput() {
    CliRunner.Result result = CliRunner.run("handshake", sample, "example.org");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: 'example.org' is not HOST:PORT");
  }

  @Test
  void aMissingTorrentIsBadInput() {
    CliRunner.Result result = CliRunner.run("handshake", "no-such.torrent", "127.0.0.1:6881");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly("error: no-such.torrent: no such file");
  }

  private static PeerAddress closedPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      return new PeerAddress(LOOPBACK, probe.getLocalPort());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
