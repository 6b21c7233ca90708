package dev.piecemeal.client;

import dev.piecemeal.tracker.AllTrackersFailedException;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.AnnounceRequest;
import dev.piecemeal.tracker.AnnounceResponse;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.RetryPolicy;
import dev.piecemeal.tracker.TrackerException;
import dev.piecemeal.tracker.TrackerTiers;
import dev.piecemeal.tracker.Trackers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Talks to the torrent's trackers for the whole download, on its own thread ({@code announcer}):
 *
 * <pre>
 * start      → started                     (retried with back-off until a tracker answers)
 * every interval → (no event)              the tracker's interval, 30 min for opentracker
 * lookForMore()  → early, when too few peers remain, but never before "min interval"
 * completed()    → completed               once, when the last piece is verified
 * close()        → stopped                 waits at most the tracker timeout for it
 * </pre>
 *
 * <p>A {@link PeerSource}: each answer's peers wait here until the engine's turn takes them to the
 * swarm. The counters (uploaded, downloaded, left) are read at the moment of each announce.
 */
final class Announcer implements PeerSource, AutoCloseable {
  /** The first wait after a failed announce; it doubles up to {@link #MAX_RETRY}. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(15);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);
  /** How soon an early re-announce may follow the last one when the tracker set no min interval. */
  static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(60);
  /** How many peers we ask each tracker for: the number most clients send. */
  static final int NUMWANT = 50;
  /** The most addresses kept between two of the engine's turns; a tracker's answer is bounded too. */
  static final int MAX_FOUND = 2000;

  private final TrackerTiers tiers;
  private final boolean hasTrackers;
  private final AnnounceSetup setup;
  private final TransferCounters counters;
  private final Consumer<String> log;
  private final ScheduledExecutorService thread;
  /** The executor's one thread, joined by {@link #close}: awaitTermination alone returns before it ends. */
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  // Guarded by this.
  private ScheduledFuture<?> next;
  private long nextAtNanos;
  private AnnounceEvent pendingEvent = AnnounceEvent.STARTED;
  private boolean answered;
  private boolean trackerKnowsUs;
  private long lastAnnounceNanos = Long.MIN_VALUE;
  private Duration minInterval = DEFAULT_MIN_INTERVAL;
  private int failuresInARow;
  private boolean completedGoingOut;
  private String lastFailure = "";
  private final List<PeerAddress> found = new ArrayList<>();

