package dev.piecemeal.client;

import dev.piecemeal.storage.IncomingPiece;
import dev.piecemeal.storage.PieceVerdict;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import dev.piecemeal.tracker.PeerAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Hashes complete pieces and writes the good ones, on a few threads of its own ({@code hasher-0},
 * {@code hasher-1}), so that SHA-1 and the disk never hold up a thread that reads a socket.
 *
 * <pre>
 * peer thread: last block in → submit(piece) → back to reading
 * hasher:      SHA-1 → match? write → Written : Failed(contributors) → verdicts.accept
 *              (a piece assembled on disk: read back, SHA-1 → the same verdicts)
 *              the flush comes later, with the next resume data save (chapter 11's ResumeSaver)
 * </pre>
 *
 * <p>Memory: a queued piece is still begun in the picker and still charged to the download's
 * {@link MemoryBudget} until its verdict, so the queue never holds more than the memory cap allows.
 * At most {@code maxQueued} complete pieces wait for a hasher besides; a peer thread that would
 * queue one more waits in {@link #submit} until one is done, which slows the download to the speed
 * of the disk.
 */
final class PieceHasher implements AutoCloseable {

  private final TorrentStorage storage;
  private final BiConsumer<IncomingPiece<PeerAddress>, PieceVerdict<PeerAddress>> verdicts;
  private final Consumer<StorageException> diskFailed;
  private final ExecutorService threads;
  private final Semaphore queued;
  /** The pool's threads, joined by {@link #close}: awaitTermination returns before they have ended. */
  private final List<Thread> started = new CopyOnWriteArrayList<>();

  /**
   * @param verdicts told about each piece, on a hasher thread
   * @param diskFailed told when the disk refused a write: the download cannot go on
   */
  PieceHasher(TorrentStorage storage, int threadCount, int maxQueued,
      BiConsumer<IncomingPiece<PeerAddress>, PieceVerdict<PeerAddress>> verdicts, Consumer<StorageException> diskFailed) {
    this.storage = storage;
    this.verdicts = verdicts;
    this.diskFailed = diskFailed;
    this.queued = new Semaphore(maxQueued);
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "hasher-" + n.getAndIncrement());
          started.add(thread);
          return thread;
        });
  }

  /** Queues a complete piece; waits while {@code maxQueued} pieces are already waiting. */
  void submit(IncomingPiece<PeerAddress> piece) throws InterruptedException {
    queued.acquire();
    try {
      threads.execute(() -> {
        try {
          verdicts.accept(piece, piece.verifyAndStore(storage));
        } catch (StorageException e) {
          diskFailed.accept(e);
        } finally {
          queued.release();
        }
      });
    } catch (RuntimeException rejectedAfterClose) {
      queued.release();
    }
  }

  /** Lets queued pieces finish (they are written, so not lost), then stops the threads. */
  @Override
  public void close() throws InterruptedException {
    threads.shutdown();
    try {
      if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } finally {
      for (Thread thread : started) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
  }
}
