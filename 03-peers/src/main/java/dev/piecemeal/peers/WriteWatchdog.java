package dev.piecemeal.peers;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a blocked socket write, which Java cannot do by itself: {@code Socket.setSoTimeout} covers
 * reads only, and a write to a peer that stopped reading blocks as soon as the kernel's send buffer
 * is full, forever. Before each write we {@link #arm} an alarm; if the write has not returned when
 * it rings, the alarm closes the socket, which makes the blocked write throw. A write that finishes
 * in time cancels its alarm.
 *
 * <p>One shared timer thread, {@code peer-write-watchdog}, serves every connection. It is a daemon,
 * and it ends by itself after a second with no alarm pending, so nothing is left running.
 *
 * <p>Simplified: a watchdog that closes the socket. A production client (libtorrent) uses
 * non-blocking sockets and an event loop, where a write never blocks and a stalled peer is just a
 * peer whose send queue does not drain. The alternative that keeps blocking sockets, a
 * {@code SocketChannel} with a separate writer thread per connection, doubles the threads and hides
 * the write behind a queue; the watchdog keeps the write a plain call that a reader can follow.
 */
final class WriteWatchdog {

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private WriteWatchdog() {}

  /** Runs {@code onTimeout} after {@code timeout}, unless the returned alarm is cancelled first. */
  static ScheduledFuture<?> arm(Duration timeout, Runnable onTimeout) {
    return TIMER.schedule(onTimeout, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "peer-write-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    // Most alarms are cancelled (the write finished): drop them from the queue at once.
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }
}
