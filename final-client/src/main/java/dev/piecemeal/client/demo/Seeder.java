package dev.piecemeal.client.demo;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One seeder of the demo's swarm: chapter 8's engine with {@code seed(true)} and {@code
 * requireComplete(true)}, run on a thread of its own ({@code seeder-1}) until {@link #stop}.
 *
 * <p>It is ready once the tracker has heard of it: the engine says so in its log, {@code tracker
 * http://127.0.0.1:6969/announce: 0 peers (started), next announce in 2 s}, and {@link
 * #awaitReady} waits for that line. Only then is the swarm what the demo says it is, and a
 * download that announces next is told of every seeder.
 *
 * <p>Simplified: readiness is read from the engine's log line, the one place the engine tells the
 * outside about its announces. An engine meant to be embedded would offer an event or a state to
 * ask (libtorrent posts a tracker_reply_alert); reworded, the line would show here as a seeder
 * that "did not announce within 60 s", and {@code DemoCommandTest} would fail at once.
 *
 * <p>Thread-safe: the seeder's thread writes the outcome fields once, before it counts down {@code
 * ended}; the engine's threads write the log fields; the caller reads them after a latch.
 */
final class Seeder {
  /**
   * How often a seeder announces: seconds, where a tracker asks for minutes, so that a peer that
   * joins the swarm is dialed by every seeder within a moment of its own announce.
   */
  static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(2);
  /** The longest wait for an announce: the tracker is on this machine and answers in milliseconds. */
  static final Duration TRACKER_TIMEOUT = Duration.ofSeconds(5);

  private final int number;
  private final int port;
  private final Download download;
  private final Thread thread;
  private final CountDownLatch announced = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile String lastLogLine = "(nothing logged)";
  private volatile DownloadResult result;
  private volatile Exception failure;

  private Seeder(int number, int port, Download download) {
    this.number = number;
    this.port = port;
    this.download = download;
    this.thread = new Thread(this::seed, "seeder-" + number);
  }

  /**
   * Starts seeder {@code number} of the torrent whose complete data is in {@code folder}, listening
   * on {@code address:port} (port 0: any free port).
   */
  static Seeder start(int number, Metainfo metainfo, Path folder, InetAddress address, int port) {
    Seeder[] self = new Seeder[1];
    DownloadOptions options = DownloadOptions.builder(folder)
        .listen(address, port)
        .seed(true)
        .requireComplete(true)
        .loopbackOnly(address.isLoopbackAddress())
        .announceInterval(ANNOUNCE_EVERY)
        .trackerTimeout(TRACKER_TIMEOUT)
        .log(line -> self[0].logged(line))
        .build();
    Seeder seeder = new Seeder(number, port, new Download(metainfo, options));
    self[0] = seeder;
    seeder.thread.start();
    return seeder;
  }

  /** The seeder's thread: the engine's run, from checking the data to the "stopped" announce. */
  private void seed() {
    try {
      result = download.run();
    } catch (Exception e) {
      failure = e;
    } finally {
      ended.countDown();
      announced.countDown(); // a seeder that ended will never announce: wake whoever waits
    }
  }

  /** One line of the engine's log; the first successful announce makes the seeder ready. */
  private void logged(String line) {
    lastLogLine = line;
    if (line.startsWith("tracker ") && line.contains(" (started)")) {
      announced.countDown();
    }
  }

  /**
   * Waits until the tracker has heard of this seeder, listening on the port it was given.
   *
   * @throws DemoException it failed to start (its port is taken, its data is incomplete), listens
   *     elsewhere, or did not announce within {@code timeout}
   */
  void awaitReady(Duration timeout) throws DemoException, InterruptedException {
    if (!announced.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new DemoException(name() + " did not announce within " + timeout.toSeconds()
          + " s; its last words: " + lastLogLine);
    }
    if (failure != null) {
      throw new DemoException(name() + " could not start: " + failure.getMessage(), failure);
    }
    if (ended.getCount() == 0) {
      throw new DemoException(name() + " ended at once; its last words: " + lastLogLine);
    }
    PeerAddress listening = download.listeningOn().orElseThrow();
    if (port != 0 && listening.port() != port) {
      // the engine moves on to the next free port; a lab that prints its ports must not
      throw DemoException.portTaken(port, name(), "listening on " + listening + " instead");
    }
  }

  /** Where it accepts peers; known once {@link #awaitReady} returned. */
  PeerAddress address() {
    return download.listeningOn().orElseThrow();
  }

  /** {@code seeder 1}. */
  String name() {
    return "seeder " + number;
  }

  /** Whether its thread is still seeding: false if it ended on its own (a disk error). */
  boolean isSeeding() {
    return ended.getCount() > 0;
  }

  /** Why it ended on its own, or what it last logged. */
  String lastWords() {
    return failure != null ? failure.getMessage() : lastLogLine;
  }

  /** Asks the engine to stop; {@link #awaitStopped} waits for it. Returns at once. */
  void requestStop() {
    download.stop();
  }

  /**
   * Waits for the engine to close its peers and say "stopped" to the tracker.
   *
   * @return what it did: {@link DownloadResult#bytesUploaded} is what it sent
   * @throws DemoException it did not end within {@code timeout}, or it had failed
   */
  DownloadResult awaitStopped(Duration timeout) throws DemoException, InterruptedException {
    if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new DemoException(name() + " did not stop within " + timeout.toSeconds() + " s");
    }
    if (failure != null) {
      throw new DemoException(name() + " failed: " + failure.getMessage(), failure);
    }
    return result;
  }
}
