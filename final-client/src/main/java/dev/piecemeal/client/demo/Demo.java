package dev.piecemeal.client.demo;

import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadFailure;
import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.Progress;
import dev.piecemeal.client.StatusLine;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code piecemeal demo}: the whole book in ten seconds, with nothing but a JDK. In a temporary
 * folder it makes sample data and its torrent, starts a tracker and a few seeders on 127.0.0.1
 * ({@link DemoLab}), downloads the data from them with the engine of chapter 8 and its status
 * line, compares the copy with the original byte for byte, says which seeder sent how much, and
 * removes the folder.
 *
 * <pre>
 * tracker on 127.0.0.1:36815, over HTTP and UDP
 * 3 seeders on 127.0.0.1:42043, 127.0.0.1:37171, 127.0.0.1:39721, each announced
 * downloading into /tmp/piecemeal-demo-98390…/download; a seeder unchokes a new peer at its next …
 * done: 8.0 MiB in 9.9 s (828.6 KiB/s), from 3 peers; every piece verified
 * verified: the 5 files are byte for byte the originals (8,388,608 bytes)
 * seeder 1 on 127.0.0.1:42043 sent 3.6 MiB
 * </pre>
 *
 * <p>Every wait is bounded: a seeder gets a minute to start, the download gives up after 30 s
 * without a block and is stopped after {@link #DEADLINE} in all, a seeder gets 20 s to stop.
 * Every thread it starts has ended when {@link #run} returns, and nothing is written outside the
 * temporary folder.
 */
public final class Demo {
  /** The longest the download may take, however steadily blocks arrive. */
  static final Duration DEADLINE = Duration.ofMinutes(5);
  /** How long the download may go without a block before it gives up. */
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

  /**
   * What to do.
   *
   * @param size the sample's size in bytes
   * @param seeders how many seeders
   * @param keep leave the temporary folder for the reader to look at
   * @param trackerPort the tracker's port; 0 (the default) for any free one
   * @param firstSeederPort the first seeder's port; 0 (the default) for any free ones
   */
  public record Options(long size, int seeders, boolean keep, int trackerPort, int firstSeederPort) {}

  private final Options options;
  private final StatusLine status;
  private final Object lock = new Object();
  private boolean stopRequested; // guarded by lock
  private Download download; // guarded by lock; set while the download runs

  public Demo(Options options, StatusLine status) {
    this.options = options;
    this.status = status;
  }

  /**
   * Runs the demo from the first file to the last deletion.
   *
   * @return true when the data arrived and is the same; false when {@link #stop} ended it early
   * @throws DemoException the demo could not finish; the message says why
   */
  public boolean run() throws DemoException, InterruptedException {
    // 1. one temporary folder for everything
    Path folder = temporaryFolder();
    boolean failed = true;
    try {
      // 2. the swarm: the data, the tracker, the torrent, the seeders
      DemoLab lab = DemoLab.start(new DemoLab.Options(folder, options.size(), options.seeders(),
          InetAddress.getLoopbackAddress(), options.trackerPort(), options.firstSeederPort()));
      try (lab) {
        lab.describe().forEach(status::log);

        // 3. download it, as `piecemeal download` would, with the live status line
        Path into = folder.resolve("download");
        createFolder(into);
        status.log("downloading into " + into);
        Optional<Downloaded> downloaded = download(lab, into);
        if (downloaded.isEmpty()) {
          failed = false;
          return false;
        }
        tellAbout(downloaded.get());

        // 4. the same bytes as the original, compared without BitTorrent
        SameBytes.Compared compared = SameBytes.check(lab.sample().root(), downloaded.get().result().location());
        status.log(String.format(Locale.ROOT, "verified: the %d files are byte for byte the originals (%,d bytes)",
            compared.files(), compared.bytes()));

        // 5. stop the seeders: who sent what
        List<PeerAddress> addresses = lab.seederAddresses();
        List<DownloadResult> seeded = lab.stopSeeders();
        tellAbout(addresses, seeded, downloaded.get().result().bytesFetched());
      }
      failed = false;
      return true;
    } finally {
      // 6. remove everything, unless --keep; a failed demo's one error line says the rest
      if (options.keep()) {
        status.log("kept " + folder + ": " + DemoLab.TORRENT + ", " + DemoLab.SEED_FOLDER
            + "/ (the original), download/ (the copy)");
      } else {
        deleteRecursively(folder);
        if (!failed) {
          status.log("removed " + folder + " (--keep keeps it)");
        }
      }
    }
  }

  /** Ends {@link #run} early, from another thread (Ctrl-C): it cleans up and returns false. */
  public void stop() {
    synchronized (lock) {
      stopRequested = true;
      if (download != null) {
        download.stop();
      }
    }
  }

  /** What the download returned, and how long it waited for its first unchoke. */
  private record Downloaded(DownloadResult result, Duration firstUnchoke) {}

  /**
   * The download, on this thread; a status thread draws the line (every half second on a
   * terminal, every 5 s elsewhere), notes the first unchoke, and stops the download at the
   * deadline.
   */
  private Optional<Downloaded> download(DemoLab lab, Path into) throws DemoException, InterruptedException {
    DownloadOptions downloadOptions = DownloadOptions.builder(into)
        .listen(InetAddress.getLoopbackAddress(), 0)
        .giveUpAfter(GIVE_UP_AFTER)
        .trackerTimeout(Seeder.TRACKER_TIMEOUT)
        // the lab on loopback: nothing the torrent or the tracker names elsewhere is contacted
        .loopbackOnly(lab.seederAddresses().stream().allMatch(peer -> peer.address().isLoopbackAddress()))
        .log(line -> status.log("  " + line))
        .build();
    Download engine = new Download(lab.metainfo(), downloadOptions);
    synchronized (lock) {
      if (stopRequested) {
        return Optional.empty();
      }
      download = engine;
    }
    Watcher watcher = new Watcher(engine);
    Thread watching = new Thread(watcher::watch, "status");
    watching.start();
    try {
      DownloadResult result = engine.run();
      if (result.stopped() && watcher.deadlinePassed) {
        throw new DemoException("the download did not finish within " + DEADLINE.toMinutes() + " minutes ("
            + result.piecesFetched() + " of " + result.pieceCount() + " pieces)");
      }
      return result.complete() ? Optional.of(new Downloaded(result, watcher.firstUnchoke)) : Optional.empty();
    } catch (DownloadFailure | StorageException | IOException e) {
      throw new DemoException("the download failed: " + e.getMessage(), e);
    } finally {
      watcher.finished.countDown();
      watching.join(TimeUnit.SECONDS.toMillis(5)); // it ends within one 100 ms wait
      status.finish();
      synchronized (lock) {
        download = null;
      }
    }
  }

  /**
   * The status thread's work: draw, note the first unchoke, mind the deadline.
   *
   * <p>Simplified: the first unchoke is noticed by looking every 100 ms, so the wait it reports
   * can be up to 0.1 s long. The engine could record the moment itself; the demo's story needs
   * only a tenth of a second.
   */
  private final class Watcher {
    private final Download engine;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final long drawEveryNanos = TimeUnit.MILLISECONDS.toNanos(status.isTerminal() ? 500 : 5000);
    volatile Duration firstUnchoke = Duration.ZERO;
    volatile boolean deadlinePassed;

    Watcher(Download engine) {
      this.engine = engine;
    }

    void watch() {
      long started = System.nanoTime();
      long lastDrawn = started;
      boolean unchoked = false;
      try {
        while (!finished.await(100, TimeUnit.MILLISECONDS)) {
          long now = System.nanoTime();
          Progress.Snapshot snapshot = engine.status().orElse(null);
          if (snapshot == null) {
            continue;
          }
          if (!unchoked && snapshot.peersUnchoking() > 0) {
            unchoked = true;
            firstUnchoke = snapshot.elapsed();
          }
          if (now - lastDrawn >= drawEveryNanos) {
            status.show(snapshot);
            lastDrawn = now;
          }
          if (now - started > DEADLINE.toNanos() && !deadlinePassed) {
            deadlinePassed = true;
            engine.stop();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void tellAbout(Downloaded downloaded) {
    DownloadResult result = downloaded.result();
    status.log(String.format(Locale.ROOT, "done: %s in %s (%s/s), from %d %s; every piece verified",
        StatusLine.size(result.bytesFetched()), seconds(result.elapsed()),
        StatusLine.size((long) result.averageBytesPerSecond()), result.peersUsed(),
        result.peersUsed() == 1 ? "peer" : "peers"));
    Duration transfer = result.elapsed().minus(downloaded.firstUnchoke());
    if (!downloaded.firstUnchoke().isZero() && !transfer.isNegative() && !transfer.isZero()) {
      status.log(String.format(Locale.ROOT, "  %s of that was the handshakes and the first unchoke; then the data took %s (about %s/s)",
          seconds(downloaded.firstUnchoke()), seconds(transfer),
          StatusLine.size((long) (result.bytesFetched() / (transfer.toNanos() / 1e9)))));
    }
  }

  /**
   * One line per seeder, and the total: more than the torrent's size when the endgame asked two
   * seeders for the same blocks and both sent them.
   */
  private void tellAbout(List<PeerAddress> addresses, List<DownloadResult> seeded, long kept) {
    long sent = 0;
    for (int i = 0; i < seeded.size(); i++) {
      sent += seeded.get(i).bytesUploaded();
      status.log(String.format(Locale.ROOT, "seeder %d on %s sent %s", i + 1, addresses.get(i),
          StatusLine.size(seeded.get(i).bytesUploaded())));
    }
    if (sent > kept) {
      status.log(String.format(Locale.ROOT, "  %s sent for %s kept: the endgame (chapter 6) asked a second seeder"
          + " for blocks already on request, and the copies that lost the race were dropped",
          StatusLine.size(sent), StatusLine.size(kept)));
    }
  }

  /** {@code 9.7 s}. */
  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static void createFolder(Path folder) throws DemoException {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new DemoException("cannot make the folder " + folder + ": " + e.getMessage(), e);
    }
  }

  private static Path temporaryFolder() throws DemoException {
    try {
      return Files.createTempDirectory("piecemeal-demo-");
    } catch (IOException e) {
      throw new DemoException("cannot make a temporary folder: " + e.getMessage(), e);
    }
  }

  /** The folder and everything in it; links are deleted, never followed. Best effort: errors are named. */
  private void deleteRecursively(Path folder) {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.forEach(paths::add);
    } catch (IOException e) {
      status.log("could not list " + folder + " to remove it: " + e.getMessage());
      return;
    }
    paths.sort(Comparator.reverseOrder()); // children before their folders
    for (Path path : paths) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        status.log("could not remove " + path + ": " + e.getMessage());
      }
    }
  }
}
