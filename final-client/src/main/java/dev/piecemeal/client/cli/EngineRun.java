package dev.piecemeal.client.cli;

import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadFailure;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.Progress;
import dev.piecemeal.client.StatusLine;
import dev.piecemeal.storage.StorageException;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The engine run the way {@code download} and {@code seed} run it: a status line drawn by a thread
 * of its own while {@link Download#run} goes on, and Ctrl-C turned into {@link Download#stop}.
 *
 * <pre>
 * main thread     run() ──────────────────────────────────────► result → outcome printed → exit
 * status thread     every 0.5 s (terminal) or 5 s: show(download.status())
 * Ctrl-C            shutdown hook: download.stop(), then wait for "outcome printed" (at most 20 s)
 * </pre>
 *
 * <p>The JVM halts as soon as the shutdown hook returns, so the hook waits until the command has
 * printed how the run ended (what is saved, what was uploaded); then the JVM exits with 130.
 */
final class EngineRun {
  /** How long Ctrl-C waits for the run to say "stopped" to the trackers and print its outcome. */
  private static final long HOOK_WAIT_SECONDS = 20;

  /** A command's last word on a run: prints what it did, returns the exit status. */
  interface Outcome {
    int report(DownloadResult result);
  }

  private EngineRun() {}

  /**
   * Runs the download to its end and reports it.
   *
   * @param show draws one status line (a download's or a seeder's); null for none ({@code --quiet})
   * @throws CommandException the run failed (status 1): no progress was possible, the data to seed
   *     is incomplete, or no port could be listened on
   */
  static int run(Download download, StatusLine status, Consumer<Progress.Snapshot> show, Outcome outcome)
      throws CommandException, StorageException, InterruptedException {
    CountDownLatch finished = new CountDownLatch(1);
    CountDownLatch reported = new CountDownLatch(1);
    Thread statusThread = show == null ? null : startStatus(download, status, show, finished);
    Thread hook = new Thread(() -> {
      download.stop();
      try {
        reported.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      DownloadResult result = download.run();
      stopStatus(statusThread, finished, status);
      return outcome.report(result);
    } catch (DownloadFailure | IOException e) {
      stopStatus(statusThread, finished, status);
      throw new CommandException(ExitCodes.FAILED, e.getMessage(), e);
    } finally {
      finished.countDown();
      reported.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waited for us, and now the JVM exits
      }
    }
  }

  /** The status thread: redraws every half second on a terminal, a plain line every 5 s otherwise. */
  private static Thread startStatus(Download download, StatusLine status, Consumer<Progress.Snapshot> show,
      CountDownLatch finished) {
    long every = status.isTerminal() ? 500 : 5000;
    Thread thread = new Thread(() -> {
      try {
        while (!finished.await(every, TimeUnit.MILLISECONDS)) {
          var progress = download.status();
          if (progress.isPresent()) {
            show.accept(progress.get());
          } else {
            // a magnet link, before its metadata
            download.metadataStatus().ifPresent(phase -> status.showMetadata(phase, download.dhtStatus()));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "status");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void stopStatus(Thread thread, CountDownLatch finished, StatusLine status) throws InterruptedException {
    finished.countDown();
    if (thread != null) {
      thread.join(1000);
    }
    status.finish();
  }
}
