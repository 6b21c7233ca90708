package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.TestSeeder.Behaviour;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole downloads from seeders on 127.0.0.1, built from chapters 3 to 6, some of them misbehaving. */
class DownloadTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path folder;
  private final List<TestSeeder> seeders = new ArrayList<>();
  private final List<String> log = new ArrayList<>();

  @AfterEach
  void stopTheSeeders() {
    seeders.forEach(TestSeeder::close);
  }

  private TestSeeder seeder(Metainfo metainfo, byte[] data, Behaviour behaviour) throws IOException {
    TestSeeder seeder = TestSeeder.start(metainfo, data, behaviour);
    seeders.add(seeder);
    return seeder;
  }

  private TestSeeder gated(Metainfo metainfo, byte[] data, Behaviour behaviour, CountDownLatch gate)
      throws IOException {
    TestSeeder seeder = TestSeeder.gated(metainfo, data, behaviour, gate);
    seeders.add(seeder);
    return seeder;
  }

  private DownloadOptions.Builder options(TestSeeder... peers) {
    List<PeerAddress> addresses = Arrays.stream(peers).map(TestSeeder::address).toList();
    return DownloadOptions.builder(folder)
        .listen(LOOPBACK, 0)
        .loopbackOnly(true)
        .extraPeers(addresses)
        .timeouts(ConnectionTimeouts.all(Duration.ofSeconds(10)))
        .stallTimeout(Duration.ofSeconds(5))
        .log(line -> {
          synchronized (log) {
            log.add(line);
          }
        });
  }

  @Test
  void fetchesEveryByteFromManySeedersWhenSomeMisbehaveAndBansTheOneSendingBadData() throws Exception {
    byte[] data = TestData.bytes(3 * 1024 * 1024 + 777, 1);
    Metainfo metainfo = TestData.singleFile("swarm.bin", data, 64 * 1024, null);
    // the good seeders unchoke only after the bad one has sent a piece's worth of blocks
    CountDownLatch gate = new CountDownLatch(4);
    TestSeeder corrupt = gated(metainfo, data, Behaviour.CORRUPT, gate);
    TestSeeder[] all = {
      gated(metainfo, data, Behaviour.NORMAL, gate),
      gated(metainfo, data, Behaviour.NORMAL, gate),
      gated(metainfo, data, Behaviour.SLOW, gate),
      gated(metainfo, data, Behaviour.CHOKES_MID_PIPELINE, gate),
      gated(metainfo, data, Behaviour.DISCONNECTS_MID_PIECE, gate),
      corrupt,
    };

    DownloadResult result = new Download(metainfo, options(all).build()).run();

    assertThat(result.complete()).isTrue();
    assertThat(Files.readAllBytes(folder.resolve("swarm.bin"))).as("the downloaded file").isEqualTo(data);
    assertThat(result.banned()).as("banned peers; log: %s", log).contains(corrupt.address());
    assertThat(result.piecesFetched()).isEqualTo(metainfo.pieceCount());
    assertThat(result.bytesFetched()).isGreaterThanOrEqualTo(data.length);
  }

  @Test
  void announcesStartedThenCompletedThenStoppedAndDownloadsFromThePeersTheTrackerNames() throws Exception {
    byte[] data = TestData.bytes(200_000, 9);
    // the tracker's URL is outside the info dictionary: both torrents have the same info hash
    TestSeeder seeder = seeder(TestData.singleFile("tracked.bin", data, 32 * 1024, null), data, Behaviour.NORMAL);
    try (TestTracker tracker = new TestTracker(List.of(seeder.address()))) {
      Metainfo metainfo = TestData.singleFile("tracked.bin", data, 32 * 1024, tracker.announceUrl());

      DownloadResult result = new Download(metainfo, options().build()).run();

      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("tracked.bin"))).isEqualTo(data);
      assertThat(tracker.events()).containsExactly("started", "completed", "stopped");
      assertThat(seeder.bytesServed()).isEqualTo(data.length);
    }
  }

  @Nested
  class Uploading {
    @TempDir Path seederFolder;

    /** One Piecemeal seeds complete data, another downloads it from that seeder alone. */
    @Test
    void servesEveryBlockToAnotherPiecemealAndCountsWhatItUploaded() throws Exception {
      byte[] data = TestData.bytes(700_000, 31);
      Metainfo metainfo = TestData.singleFile("given.bin", data, 32 * 1024, null);
      Files.write(seederFolder.resolve("given.bin"), data);
      CountDownLatch seeding = new CountDownLatch(1);
      PeerAddress[] seederAddress = new PeerAddress[1];
      Download seeder = new Download(metainfo, DownloadOptions.builder(seederFolder)
          .listen(LOOPBACK, 0).seed(true).requireComplete(true)
          .log(line -> {
            if (line.startsWith("listening on ")) {
              seederAddress[0] = PeerAddress.parse(line.substring("listening on ".length()));
            } else if (line.startsWith("seeding")) {
              seeding.countDown();
            }
          }).build());
      DownloadResult[] seeded = new DownloadResult[1];
      Thread seederThread = new Thread(() -> {
        try {
          seeded[0] = seeder.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "test-piecemeal-seeder");
      seederThread.start();
      assertThat(seeding.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("seeding").isTrue();

      DownloadResult result = new Download(metainfo, DownloadOptions.builder(folder)
          .listen(LOOPBACK, 0).extraPeers(List.of(seederAddress[0])).build()).run();
      seeder.stop();
      seederThread.join(10_000);

      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("given.bin"))).isEqualTo(data);
      assertThat(seeded[0].stopped()).as("the seeder ran until stopped").isTrue();
      assertThat(seeded[0].bytesUploaded()).as("uploaded").isGreaterThanOrEqualTo(data.length);
      assertThat(seeded[0].bytesFetched()).isZero();
    }

    @Test
    void refusesToSeedDataWithPiecesMissingAndSaysHowMany() throws Exception {
      byte[] data = TestData.bytes(100_000, 32);
      Metainfo metainfo = TestData.singleFile("partial.bin", data, 32 * 1024, null);
      Files.write(seederFolder.resolve("partial.bin"), Arrays.copyOf(data, 40_000));

      Download seeder = new Download(metainfo, DownloadOptions.builder(seederFolder)
          .listen(LOOPBACK, 0).seed(true).requireComplete(true).build());

      assertThatThrownBy(seeder::run)
          .isInstanceOfSatisfying(DownloadFailure.class, failure ->
              assertThat(failure.reason()).isEqualTo(DownloadFailure.Reason.INCOMPLETE_DATA))
          .hasMessageStartingWith("3 of 4 pieces are missing or damaged in ")
          .hasMessageContaining("(32.0 KiB of 97.7 KiB on disk verified)");
    }
  }

  /** Hostile peers, one group per attack of chapter 8's table; the memory cap has its own group. */
  @Nested
  class Liars {
    @Test
    void bansOnlyTheLiarWhenItsBadBlocksShareFailedPiecesWithAnHonestPeer() throws Exception {
      byte[] data = TestData.bytes(2 * 1024 * 1024 + 333, 21);
      Metainfo metainfo = TestData.singleFile("liar.bin", data, 64 * 1024, null);
      TestSeeder liar = seeder(metainfo, data, Behaviour.CORRUPTS_FIRST_BLOCKS);
      TestSeeder honest = seeder(metainfo, data, Behaviour.NORMAL);

      DownloadResult result = new Download(metainfo, options(liar, honest).build()).run();

      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("liar.bin"))).isEqualTo(data);
      assertThat(result.banned()).as("banned").containsExactly(liar.address());
    }
  }

  @Nested
  class SlotHolders {
    /**
     * Ten peers that dial in, shake hands and then say nothing take every one of ten slots before the
     * one seeder can be reached; the swarm closes one of them to dial the seeder once it is due.
     */
    @Test
    void closesAPeerOfNoUseToMakeRoomWhenSilentPeersHoldEverySlot() throws Exception {
      byte[] data = TestData.bytes(200_000, 23);
      Metainfo metainfo = TestData.singleFile("crowd.bin", data, 32 * 1024, null);
      int seederPort;
      try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
        seederPort = probe.getLocalPort(); // nobody listens there until the seeder starts, below
      }
      List<TestSeeder> silent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        silent.add(seeder(metainfo, data, Behaviour.SILENT));
      }
      CountDownLatch crowded = new CountDownLatch(1);
      Download[] download = new Download[1];
      download[0] = new Download(metainfo, options()
          .extraPeers(List.of(new PeerAddress(LOOPBACK, seederPort)))
          .maxPeers(10)
          .redialAfter(Duration.ofMillis(500))
          .turnoverAfter(Duration.ofMillis(500))
          .giveUpAfter(Duration.ofSeconds(30))
          .log(line -> {
            synchronized (log) {
              log.add(line);
            }
            if (line.startsWith("listening on ")) {
              PeerAddress us = PeerAddress.parse(line.substring("listening on ".length()));
              silent.forEach(peer -> peer.dial(us));
              crowded.countDown();
            }
          }).build());
      Thread seederLate = new Thread(() -> {
        try {
          crowded.await();
          for (TestSeeder peer : silent) {
            if (!peer.awaitHandshake(Duration.ofSeconds(10))) {
              throw new IllegalStateException("a silent peer never got through its handshake");
            }
          }
          // Our side registers each of them a moment after its handshake; the seeder must become
          // reachable only once all ten hold their slots. The engine offers no event for that, so
          // its status is read a few times, within a bound.
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (download[0].status().map(Progress.Snapshot::peersConnected).orElse(0) < 10
              && System.nanoTime() < deadline) {
            Thread.sleep(5);
          }
          seeders.add(TestSeeder.startOn(seederPort, metainfo, data, Behaviour.NORMAL));
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, "test-seeder-late");
      seederLate.start();

      DownloadResult result = download[0].run();
      seederLate.join();

      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("crowd.bin"))).isEqualTo(data);
      assertThat(log).anySatisfy(line -> assertThat(line)
          .contains(": of no use: it has nothing we lack after ")
          .endsWith("; making room for a new peer"));
    }

  }

  @Nested
  class ProtocolBreakers {
    @Test
    void dropsAPeerThatBreaksTheProtocolAndSaysItIsNotDialedAgain() throws Exception {
      byte[] data = TestData.bytes(300_000, 22);
      Metainfo metainfo = TestData.singleFile("breaker.bin", data, 32 * 1024, null);
      // the honest seeder unchokes only once the engine has dropped the breaker: opened when the
      // breaker had merely sent its 2 GiB prefix, the download could end before the prefix was read
      CountDownLatch dropped = new CountDownLatch(1);
      TestSeeder breaker = seeder(metainfo, data, Behaviour.BREAKS_PROTOCOL);
      TestSeeder honest = gated(metainfo, data, Behaviour.NORMAL, dropped);

      DownloadResult result = new Download(metainfo, options(breaker, honest).log(line -> {
        synchronized (log) {
          log.add(line);
        }
        if (line.startsWith("dropped ")) {
          dropped.countDown();
        }
      }).build()).run();

      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("breaker.bin"))).isEqualTo(data);
      assertThat(log).anySatisfy(line -> assertThat(line)
          .startsWith("dropped " + breaker.address() + ": ")
          .contains("2147483647")
          .endsWith("; not dialed again"));
      assertThat(breaker.connections()).isEqualTo(1);
    }
  }

  @Test
  void stopsCleanlyOnRequestAndSaysStoppedToTheTracker() throws Exception {
    byte[] data = TestData.bytes(100_000, 10);
    TestSeeder choking = seeder(TestData.singleFile("stop.bin", data, 32 * 1024, null), data, Behaviour.NEVER_UNCHOKES);
    try (TestTracker tracker = new TestTracker(List.of(choking.address()))) {
      Metainfo metainfo = TestData.singleFile("stop.bin", data, 32 * 1024, tracker.announceUrl());
      Download[] download = new Download[1];
      // Ctrl-C in the command calls stop() from a shutdown hook; here, once the tracker answered
      download[0] = new Download(metainfo, options().log(line -> {
        if (line.startsWith("tracker ")) {
          download[0].stop();
        }
      }).build());

      DownloadResult result = download[0].run();

      assertThat(result.complete()).isFalse();
      assertThat(tracker.events()).containsExactly("started", "stopped");
    }
  }

  @Test
  void dropsAPeerThatHoldsRequestsWithoutAnsweringThem() throws Exception {
    byte[] data = TestData.bytes(100_000, 13);
    Metainfo metainfo = TestData.singleFile("stall.bin", data, 32 * 1024, null);
    TestSeeder staller = seeder(metainfo, data, Behaviour.STALLS);
    Download[] download = new Download[1];
    download[0] = new Download(metainfo, options(staller).stallTimeout(Duration.ofMillis(300)).log(line -> {
      synchronized (log) {
        log.add(line);
      }
      if (line.startsWith("dropped ")) {
        download[0].stop();
      }
    }).build());

    DownloadResult result = download[0].run();

    assertThat(result.complete()).isFalse();
    assertThat(log).anySatisfy(line -> assertThat(line)
        .startsWith("dropped " + staller.address() + ": stalled: no block for ")
        .endsWith(" with 4 requests out"));
  }

  @Test
  void downloadsFromAPeerThatDialsUs() throws Exception {
    byte[] data = TestData.bytes(150_000, 14);
    Metainfo metainfo = TestData.singleFile("incoming.bin", data, 32 * 1024, null);
    TestSeeder seeder = seeder(metainfo, data, Behaviour.NORMAL);
    // no tracker, no --peer: the only peer is one that learns our port and dials in
    DownloadOptions options = options().log(line -> {
      if (line.startsWith("listening on ")) {
        seeder.dial(PeerAddress.parse(line.substring("listening on ".length())));
      }
    }).build();

    DownloadResult result = new Download(metainfo, options).run();

    assertThat(result.complete()).isTrue();
    assertThat(Files.readAllBytes(folder.resolve("incoming.bin"))).isEqualTo(data);
    assertThat(seeder.bytesServed()).isEqualTo(data.length);
  }

  @Test
  void listensOnTheNextFreePortWhenTheChosenOneIsTaken() throws Exception {
    byte[] data = TestData.bytes(40_000, 15);
    Metainfo metainfo = TestData.singleFile("port.bin", data, 16 * 1024, null);
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      DownloadOptions options = options(seeder(metainfo, data, Behaviour.NORMAL))
          .listen(LOOPBACK, taken.getLocalPort()).build();

      DownloadResult result = new Download(metainfo, options).run();

      assertThat(result.complete()).isTrue();
      assertThat(log).anySatisfy(line -> assertThat(line)
          .startsWith("port " + taken.getLocalPort() + " is taken; listening on 127.0.0.1:"));
    }
  }

  @Test
  void resumesFromWhatIsOnDiskAndFetchesOnlyTheRest() throws Exception {
    int pieceLength = 32 * 1024;
    byte[] data = TestData.bytes(20 * pieceLength + 100, 2);
    Metainfo metainfo = TestData.singleFile("half.bin", data, pieceLength, null);
    int onDisk = 10 * pieceLength;
    Files.write(folder.resolve("half.bin"), Arrays.copyOf(data, onDisk)); // an interrupted run's file
    TestSeeder seeder = seeder(metainfo, data, Behaviour.NORMAL);

    DownloadResult result = new Download(metainfo, options(seeder).build()).run();

    assertThat(result.complete()).isTrue();
    assertThat(result.piecesOnDiskAtStart()).isEqualTo(10);
    assertThat(result.piecesFetched()).isEqualTo(11);
    assertThat(seeder.bytesServed()).as("bytes the seeder sent").isEqualTo(data.length - onDisk);
    assertThat(Files.readAllBytes(folder.resolve("half.bin"))).isEqualTo(data);
  }

  @Test
  void fetchesATorrentOfOnePiece() throws Exception {
    byte[] data = TestData.bytes(10_000, 3);
    Metainfo metainfo = TestData.singleFile("one.bin", data, 16 * 1024, null);
    assertThat(metainfo.pieceCount()).isEqualTo(1);

    DownloadResult result = new Download(metainfo, options(seeder(metainfo, data, Behaviour.NORMAL)).build()).run();

    assertThat(result.complete()).isTrue();
    assertThat(Files.readAllBytes(folder.resolve("one.bin"))).isEqualTo(data);
  }

  @Test
  void fetchesAMultiFileTorrentWithEmptyFilesAndAShortLastPiece() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.txt", TestData.bytes(40_000, 4));
    files.put("empty", new byte[0]);
    files.put("sub/b.bin", TestData.bytes(70_001, 5));
    files.put("sub/zero", new byte[0]);
    Metainfo metainfo = TestData.multiFile("album", 32 * 1024, files);
    byte[] data = TestData.concat(files);
    assertThat(data.length % metainfo.pieceLength()).as("the last piece is short").isNotZero();

    DownloadResult result = new Download(metainfo, options(
        seeder(metainfo, data, Behaviour.NORMAL), seeder(metainfo, data, Behaviour.NORMAL)).build()).run();

    assertThat(result.complete()).isTrue();
    Path album = folder.resolve("album");
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      assertThat(Files.readAllBytes(album.resolve(file.getKey()))).as(file.getKey()).isEqualTo(file.getValue());
    }
  }

  @Test
  void givesUpWhenTheOnlyPeerHasNoneOfTheMissingPieces() throws Exception {
    byte[] data = TestData.bytes(4 * 16 * 1024, 6);
    Metainfo metainfo = TestData.singleFile("nothing.bin", data, 16 * 1024, null);
    TestSeeder empty = TestSeeder.withPieces(metainfo, data, new Bitfield(metainfo.pieceCount()));
    seeders.add(empty);

    Download download = new Download(metainfo, options(empty).giveUpAfter(Duration.ofMillis(500)).build());

    assertThatThrownBy(download::run)
        .isInstanceOfSatisfying(DownloadFailure.class, failure ->
            assertThat(failure.reason()).isEqualTo(DownloadFailure.Reason.NO_PEER_HAS_THE_MISSING_PIECES))
        .hasMessageStartingWith("no peer has the missing pieces (1 connected")
        .hasMessageEndingWith("; 0 of 4 pieces (0%) are saved in " + folder.toRealPath()
            + " and a later run resumes from them");
    assertThat(empty.connections()).isEqualTo(1);
  }

  @Test
  void givesUpWhenNoTrackerAnswers() throws Exception {
    int unusedPort;
    try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
      unusedPort = socket.getLocalPort(); // free again once closed: nobody answers there
    }
    byte[] data = TestData.bytes(4 * 16 * 1024, 7);
    String tracker = "udp://127.0.0.1:" + unusedPort + "/announce";
    Metainfo metainfo = TestData.singleFile("silent.bin", data, 16 * 1024, tracker);

    Download download = new Download(metainfo, options()
        .trackerTimeout(Duration.ofMillis(300)).giveUpAfter(Duration.ofMillis(800)).build());

    assertThatThrownBy(download::run)
        .isInstanceOfSatisfying(DownloadFailure.class, failure ->
            assertThat(failure.reason()).isEqualTo(DownloadFailure.Reason.NO_TRACKER_ANSWERED))
        .hasMessageStartingWith("no tracker answered (")
        .hasMessageContaining(tracker)
        .hasMessageContaining("0 of 4 pieces (0%) are saved in");
  }

  /**
   * Whole downloads within a small memory cap (1 MiB). The bytes held by the pieces in flight are
   * counted at every piece begun, so the high-water mark asserted here is measured, not assumed.
   */
  @Nested
  class WithinAMemoryCap {
    private static final long CAP = 1 << 20;

    @Test
    void fetchesATorrentWhosePiecesAreLargerThanTheCapByPuttingThemTogetherOnDisk() throws Exception {
      int pieceLength = 2 * 1024 * 1024;
      byte[] data = TestData.bytes(3 * pieceLength + 777, 31); // four pieces of 2 MiB, the last short
      Metainfo metainfo = TestData.singleFile("large-pieces.bin", data, pieceLength, null);
      Download download = new Download(metainfo, options(
          seeder(metainfo, data, Behaviour.NORMAL),
          seeder(metainfo, data, Behaviour.DISCONNECTS_MID_PIECE),
          seeder(metainfo, data, Behaviour.CHOKES_MID_PIPELINE)).memoryCap(CAP).build());

      DownloadResult result = download.run();

      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("large-pieces.bin"))).as("the downloaded file").isEqualTo(data);
      assertThat(log).contains("pieces of 2.0 MiB are put together on disk: fewer than 8 fit in the memory cap of 1.0 MiB");
      assertThat(download.peakBytesInFlight()).as("the most bytes held at once").isPositive().isLessThanOrEqualTo(CAP);
      assertThat(download.bytesInFlight()).as("every byte taken was given back").isZero();
    }

    @Test
    void bansOnlyTheLiarWhenPiecesArePutTogetherOnDisk() throws Exception {
      byte[] data = TestData.bytes(2 * 1024 * 1024 + 333, 32);
      Metainfo metainfo = TestData.singleFile("liar-on-disk.bin", data, 256 * 1024, null);
      // the honest seeder unchokes only once the liar has sent a bad block
      CountDownLatch gate = new CountDownLatch(1);
      TestSeeder liar = gated(metainfo, data, Behaviour.CORRUPTS_FIRST_BLOCKS, gate);
      TestSeeder honest = gated(metainfo, data, Behaviour.NORMAL, gate);
      Download download = new Download(metainfo, options(liar, honest).memoryCap(CAP).build());

      DownloadResult result = download.run();

      assertThat(log).anySatisfy(line -> assertThat(line).startsWith("pieces of 256.0 KiB are put together on disk"));
      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("liar-on-disk.bin"))).isEqualTo(data);
      assertThat(result.banned()).as("banned; log: %s", log).containsExactly(liar.address());
      assertThat(download.bytesInFlight()).as("failed pieces gave their bytes back too").isZero();
    }

    @Test
    void holdsNoMoreThanTheCapWhileManyPeersSendAtOnce() throws Exception {
      byte[] data = TestData.bytes(8 * 1024 * 1024, 33);
      Metainfo metainfo = TestData.singleFile("many.bin", data, 64 * 1024, null); // 15 pieces fit in 1 MiB
      TestSeeder[] peers = new TestSeeder[12];
      for (int i = 0; i < peers.length; i++) {
        peers[i] = seeder(metainfo, data, i % 4 == 0 ? Behaviour.SLOW : Behaviour.NORMAL);
      }
      Download download = new Download(metainfo, options(peers).memoryCap(CAP).build());

      DownloadResult result = download.run();

      assertThat(result.complete()).isTrue();
      assertThat(Files.readAllBytes(folder.resolve("many.bin"))).isEqualTo(data);
      assertThat(log).noneSatisfy(line -> assertThat(line).contains("put together on disk"));
      assertThat(download.peakBytesInFlight()).as("the most bytes held at once (%d peers used)", result.peersUsed())
          .isPositive().isLessThanOrEqualTo(CAP);
      assertThat(download.bytesInFlight()).as("every byte taken was given back").isZero();
    }
  }

  /**
   * Every thread the download started has ended when run() returns: the live threads after, less
   * those alive before, less the seeder's (started from a thread group of their own, which threads
   * they start inherit).
   */
  @Test
  void endsEveryThreadItStartedBeforeRunReturns() throws Exception {
    byte[] data = TestData.bytes(5 * 16 * 1024, 8);
    Metainfo metainfo = TestData.singleFile("threads.bin", data, 16 * 1024, null);
    ThreadGroup seederThreads = new ThreadGroup("test-seeders");
    TestSeeder[] seeder = new TestSeeder[1];
    Thread starter = new Thread(seederThreads, () -> {
      try {
        seeder[0] = seeder(metainfo, data, Behaviour.NORMAL);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "test-seeder-starter");
    starter.start();
    starter.join();
    Set<Thread> before = liveThreads();

    DownloadResult result = new Download(metainfo, options(seeder[0]).build()).run();

    assertThat(result.complete()).isTrue();
    List<String> left = liveThreads().stream()
        .filter(thread -> !before.contains(thread))
        .filter(thread -> !seederThreads.parentOf(thread.getThreadGroup()))
        // one daemon for the whole JVM, started by the first connection that writes (chapter 3)
        .filter(thread -> !thread.getName().equals("peer-write-watchdog"))
        .map(Thread::getName)
        .toList();
    assertThat(left).as("threads the download started and left running").isEmpty();
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
  }
}
