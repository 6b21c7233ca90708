package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.dht.DhtNode;
import dev.piecemeal.client.magnet.ExtendedHandshake;
import dev.piecemeal.client.pex.PexMessage;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer exchange (BEP 11) and the PORT message (BEP 5) in the engine, against scripted peers
 * ({@link ScriptedPeer}): what our extended handshake offers, what a peer's ut_pex makes us dial,
 * what we tell peers of each other, and who is told our DHT port. Private torrents refuse both.
 */
class PeerSessionPexTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Extensions EXTENDED = Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL);
  private static final Extensions EXTENDED_AND_DHT =
      Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL, Extension.DHT);
  /** The id our scripted peers ask ut_pex to be sent to them under. */
  private static final int PEERS_UT_PEX = 9;

  @TempDir Path folder;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
  }

  private BackgroundDownload seeder(Metainfo metainfo, byte[] data, DownloadOptions.Builder options) throws Exception {
    Files.write(folder.resolve(metainfo.name()), data);
    BackgroundDownload seeder = BackgroundDownload.seeder(metainfo, options.listen(LOOPBACK, 0).loopbackOnly(true));
    running.add(seeder);
    return seeder;
  }

  private ScriptedPeer peer(BackgroundDownload engine, Metainfo metainfo, Extensions extensions) throws Exception {
    ScriptedPeer peer = ScriptedPeer.connect(engine.address(), metainfo, extensions);
    running.add(0, peer); // closed before the engine
    return peer;
  }

  @Test
  void offersUtPexInItsExtendedHandshake() throws Exception {
    byte[] data = TestData.bytes(50_000, 1);
    Metainfo metainfo = TestData.singleFile("public.bin", data, 16 * 1024, null);
    ScriptedPeer peer = peer(seeder(metainfo, data, DownloadOptions.builder(folder)), metainfo, EXTENDED);

    ExtendedHandshake theirs = ExtendedHandshake.decode(awaitExtended(peer, ExtendedHandshake.EXTENDED_ID).payload());

    assertThat(theirs.idOf(PexMessage.EXTENSION_NAME)).hasValue(PeerSession.UT_PEX_ID);
  }

  @Test
  void offersNoUtPexForAPrivateTorrent() throws Exception {
    byte[] data = TestData.bytes(50_000, 2);
    Metainfo metainfo = TestData.privateSingleFile("private.bin", data, 16 * 1024);
    ScriptedPeer peer = peer(seeder(metainfo, data, DownloadOptions.builder(folder)), metainfo, EXTENDED);

    ExtendedHandshake theirs = ExtendedHandshake.decode(awaitExtended(peer, ExtendedHandshake.EXTENDED_ID).payload());

    assertThat(theirs.idOf(PexMessage.EXTENSION_NAME)).as("BEP 27: a private torrent's peers come from its trackers")
        .isEmpty();
    assertThat(theirs.idOf("ut_metadata")).as("the rest of the handshake is as for any torrent").isPresent();
  }

  @Test
  void downloadsFromAPeerItHeardOfOnlyByUtPex() throws Exception {
    byte[] data = TestData.bytes(8 * 16 * 1024, 3);
    Metainfo metainfo = TestData.singleFile("heard.bin", data, 16 * 1024, null);
    TestSeeder hidden = TestSeeder.start(metainfo, data, TestSeeder.Behaviour.NORMAL);
    running.add(hidden::close);
    BackgroundDownload downloader = BackgroundDownload.start(metainfo,
        DownloadOptions.builder(folder).listen(LOOPBACK, 0).loopbackOnly(true).giveUpAfter(Duration.ofSeconds(30)));
    running.add(downloader);
    ScriptedPeer teller = peer(downloader, metainfo, EXTENDED);

    teller.send(
        ExtendedHandshake.of(Map.of(PexMessage.EXTENSION_NAME, PEERS_UT_PEX)).message(),
        new PexMessage(List.of(new PexMessage.Peer(hidden.address(), PexMessage.SEED)), List.of())
            .message(PeerSession.UT_PEX_ID));
    DownloadResult result = downloader.await(Duration.ofSeconds(40));

    assertThat(result.complete()).isTrue();
    assertThat(Files.readAllBytes(folder.resolve("heard.bin"))).isEqualTo(data);
    assertThat(hidden.bytesServed()).as("every byte from the peer named by ut_pex").isEqualTo(data.length);
    assertThat(downloader.peersHeardByPex()).isEqualTo(1);
  }

  @Test
  void ignoresAPeersUtPexForAPrivateTorrent() throws Exception {
    byte[] data = TestData.bytes(4 * 16 * 1024, 4);
    Metainfo metainfo = TestData.privateSingleFile("private.bin", data, 16 * 1024);
    BackgroundDownload downloader = BackgroundDownload.start(metainfo,
        DownloadOptions.builder(folder).listen(LOOPBACK, 0).loopbackOnly(true));
    running.add(downloader);
    ScriptedPeer teller = peer(downloader, metainfo, EXTENDED);
    Message probe = new Message.Request(new BlockRequest(0, 0, BlockRequest.MAX_LENGTH));

    // sent under the id a public torrent would have offered; the probe's reject (BEP 6) shows
    // that the engine read everything before it
    teller.send(
        ExtendedHandshake.of(Map.of(PexMessage.EXTENSION_NAME, PEERS_UT_PEX)).message(),
        new PexMessage(List.of(new PexMessage.Peer(PeerAddress.of("127.0.0.1", 9), 0)), List.of())
            .message(PeerSession.UT_PEX_ID),
        probe);
    teller.await(Message.RejectRequest.class);

    assertThat(downloader.peersHeardByPex()).isZero();
  }

  @Test
  void tellsEachPeerOfTheOthersByUtPex() throws Exception {
    byte[] data = TestData.bytes(50_000, 5);
    Metainfo metainfo = TestData.singleFile("told.bin", data, 16 * 1024, null);
    BackgroundDownload seeder = seeder(metainfo, data, DownloadOptions.builder(folder));
    ScriptedPeer first = peer(seeder, metainfo, EXTENDED);
    first.send(ExtendedHandshake.of(Map.of(PexMessage.EXTENSION_NAME, PEERS_UT_PEX)).withListenPort(40001).message());
    ScriptedPeer second = peer(seeder, metainfo, EXTENDED);
    second.send(ExtendedHandshake.of(Map.of(PexMessage.EXTENSION_NAME, PEERS_UT_PEX)).withListenPort(40002).message());

    PexMessage toFirst = PexMessage.decode(awaitExtended(first, PEERS_UT_PEX).payload());

    // the second dialed us: it is told of by its IP and the port its handshake gave, not flagged reachable
    assertThat(toFirst.added()).containsExactly(new PexMessage.Peer(PeerAddress.of("127.0.0.1", 40002), 0));
    assertThat(toFirst.dropped()).isEmpty();
  }

  @Test
  void sendsItsDhtPortToAPeerThatSetTheDhtBit() throws Exception {
    byte[] data = TestData.bytes(50_000, 6);
    Metainfo metainfo = TestData.singleFile("port.bin", data, 16 * 1024, null);
    BackgroundDownload seeder = seeder(metainfo, data, DownloadOptions.builder(folder).dht(true));
    int dhtPort = dhtPort(seeder);

    ScriptedPeer peer = peer(seeder, metainfo, EXTENDED_AND_DHT);

    assertThat(peer.theirs().extensions().has(Extension.DHT)).as("the engine's DHT bit").isTrue();
    assertThat(peer.await(Message.Port.class)).isEqualTo(new Message.Port(dhtPort));
  }

  @Test
  void sendsNoPortToAPeerWithoutTheDhtBit() throws Exception {
    byte[] data = TestData.bytes(50_000, 7);
    Metainfo metainfo = TestData.singleFile("noport.bin", data, 16 * 1024, null);
    BackgroundDownload seeder = seeder(metainfo, data, DownloadOptions.builder(folder).dht(true));
    ScriptedPeer peer = peer(seeder, metainfo, EXTENDED);
    // a request the seeder cannot serve (we are choked): its reject comes after what the
    // handshake's first write held, PORT included had there been one
    peer.send(new Message.Request(new BlockRequest(0, 0, BlockRequest.MAX_LENGTH)));

    List<Message> before = new ArrayList<>();
    Message message;
    while (!((message = peer.next()) instanceof Message.RejectRequest)) {
      before.add(message);
    }

    assertThat(before).as("everything before the reject").isNotEmpty().noneMatch(m -> m instanceof Message.Port);
  }

  @Test
  void aPrivateTorrentHasNoDhtNodeAndNoDhtBit() throws Exception {
    byte[] data = TestData.bytes(50_000, 8);
    Metainfo metainfo = TestData.privateSingleFile("private.bin", data, 16 * 1024);
    BackgroundDownload seeder = seeder(metainfo, data, DownloadOptions.builder(folder).dht(true));

    ScriptedPeer peer = peer(seeder, metainfo, EXTENDED_AND_DHT);

    assertThat(peer.theirs().extensions().has(Extension.DHT)).isFalse();
    assertThat(seeder.log()).as("the node would start before the listener").noneMatch(line -> line.startsWith("dht node on"));
  }

  @Test
  void aPeersPortPutsItsNodeInOurTable() throws Exception {
    byte[] data = TestData.bytes(50_000, 9);
    Metainfo metainfo = TestData.singleFile("heardport.bin", data, 16 * 1024, null);
    try (DhtNode theirNode = DhtNode.start(DhtNode.Settings.loopbackLab(new InetSocketAddress(LOOPBACK, 0)))) {
      BackgroundDownload seeder = seeder(metainfo, data, DownloadOptions.builder(folder).dht(true));
      ScriptedPeer peer = peer(seeder, metainfo, EXTENDED_AND_DHT);

      peer.send(new Message.Port(theirNode.address().getPort()));

      // our node pings theirs; its answer puts it in our table, and their node pings us back
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (theirNode.tableSize() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20); // the node's table size is a number, with nothing to wait on
      }
      assertThat(theirNode.tableSize()).as("the peer's node knows ours").isEqualTo(1);
    }
  }

  private static int dhtPort(BackgroundDownload engine) {
    String line = engine.log().stream().filter(l -> l.startsWith("dht node on ")).findFirst().orElseThrow();
    String address = line.substring("dht node on ".length()).split(",")[0];
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** Reads until an extended message with this extended id, passing over the rest. */
  private static Message.Extended awaitExtended(ScriptedPeer peer, int extendedId) throws Exception {
    while (true) {
      Message.Extended extended = peer.await(Message.Extended.class);
      if (extended.extendedId() == extendedId) {
        return extended;
      }
    }
  }
}
