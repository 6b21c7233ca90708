package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which peers the swarm remembers as protocol breakers, and which it gives another chance. */
class SwarmShunningTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path folder;

  /**
   * A handshake that is not BitTorrent's (here, the 96-byte key of an MSE exchange, as aria2 and
   * Transmission open with) ends that connection, but the address is dialed again when its redial
   * time comes, as for any peer that came and went: it may speak plain BitTorrent next time.
   */
  @Test
  void dialsAgainAPeerWhoseHandshakeWasNotBitTorrent() throws Exception {
    byte[] data = TestData.bytes(40_000, 61);
    Metainfo metainfo = TestData.singleFile("mse.bin", data, 16 * 1024, null);
    Semaphore connections = new Semaphore(0);
    try (ServerSocket encrypting = new ServerSocket(0, 8, LOOPBACK)) {
      Thread answering = new Thread(() -> answerWithAKey(encrypting, connections), "test-mse-peer");
      answering.setDaemon(true);
      answering.start();
      PeerAddress address = new PeerAddress(LOOPBACK, encrypting.getLocalPort());

      try (BackgroundDownload download = BackgroundDownload.start(metainfo, DownloadOptions.builder(folder)
          .listen(LOOPBACK, 0).extraPeers(List.of(address)).redialAfter(Duration.ofMillis(200))
          .giveUpAfter(Duration.ofSeconds(60)))) {

        assertThat(connections.tryAcquire(2, 20, TimeUnit.SECONDS)).as("dialed twice").isTrue();
        assertThat(download.log()).noneMatch(line -> line.contains("not dialed again"));
      }
    }
  }

  /** For each connection: read our handshake, answer with 96 bytes that begin 0x3e, hang up. */
  private static void answerWithAKey(ServerSocket server, Semaphore connections) {
    Random random = new Random(62);
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        connections.release();
        InputStream in = socket.getInputStream();
        in.readNBytes(68);
        byte[] key = new byte[96];
        random.nextBytes(key);
        key[0] = 0x3e; // byte 62: not 19, the length BitTorrent's handshake starts with
        OutputStream out = socket.getOutputStream();
        out.write(key);
        out.flush();
      } catch (IOException closed) {
        return;
      }
    }
  }
}
