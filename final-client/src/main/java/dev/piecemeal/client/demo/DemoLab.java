package dev.piecemeal.client.demo;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.StatusLine;
import dev.piecemeal.client.create.Content;
import dev.piecemeal.client.create.ContentScan;
import dev.piecemeal.client.create.CreateException;
import dev.piecemeal.client.create.CreatedTorrent;
import dev.piecemeal.client.create.PieceLength;
import dev.piecemeal.client.create.TorrentCreator;
import dev.piecemeal.client.create.TorrentOptions;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.server.TrackerServer;
import dev.piecemeal.tracker.server.TrackerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A whole BitTorrent swarm in one process, on 127.0.0.1: chapter 2's teaching tracker, a torrent
 * made by {@code piecemeal create}'s code, and a few Piecemeal seeders, all sharing one copy of
 * the sample data. {@code piecemeal demo} downloads from it once; {@code piecemeal demo --serve}
 * leaves it running for a reader's own commands.
 *
 * <pre>
 * FOLDER/
 *   demo.torrent              announce: http://127.0.0.1:6969/announce, then udp://… (two tiers)
 *   demo-udp.torrent          the same info (the same info-hash, the same swarm), UDP only
 *   seed/piecemeal-demo/…     the data every seeder serves ({@link SampleContent})
 * </pre>
 *
 * <p>{@link #start} does it in the order a swarm needs: the data, the tracker (its URL goes into
 * the torrent), the torrent, then the seeders, each announced before the next step. {@link
 * #close} undoes it in reverse: the seeders say "stopped" to a tracker that is still there.
 *
 * <p>Simplified: the seeders share one copy of the data and one machine. Real seeders each have
 * their own copy on their own machine; the demo is about the protocol between them, which is the
 * same either way, and one copy keeps it at twice the sample's size on disk, not four times.
 */
public final class DemoLab implements AutoCloseable {
  /** The torrent a download uses: the HTTP tracker first, then UDP. */
  public static final String TORRENT = "demo.torrent";
  /** The same torrent naming only the UDP tracker: BEP 15, for chapter 2. */
  public static final String UDP_TORRENT = "demo-udp.torrent";
  /** Where the seeders' data is, inside the lab's folder. */
  public static final String SEED_FOLDER = "seed";
  /**
   * The tracker's interval: a minute, so that a peer that leaves without a goodbye (a reader's
   * {@code announce}) is forgotten after two; opentracker says half an hour.
   */
  static final int TRACKER_INTERVAL_SECONDS = 60;
  /**
   * Pieces of 256 KiB, the length most torrents of a few MiB use: 32 pieces for the 8 MiB demo,
   * each of 16 blocks, where {@code create}'s own choice would be 512 pieces of one block each.
   */
  static final int PIECE_LENGTH = 256 * 1024;
  /** The longest a seeder may take to check its data and announce. */
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  /** The longest a seeder may take to close its peers and say "stopped". */
  static final Duration STOP_WITHIN = Duration.ofSeconds(20);

  /**
   * What to start.
   *
   * @param folder the lab's folder, created if missing
   * @param size the sample's size in bytes ({@link SampleContent#MIN_SIZE} to {@link SampleContent#MAX_SIZE})
   * @param seeders how many seeders
   * @param address where everything listens: 127.0.0.1
   * @param trackerPort the tracker's port, TCP and UDP; 0 for any free one
   * @param firstSeederPort the first seeder's port, the next ones after it; 0 for any free ones
   */
  public record Options(Path folder, long size, int seeders, InetAddress address, int trackerPort,
      int firstSeederPort) {
    public Options {
      Objects.requireNonNull(folder, "folder");
      Objects.requireNonNull(address, "address");
      if (seeders < 1) {
        throw new IllegalArgumentException(seeders + " seeders: need at least 1");
      }
      if (trackerPort < 0 || trackerPort > 65535 || firstSeederPort < 0 || firstSeederPort + seeders - 1 > 65535) {
        throw new IllegalArgumentException("ports " + trackerPort + " and " + firstSeederPort + ".."
            + (firstSeederPort + seeders - 1) + " are not all in 0..65535");
      }
    }

    /** Seeder {@code number}'s port (1 is the first); 0 when any port will do. */
    int seederPort(int number) {
      return firstSeederPort == 0 ? 0 : firstSeederPort + number - 1;
    }
  }

  private final Path folder;
  private final SampleContent sample;
  private final Metainfo metainfo;
  private final TrackerServer tracker;
  private final List<Seeder> seeders;

  private DemoLab(Path folder, SampleContent sample, Metainfo metainfo, TrackerServer tracker, List<Seeder> seeders) {
    this.folder = folder;
    this.sample = sample;
    this.metainfo = metainfo;
    this.tracker = tracker;
    this.seeders = seeders;
  }

  /**
   * Starts the swarm and returns once every seeder has announced.
   *
   * @throws DemoException a port is taken, the disk refused, a seeder did not start; whatever had
   *     started is stopped again before this returns
   */
  public static DemoLab start(Options options) throws DemoException, InterruptedException {
    // 1. the ports we were told to use, before anything is written: a clear error, early
    refuseTakenPorts(options);

    // 2. the data
    Path folder = options.folder();
    SampleContent sample = SampleContent.write(folder.resolve(SEED_FOLDER), options.size());

    // 3. the tracker: its URLs go into the torrent
    TrackerServer tracker;
    try {
      tracker = TrackerServer.start(options.address(), options.trackerPort(),
          TrackerSettings.defaults().withInterval(TRACKER_INTERVAL_SECONDS));
    } catch (IOException e) {
      throw DemoException.portTaken(options.trackerPort(), "the tracker, TCP and UDP", e.getMessage());
    }
    List<Seeder> seeders = new ArrayList<>();
    try {
      // 4. the torrent, twice: both tiers, and UDP alone
      Metainfo metainfo = writeTorrent(sample, folder.resolve(TORRENT), tracker.announceUrl(), tracker.udpAnnounceUrl());
      writeTorrent(sample, folder.resolve(UDP_TORRENT), tracker.udpAnnounceUrl());

      // 5. the seeders, each checking the data, listening and announcing on a thread of its own
      for (int number = 1; number <= options.seeders(); number++) {
        seeders.add(Seeder.start(number, metainfo, folder.resolve(SEED_FOLDER), options.address(),
            options.seederPort(number)));
      }
      for (Seeder seeder : seeders) {
        seeder.awaitReady(READY_WITHIN);
      }
      return new DemoLab(folder, sample, metainfo, tracker, seeders);
    } catch (DemoException | InterruptedException | RuntimeException e) {
      stopQuietly(seeders);
      tracker.close();
      throw e;
    }
  }

  /**
   * Each fixed port, bound for a moment and let go. The tracker would fail on its own, but a
   * seeder's engine moves on to the next free port, which may be the next seeder's.
   */
  private static void refuseTakenPorts(Options options) throws DemoException {
    List<Integer> ports = new ArrayList<>();
    List<String> whose = new ArrayList<>();
    if (options.trackerPort() != 0) {
      ports.add(options.trackerPort());
      whose.add("the tracker, TCP and UDP");
    }
    for (int number = 1; number <= options.seeders(); number++) {
      if (options.seederPort(number) != 0) {
        ports.add(options.seederPort(number));
        whose.add("seeder " + number);
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(options.address(), ports.get(i)));
      } catch (IOException e) {
        throw DemoException.portTaken(ports.get(i), whose.get(i), e.getMessage());
      }
    }
  }

  /** A v1 torrent of the sample, through {@code piecemeal create}'s code, written and loaded back. */
  private static Metainfo writeTorrent(SampleContent sample, Path file, String... trackers) throws DemoException,
      InterruptedException {
    try {
      Content content = ContentScan.of(sample.root());
      TorrentOptions options = TorrentOptions.trackers(trackers)
          .withPieceLength(PIECE_LENGTH)
          .withCreatedBy("Piecemeal demo");
      CreatedTorrent torrent = TorrentCreator.create(content, options, Runtime.getRuntime().availableProcessors(),
          (hashed, total) -> { });
      Files.write(file, torrent.bytes());
      return Metainfo.fromFile(file);
    } catch (CreateException | MetainfoException | IOException e) {
      throw new DemoException("cannot make the demo's torrent " + file + ": " + e.getMessage(), e);
    }
  }

  /** The lab's folder. */
  public Path folder() {
    return folder;
  }

  /** The data the seeders serve. */
  public SampleContent sample() {
    return sample;
  }

  /** The torrent, loaded as a download loads it. */
  public Metainfo metainfo() {
    return metainfo;
  }

  /** {@code FOLDER/demo.torrent}. */
  public Path torrentFile() {
    return folder.resolve(TORRENT);
  }

  /** {@code FOLDER/demo-udp.torrent}. */
  public Path udpTorrentFile() {
    return folder.resolve(UDP_TORRENT);
  }

  /** {@code FOLDER/seed}: the folder the torrent's folder is in, as {@code verify -d} wants it. */
  public Path seedFolder() {
    return folder.resolve(SEED_FOLDER);
  }

  /** The tracker, for its port and URLs. */
  public TrackerServer tracker() {
    return tracker;
  }

  /** Where each seeder listens, seeder 1 first. */
  public List<PeerAddress> seederAddresses() {
    return seeders.stream().map(Seeder::address).toList();
  }

  /**
   * What the lab is, in four lines for a person: the data, the tracker, the torrent, the seeders.
   *
   * <pre>
   * made 5 files of sample data (one empty, two folders deep), 8.0 MiB, in /tmp/piecemeal-demo/seed/piecemeal-demo
   * tracker on 127.0.0.1:6969, over HTTP and UDP
   * made /tmp/piecemeal-demo/demo.torrent: 32 pieces of 256 KiB, info-hash 3f…; and demo-udp.torrent, UDP only
   * 3 seeders on 127.0.0.1:6891, 127.0.0.1:6892, 127.0.0.1:6893, each announced
   * </pre>
   */
  public List<String> describe() {
    String trackerAt = tracker.announceUrl().replaceFirst("^http://", "").replaceFirst("/announce$", "");
    List<PeerAddress> addresses = seederAddresses();
    return List.of(
        String.format(Locale.ROOT, "made %d files of sample data (one empty, two folders deep), %s, in %s",
            sample.files().size(), StatusLine.size(sample.size()), sample.root()),
        "tracker on " + trackerAt + ", over HTTP and UDP",
        String.format(Locale.ROOT, "made %s: %d pieces of %s, info-hash %s; and %s, UDP only", torrentFile(),
            metainfo.pieceCount(), PieceLength.readable(metainfo.pieceLength()), metainfo.infoHash().hex(), UDP_TORRENT),
        addresses.size() + (addresses.size() == 1 ? " seeder on " : " seeders on ")
            + addresses.stream().map(PeerAddress::toString).collect(Collectors.joining(", "))
            + (addresses.size() == 1 ? ", announced" : ", each announced"));
  }

  /** A seeder that ended on its own (which it never should), with its last words; empty while all seed. */
  public Optional<String> failure() {
    return seeders.stream().filter(seeder -> !seeder.isSeeding()).findFirst()
        .map(seeder -> seeder.name() + " stopped seeding: " + seeder.lastWords());
  }

  /**
   * Stops every seeder at once and waits for each (they say "stopped" to the tracker, which is
   * still running); the tracker keeps running until {@link #close}.
   *
   * @return what each sent, seeder 1 first
   */
  public List<DownloadResult> stopSeeders() throws DemoException, InterruptedException {
    seeders.forEach(Seeder::requestStop);
    List<DownloadResult> results = new ArrayList<>();
    for (Seeder seeder : seeders) {
      results.add(seeder.awaitStopped(STOP_WITHIN));
    }
    return results;
  }

  /** Stops the seeders (if {@link #stopSeeders} has not) and then the tracker. */
  @Override
  public void close() {
    stopQuietly(seeders);
    tracker.close();
  }

  /** On the way out after a failure: every seeder asked to stop, each waited for, errors dropped. */
  private static void stopQuietly(List<Seeder> seeders) {
    seeders.forEach(Seeder::requestStop);
    boolean interrupted = false;
    for (Seeder seeder : seeders) {
      try {
        seeder.awaitStopped(STOP_WITHIN);
      } catch (DemoException ignored) {
        // the failure that brought us here is the one worth reporting
      } catch (InterruptedException e) {
        interrupted = true; // still wait for the others: no thread is left running
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
