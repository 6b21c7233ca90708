package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.dht.DhtNode;
import dev.piecemeal.client.magnet.ExtendedHandshake;
import dev.piecemeal.client.magnet.MagnetLink;
import dev.piecemeal.client.magnet.MetadataMessage;
import dev.piecemeal.client.magnet.MetadataServer;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.peers.ConnectionTimeouts;
import java.io.EOFException;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads that start from a magnet link (chapter 10): the metadata phase, then the download
 * with the same peers, against a scripted seeder over a raw socket and against Piecemeal seeders.
 */
class DownloadMagnetTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Extensions FAST_AND_EXTENDED = Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL);
  private static final int PEERS_UT_METADATA = 5;

  @TempDir Path folder;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
  }

  private DownloadOptions.Builder options(Path into) {
    return DownloadOptions.builder(into)
        .listen(LOOPBACK, 0)
        .loopbackOnly(true)
        .giveUpAfter(Duration.ofSeconds(30))
        .timeouts(ConnectionTimeouts.all(Duration.ofSeconds(10)))
        .log(log::add);
  }

  private static MagnetLink link(Metainfo metainfo, String... peers) throws Exception {
    StringBuilder link = new StringBuilder("magnet:?xt=urn:btih:" + metainfo.infoHash().hex());
    for (String peer : peers) {
      link.append("&x.pe=").append(peer);
    }
    return MagnetLink.parse(link.toString());
  }

  /** Runs the download on a thread of its own; the future holds its result or what it threw. */
  private CompletableFuture<DownloadResult> start(Download download) {
    CompletableFuture<DownloadResult> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(download.run());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "test-magnet-download");
    thread.start();
    running.add(() -> {
      download.stop();
      thread.join(20_000);
    });
    return result;
  }

  /**
   * The hand-off: one scripted seeder, dialed once. It gives the metadata in the phase, then the
   * blocks in the download, on the same connection; the engine never says HAVE NONE or a
   * bitfield again, and never dials it a second time.
   */
  @Test
  void aPeerConnectedForTheMetadataServesTheBlocksWithoutARedial() throws Exception {
    byte[] data = TestData.bytes(5 * BlockRequest.MAX_LENGTH + 100, 21);
    Metainfo metainfo = TestData.singleFile("handed.bin", data, BlockRequest.MAX_LENGTH, null);
    MetadataServer metadata = MetadataServer.of(metainfo).orElseThrow();
    ScriptedPeer.Listening port = ScriptedPeer.Listening.open();
    running.add(port);
    Download download = new Download(link(metainfo, port.address().toString()), options(folder).build(), m -> {});
    CompletableFuture<DownloadResult> result = start(download);

    ScriptedPeer seeder = port.accept(metainfo, FAST_AND_EXTENDED);
    running.add(0, seeder);
    assertThat(seeder.next()).isEqualTo(new Message.HaveNone());
    ExtendedHandshake first = ExtendedHandshake.decode(((Message.Extended) seeder.next()).payload());
    int engineId = first.idOf("ut_metadata").orElseThrow();
    seeder.send(ExtendedHandshake.of(Map.of("ut_metadata", PEERS_UT_METADATA))
        .withMetadataSize(metadata.totalSize()).message(), new Message.HaveAll(), new Message.Unchoke());

    List<Message> firstWords = new ArrayList<>();
    AtomicReference<ExtendedHandshake> second = new AtomicReference<>();
    int blocksServed = 0;
    try {
      while (true) {
        Message message = seeder.next();
        if (message instanceof Message.Extended extended && extended.extendedId() == PEERS_UT_METADATA) {
          var request = (MetadataMessage.Request) MetadataMessage.decode(extended.payload()).orElseThrow();
          seeder.send(metadata.answer(request).message(engineId));
        } else if (message instanceof Message.Extended extended && extended.extendedId() == 0) {
          second.set(ExtendedHandshake.decode(extended.payload()));
        } else if (message instanceof Message.Request request) {
          BlockRequest block = request.block();
          int at = block.pieceIndex() * metainfo.pieceLength() + block.begin();
          seeder.send(Message.Piece.of(block.pieceIndex(), block.begin(),
              Arrays.copyOfRange(data, at, at + block.length())));
          blocksServed++;
        } else if (message instanceof Message.HaveNone || message instanceof Message.HaveAll
            || message instanceof Message.Bitfield) {
          firstWords.add(message);
        }
      }
    } catch (EOFException | SocketException hungUp) {
      // the download is complete, and the engine closes its peers
    }

    DownloadResult done = result.get(30, TimeUnit.SECONDS);
    assertThat(done.complete()).isTrue();
    assertThat(Files.readAllBytes(folder.resolve("handed.bin"))).isEqualTo(data);
    assertThat(blocksServed).as("blocks, all from the peer of the metadata phase").isEqualTo(6);
    assertThat(port.connections()).as("connections to the seeder: the phase's, kept").isEqualTo(1);
    assertThat(firstWords).as("HAVE NONE or a bitfield after the phase's").isEmpty();
    assertThat(second.get()).as("the session's extended handshake, now with the metadata").isNotNull();
    assertThat(second.get().metadataSize()).hasValue(metadata.totalSize());
  }

  @Test
  void downloadsFromPiecemealSeedersGivenOnlyAMagnetLink() throws Exception {
    byte[] data = TestData.bytes(700_000, 22);
    Metainfo metainfo = TestData.singleFile("magnet.bin", data, 64 * 1024, null);
    List<String> seeders = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path seedFolder = Files.createDirectories(folder.resolve("seed" + i));
      Files.write(seedFolder.resolve("magnet.bin"), data);
      BackgroundDownload seeder = BackgroundDownload.seeder(metainfo, DownloadOptions.builder(seedFolder)
          .listen(LOOPBACK, 0).loopbackOnly(true));
      running.add(seeder);
      seeders.add(seeder.address().toString());
    }
    Path into = Files.createDirectories(folder.resolve("download"));
    AtomicReference<Metainfo> told = new AtomicReference<>();
    Download download = new Download(link(metainfo, seeders.toArray(String[]::new)), options(into).build(), told::set);

    DownloadResult result = start(download).get(60, TimeUnit.SECONDS);

    assertThat(result.complete()).isTrue();
    assertThat(Files.readAllBytes(into.resolve("magnet.bin"))).isEqualTo(data);
    assertThat(told.get().infoHash()).as("the torrent the metadata became").isEqualTo(metainfo.infoHash());
    assertThat(told.get().infoBytes()).isEqualTo(metainfo.infoBytes());

    // run again: the metadata again, then the recheck finds every piece, as with a .torrent
    Download again = new Download(link(metainfo, seeders.toArray(String[]::new)), options(into).build(), m -> {});
    DownloadResult resumed = start(again).get(60, TimeUnit.SECONDS);
    assertThat(resumed.complete()).isTrue();
    assertThat(resumed.piecesFetched()).as("pieces fetched by the second run").isZero();
  }

  @Test
  void aLinkThatNamesNoOneFailsAtOnceInOneLineWithTheDhtOff() throws Exception {
    Metainfo metainfo = TestData.singleFile("nobody.bin", TestData.bytes(1000, 23), 16384, null);
    Download download = new Download(link(metainfo), options(folder).dht(false).build(), m -> {});
    assertThatThrownBy(download::run)
        .isInstanceOf(DownloadFailure.class)
        .hasMessage("the magnet link names no tracker (tr) and no peer (x.pe), no peer was given with --peer, and the"
            + " DHT is off (--no-dht): there is no one to ask for the metadata");
  }

  @Test
  void aLinkThatNamesNoOneFailsAtOnceWhenTheDhtHasNoNodeToStartFrom() throws Exception {
    Metainfo metainfo = TestData.singleFile("nobody.bin", TestData.bytes(1000, 27), 16384, null);
    Download download = new Download(link(metainfo), options(folder).dht(true).build(), m -> {});
    assertThatThrownBy(download::run)
        .isInstanceOf(DownloadFailure.class)
        .hasMessage("the magnet link names no tracker (tr) and no peer (x.pe), no peer was given with --peer, and the"
            + " DHT has no node to start from (--dht-bootstrap HOST:PORT, or a table an earlier run saved):"
            + " there is no one to ask for the metadata");
    assertThat(log).as("the node was started first").anySatisfy(line -> assertThat(line).startsWith("dht node on"));
  }

  /**
   * A link with only its info-hash, and one bootstrap node: the metadata phase's DHT lookup finds
   * the seeder, and the download goes on with the same node (one "dht node on" line, before the
   * metadata is in).
   */
  @Test
  void aLinkWithOnlyItsInfoHashFindsTheSeederThroughTheDhtWithOneNodeForTheRun() throws Exception {
    byte[] data = TestData.bytes(6 * 16 * 1024 + 300, 25);
    Metainfo metainfo = TestData.singleFile("trackerless.bin", data, 16 * 1024, null);
    Path seedFolder = Files.createDirectories(folder.resolve("seed"));
    Files.write(seedFolder.resolve("trackerless.bin"), data);
    DhtNode bootstrap = DhtNode.start(DhtNode.Settings.loopbackLab(new InetSocketAddress(LOOPBACK, 0)));
    running.add(bootstrap);
    List<PeerAddress> nodes = List.of(new PeerAddress(LOOPBACK, bootstrap.address().getPort()));
    BackgroundDownload seeder = BackgroundDownload.seeder(metainfo, DownloadOptions.builder(seedFolder)
        .listen(LOOPBACK, 0).loopbackOnly(true).dht(true).dhtBootstrap(nodes));
    running.add(0, seeder);
    assertThat(seeder.awaitLog(line -> line.startsWith("dht: get_peers") && line.contains("announce_peer"),
        Duration.ofSeconds(20))).as("the seeder announced itself into the DHT").isTrue();
    Path into = Files.createDirectories(folder.resolve("download"));

    Download download = new Download(link(metainfo), options(into).dht(true).dhtBootstrap(nodes).build(), m -> {});
    DownloadResult result = start(download).get(60, TimeUnit.SECONDS);

    assertThat(result.complete()).isTrue();
    assertThat(Files.readAllBytes(into.resolve("trackerless.bin"))).isEqualTo(data);
    assertThat(log.stream().filter(line -> line.startsWith("dht node on "))).as("one DHT node for the run").hasSize(1);
    assertThat(indexOf("dht node on ")).as("the node starts before the metadata is in")
        .isLessThan(indexOf("metadata: "));
    assertThat(log).noneMatch(line -> line.contains("private"));
  }

  /**
   * A link cannot say that its torrent is private: the phase asks the DHT, and once the info
   * dictionary says {@code private=1}, the download closes the node and says so in one line.
   */
  @Test
  void aPrivateTorrentFromALinkStopsUsingTheDhtOnceItsMetadataIsIn() throws Exception {
    byte[] data = TestData.bytes(3 * 16 * 1024, 26);
    Metainfo metainfo = TestData.privateSingleFile("private.bin", data, 16 * 1024);
    Path seedFolder = Files.createDirectories(folder.resolve("seed"));
    Files.write(seedFolder.resolve("private.bin"), data);
    BackgroundDownload seeder = BackgroundDownload.seeder(metainfo, DownloadOptions.builder(seedFolder)
        .listen(LOOPBACK, 0).loopbackOnly(true));
    running.add(seeder);
    Path into = Files.createDirectories(folder.resolve("download"));
    Path state = folder.resolve("state/dht.dat");

    Download download = new Download(link(metainfo, seeder.address().toString()),
        options(into).dht(true).dhtState(state).build(), m -> {});
    DownloadResult result = start(download).get(60, TimeUnit.SECONDS);

    assertThat(result.complete()).isTrue();
    assertThat(Files.readAllBytes(into.resolve("private.bin"))).isEqualTo(data);
    assertThat(log).containsOnlyOnce(
        "the torrent is private (BEP 27): no more DHT and peer exchange for it, its trackers alone");
    assertThat(indexOf("metadata: ")).isLessThan(indexOf("the torrent is private"));
    assertThat(state).as("the node closed at the hand-over, its table saved").isRegularFile();
    assertThat(download.dhtStatus()).as("no DHT on the status line from then on").isEmpty();
  }

  private int indexOf(String prefix) {
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line starting " + prefix + " in " + log);
  }

  @Test
  void givesUpWhenNoPeerAnswersInOneLineNamingWhatWasTried() throws Exception {
    Metainfo metainfo = TestData.singleFile("nobody.bin", TestData.bytes(1000, 24), 16384, null);
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, LOOPBACK)) {
      closedPort = socket.getLocalPort(); // closed when the dial comes: refused
    }
    Download download = new Download(link(metainfo, "127.0.0.1:" + closedPort),
        options(folder).giveUpAfter(Duration.ofMillis(600)).build(), m -> {});
    assertThatThrownBy(download::run)
        .isInstanceOf(DownloadFailure.class)
        .hasMessageStartingWith("no metadata after 600 ms: 1 address dialed, none answered the handshake")
        .hasMessageContaining("127.0.0.1:" + closedPort);
  }
}