  Announcer(AnnounceSetup setup, TransferCounters counters, Consumer<String> log) {
    // The UDP retries share the timeout: 1 + 2 + 4 sevenths of it.
    Duration timeout = setup.timeout();
    RetryPolicy udp = new RetryPolicy(timeout.dividedBy(7), 2);
    List<List<String>> allowed = allowedTiers(setup, log);
    this.tiers = new TrackerTiers(allowed, url -> Trackers.forUrl(url, timeout, udp));
    this.hasTrackers = !allowed.isEmpty();
    this.setup = setup;
    this.counters = counters;
    this.log = log;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, task -> {
          Thread t = new Thread(task, "announcer");
          threads.add(t);
          return t;
        });
    executor.setRemoveOnCancelPolicy(true);
    // A regular announce may re-schedule itself just before close() shuts the thread down; by
    // default that delayed task would still be waited for (close() then hangs until its timeout).
    // Delayed tasks are dropped at shutdown; the immediate "completed" and "stopped" still run.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.thread = executor;
  }

  /**
   * The tiers without the trackers we may not contact (loopback-only: every tracker whose host is not
   * a loopback literal), and without tiers left empty. This is the one place a tracker URL becomes a
   * tracker, so nothing is ever sent to a URL left out here.
   */
  private static List<List<String>> allowedTiers(AnnounceSetup setup, Consumer<String> log) {
    List<List<String>> allowed = new ArrayList<>();
    for (List<String> tier : setup.trackerTiers()) {
      List<String> kept = new ArrayList<>();
      for (String url : tier) {
        if (setup.destinations().allowsTracker(url)) {
          kept.add(url);
        } else {
          log.accept("tracker " + Printable.oneLine(url) + " skipped: only loopback addresses may be contacted");
        }
      }
      if (!kept.isEmpty()) {
        allowed.add(kept);
      }
    }
    return allowed;
  }

  /** Announces {@code started} now, then keeps announcing on the tracker's interval. */
  synchronized void start() {
    if (hasTrackers) {
      schedule(Duration.ZERO);
    }
  }

  /** Whether the torrent names any tracker. */
  boolean hasTrackers() {
    return hasTrackers;
  }

  /** Whether any tracker has answered any announce. */
  synchronized boolean answered() {
    return answered;
  }

  /** Why the last announce failed, for the message when nothing works. */
  synchronized String lastFailure() {
    return lastFailure;
  }

  /** The peers of the answers since the last call, for the engine's turn to give the swarm. */
  @Override
  public synchronized List<PeerAddress> takeFound() {
    if (found.isEmpty()) {
      return List.of();
    }
    List<PeerAddress> taken = List.copyOf(found);
    found.clear();
    return taken;
  }

  /** Asks for peers early, as soon as the tracker's min interval allows. */
  @Override
  public synchronized void lookForMore() {
    if (!hasTrackers || !answered) {
      return; // before the first answer, the retries of "started" are already on their way
    }
    long earliest = lastAnnounceNanos + minInterval.toNanos();
    long wait = Math.max(0, earliest - System.nanoTime());
    if (next == null || nextAtNanos - System.nanoTime() > wait) {
      schedule(Duration.ofNanos(wait));
    }
  }

  /** The download is complete: tell the trackers now. */
  synchronized void completed() {
    if (hasTrackers && trackerKnowsUs) {
      pendingEvent = AnnounceEvent.COMPLETED;
      schedule(Duration.ZERO);
    }
  }

  /**
   * Stops announcing and, if a tracker knows us, says {@code stopped}, waiting at most about the
   * tracker timeout for it.
   */
  @Override
  public void close() throws InterruptedException {
    boolean sayStopped;
    boolean sayCompleted;
    synchronized (this) {
      // A "completed" that has not gone out yet is sent before "stopped", never dropped.
      boolean cancelled = next != null && next.cancel(false);
      sayCompleted = cancelled && pendingEvent == AnnounceEvent.COMPLETED;
      sayStopped = trackerKnowsUs;
    }
    if (sayCompleted) {
      thread.execute(() -> announce(AnnounceEvent.COMPLETED));
    }
    if (sayStopped) {
      thread.execute(() -> announce(AnnounceEvent.STOPPED));
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(setup.timeout().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
        thread.shutdownNow(); // the goodbye took too long: its socket read is interrupted
      }
    } finally {
      for (Thread t : threads) {
        t.join(setup.timeout().toMillis() + 2000);
      }
    }
  }

  private void schedule(Duration delay) {
    if (next != null) {
      next.cancel(false);
    }
    nextAtNanos = System.nanoTime() + delay.toNanos();
    try {
      next = thread.schedule(this::regularAnnounce, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      next = null;
    }
  }

  private void regularAnnounce() {
    AnnounceEvent event;
    synchronized (this) {
      event = pendingEvent;
    }
    Duration wait = announce(event);
    synchronized (this) {
      if (!thread.isShutdown()) {
        schedule(wait);
      }
    }
  }

  /** One announce; returns how long to wait before the next one. */
  private Duration announce(AnnounceEvent event) {
    synchronized (this) {
      if (event == AnnounceEvent.COMPLETED) {
        if (completedGoingOut) {
          return MAX_RETRY; // the close() that raced with it sends it once, not twice
        }
        completedGoingOut = true;
      }
    }
    AnnounceRequest request = new AnnounceRequest(setup.infoHash(), setup.peerId(), setup.port(),
        counters.uploaded(), counters.downloaded(), counters.left(), event,
        event == AnnounceEvent.STOPPED ? 0 : NUMWANT, setup.key());
    try {
      TrackerTiers.Announced announced = tiers.announce(request);
      AnnounceResponse response = announced.response();
      synchronized (this) {
        answered = true;
        failuresInARow = 0;
        lastAnnounceNanos = System.nanoTime();
        if (event == AnnounceEvent.STARTED) {
          trackerKnowsUs = true;
        }
        if (event == pendingEvent) {
          pendingEvent = AnnounceEvent.NONE;
        }
        minInterval = Duration.ofSeconds(response.minInterval().orElse((int) DEFAULT_MIN_INTERVAL.toSeconds()));
        if (event != AnnounceEvent.STOPPED) {
          int room = MAX_FOUND - found.size(); // the engine's next turn takes them
          found.addAll(response.peers().subList(0, Math.min(room, response.peers().size())));
        }
      }
      Duration next = setup.fixedInterval().isZero() ? Duration.ofSeconds(response.interval()) : setup.fixedInterval();
      log.accept("tracker " + announced.trackerUrl() + (event == AnnounceEvent.STOPPED
          ? ": stopped"
          : ": " + response.peers().size() + " peers"
              + (event == AnnounceEvent.NONE ? "" : " (" + event.wireName() + ")")
              + ", next announce in " + next.toSeconds() + " s"));
      return next;
    } catch (TrackerException e) {
      String why = e instanceof AllTrackersFailedException all && !all.failures().isEmpty()
          ? all.failures().stream().map(TrackerException::getMessage).collect(Collectors.joining("; "))
          : e.getMessage();
      synchronized (this) {
        if (event == AnnounceEvent.COMPLETED) {
          completedGoingOut = false; // the next announce tries it again
        }
        lastFailure = why;
        failuresInARow++;
        log.accept("no tracker answered: " + why);
        long factor = 1L << Math.min(failuresInARow - 1, 10);
        Duration retry = FIRST_RETRY.multipliedBy(factor);
        return retry.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry;
      }
    }
  }
}
