package dev.piecemeal.storage;

import dev.piecemeal.storage.RecheckResult.PieceState;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes what is already on disk, piece by piece, to find where an earlier run stopped. This is
 * what makes a download resumable: a piece counts as present only if its bytes match the hash in
 * the metainfo, so an interrupted download goes on from the pieces it finished, and a complete one
 * is not fetched again.
 *
 * <pre>
 * on disk:   |piece 0 ok|piece 1 ok|piece 2 half written (killed)|piece 3 zeros|
 * recheck:    PRESENT    PRESENT    BAD                            MISSING       → fetch 2 and 3
 * </pre>
 *
 * <p>The pieces are shared out among one thread per core ({@code recheck-0}, {@code recheck-1},
 * ...): each takes the next unchecked piece, reads it in chunks of at most {@value #CHUNK_LENGTH}
 * bytes into one buffer of its own, and feeds them to its own SHA-1, so that a 16 MiB piece never
 * needs 16 MiB of memory and nothing is allocated per piece.
 *
 * <p>Simplified: every start hashes every piece. libtorrent saves "resume data" (which pieces were
 * done, and each file's size and modification time) and trusts it when the files have not changed,
 * so a large seed starts in a second; a full recheck is slower but cannot be fooled by stale
 * bookkeeping. Chapter 11's client keeps such resume data and runs this only when the data does
 * not match the files ({@code dev.piecemeal.client.resume}); {@code piecemeal verify} always runs it.
 */
public final class Recheck {

  /** The largest read: big enough for few system calls, small enough to keep one per thread. */
  public static final int CHUNK_LENGTH = 1 << 20;

  /** Told after each piece; called from the recheck threads, so it must be thread-safe. */
  @FunctionalInterface
  public interface Progress {
    void pieceChecked(int checked, int total);
  }

  private Recheck() {}

  /** The result a recheck of files just created empty would give, without reading them: nothing. */
  public static RecheckResult nothingOnDisk(FileLayout layout) {
    PieceState[] states = new PieceState[layout.pieceCount()];
    Arrays.fill(states, PieceState.MISSING);
    return new RecheckResult(layout, states);
  }

  /** Checks every piece with one thread per core. */
  public static RecheckResult run(TorrentStorage storage, Progress progress)
      throws StorageException, InterruptedException {
    return run(storage, Runtime.getRuntime().availableProcessors(), progress);
  }

  /**
   * Checks every piece with {@code threads} threads, reporting each finished piece to {@code
   * progress}.
   *
   * @throws StorageException the disk refused a read (a missing file is not an error: its pieces
   *     are missing)
   * @throws InterruptedException the caller was interrupted; the threads stop after their piece
   */
  public static RecheckResult run(TorrentStorage storage, int threads, Progress progress)
      throws StorageException, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("recheck interrupted before it began");
    }
    FileLayout layout = storage.layout();
    int total = layout.pieceCount();
    PieceState[] states = new PieceState[total];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger checked = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stopped = new AtomicBoolean();

    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < Math.max(1, Math.min(threads, total)); t++) {
      Thread worker = new Thread(() -> {
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(CHUNK_LENGTH, layout.pieceLength()));
        int piece;
        while (failure.get() == null && !stopped.get()
            && (piece = next.getAndIncrement()) < total) {
          try {
            states[piece] = check(storage, piece, chunk);
            progress.pieceChecked(checked.incrementAndGet(), total);
          } catch (StorageException | RuntimeException | Error e) {
            failure.compareAndSet(null, e); // the other threads see it and stop after their piece
            return;
          }
        }
      }, "recheck-" + t);
      workers.add(worker);
      worker.start();
    }
    try {
      for (Thread worker : workers) {
        worker.join(); // join() also makes every worker's writes to states visible here
      }
    } catch (InterruptedException e) {
      // Not Thread.interrupt(): the JDK would close the storage's files under a worker's read.
      stopped.set(true);
      for (Thread worker : workers) {
        joinUninterruptibly(worker); // leave nothing running behind us
      }
      Thread.interrupted(); // the exception now carries the interrupt: clear any repeat of it
      throw e;
    }
    if (Thread.interrupted()) {
      // join() returns at once for a thread that has ended, without looking at the interrupt
      throw new InterruptedException("recheck interrupted");
    }
    Throwable thrown = failure.get();
    if (thrown instanceof StorageException e) {
      throw e;
    } else if (thrown instanceof RuntimeException e) {
      throw e;
    } else if (thrown instanceof Error e) {
      throw e; // a failed assertion in a test's progress callback, or worse: not to be swallowed
    }
    return new RecheckResult(layout, states);
  }

  private static void joinUninterruptibly(Thread worker) {
    while (true) {
      try {
        worker.join();
        return;
      } catch (InterruptedException again) {
        // already stopping: the worker ends after its current piece
      }
    }
  }

  // tag::check[]
  /** One piece: read in chunks into the thread's SHA-1, then compare with the metainfo's hash. */
  static PieceState check(TorrentStorage storage, int piece, ByteBuffer chunk) throws StorageException {
    MessageDigest sha1 = PieceVerifier.sha1();
    long offset = storage.layout().pieceOffset(piece);
    int size = storage.layout().pieceSize(piece);
    boolean allZeros = true;
    for (int done = 0; done < size; ) {
      int n = Math.min(chunk.capacity(), size - done);
      chunk.clear().limit(n);
      if (!storage.read(offset + done, chunk, "checking piece " + piece + " in")) {
        return PieceState.MISSING;
      }
      allZeros = allZeros && isZeros(chunk.array(), n);
      sha1.update(chunk.array(), 0, n);
      done += n;
    }
    if (storage.verifier().matches(piece, sha1.digest())) {
      return PieceState.PRESENT;
    }
    // A sparse file reads as zeros where nothing was written: never written, not corrupted.
    return allZeros ? PieceState.MISSING : PieceState.BAD;
  }
  // end::check[]

  private static boolean isZeros(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
