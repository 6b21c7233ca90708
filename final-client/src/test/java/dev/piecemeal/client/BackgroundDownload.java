package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.tracker.PeerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link Download} run on a thread of its own, for a test that talks to it while it runs (a
 * seeder a scripted peer abuses, a downloader that should reach its ratio): its log lines, where
 * it listens, its status, and how it ended.
 */
final class BackgroundDownload implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Download download;
  private final Thread thread;
  private final List<String> log = new ArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile DownloadResult result;
  private volatile Exception failure;

  private BackgroundDownload(Metainfo metainfo, DownloadOptions.Builder options) {
    this.download = new Download(metainfo, options.log(this::logged).build());
    this.thread = new Thread(this::run, "test-download-" + metainfo.name());
  }

  /** How many addresses peers' ut_pex messages handed to the engine so far. */
  long peersHeardByPex() {
    return download.peersHeardByPex();
  }

  /** Starts {@code new Download(metainfo, options).run()}; the builder's log is replaced by ours. */
  static BackgroundDownload start(Metainfo metainfo, DownloadOptions.Builder options) {
    BackgroundDownload background = new BackgroundDownload(metainfo, options);
    background.thread.start();
    return background;
  }

  /** Starts a seeder of the complete data in the builder's folder and waits until it seeds. */
  static BackgroundDownload seeder(Metainfo metainfo, DownloadOptions.Builder options) throws InterruptedException {
    BackgroundDownload seeder = start(metainfo, options.seed(true).requireComplete(true));
    if (!seeder.awaitLog(line -> line.startsWith("seeding"), STARTUP)) {
      seeder.close();
      throw new AssertionError("the seeder did not start seeding: " + seeder.log() + " " + seeder.failure);
    }
    return seeder;
  }

  private void run() {
    try {
      result = download.run();
    } catch (Exception e) {
      failure = e;
    } finally {
      ended.countDown();
      synchronized (log) {
        log.notifyAll();
      }
    }
  }

  private void logged(String line) {
    synchronized (log) {
      log.add(line);
      log.notifyAll();
    }
  }

  /** Where it accepts peers (waits for its "listening on" line). */
  PeerAddress address() throws InterruptedException {
    if (!awaitLog(line -> line.startsWith("listening on "), STARTUP)) {
      throw new AssertionError("not listening: " + log() + " " + failure);
    }
    return download.listeningOn().orElseThrow();
  }

  /** Waits until a log line matches; false after {@code timeout}, or if the run ended first. */
  boolean awaitLog(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (log) {
      while (log.stream().noneMatch(wanted)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || ended.getCount() == 0) {
          return log.stream().anyMatch(wanted);
        }
        TimeUnit.NANOSECONDS.timedWait(log, left);
      }
      return true;
    }
  }

  /** Every log line so far. */
  List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The counters now (empty until the files are checked). */
  Progress.Snapshot status() {
    return download.status().orElseThrow();
  }

  /** Waits for the run to end by itself and returns its result; rethrows what it threw. */
  DownloadResult await(Duration timeout) throws Exception {
    if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + ": " + log());
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** Stops the run as Ctrl-C would, and returns its result. */
  DownloadResult stop() throws Exception {
    download.stop();
    return await(Duration.ofSeconds(30));
  }

  @Override
  public void close() throws InterruptedException {
    download.stop();
    thread.join(30_000);
  }
}
