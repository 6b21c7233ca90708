package dev.piecemeal.client.create;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code pieces} string of a new torrent (BEP 3, "info dictionary"): the content cut into
 * pieces of one length, the last one shorter, and the 20-byte SHA-1 of each, back to back.
 *
 * <pre>
 * content   |---- piece 0 ----|---- piece 1 ----|-- piece 2 --|
 * pieces    SHA-1(piece 0) SHA-1(piece 1) SHA-1(piece 2)            60 bytes
 * </pre>
 *
 * <p>The pieces are shared out among several threads ({@code create-hash-0}, {@code
 * create-hash-1}, ...), as chapter 7's {@code Recheck} does: each takes the next piece nobody has
 * taken, reads it through its own {@link ContentReader} in chunks of at most {@value #CHUNK_LENGTH}
 * bytes into one buffer of its own, and writes the digest into the piece's own 20 bytes of the
 * result. Memory stays at one chunk per thread plus 20 bytes per piece, whatever the size of the
 * files; no file is ever read whole.
 *
 * <p>After the last piece, every file's size and modification time are compared with what they
 * were when the content was scanned: a file that changed while it was read would give hashes that
 * match no version of it, so that is an error, not a torrent.
 *
 * <p>Simplified: a change is noticed by size and modification time, not by hashing twice; a write
 * that keeps the size and lands within the file system's timestamp resolution of the first is not
 * seen. A tool could hash twice or take a lock on every file; a second pass doubles the time for
 * a case that needs someone writing into the files while they are being shared.
 */
public final class PieceHashing {
  /** The largest read; a 16 MiB piece is hashed in 16 of them. */
  public static final int CHUNK_LENGTH = 1 << 20;
  private static final int HASH_LENGTH = 20;

  /** Told after each piece; called from the hashing threads, so it must be thread-safe. */
  @FunctionalInterface
  public interface Progress {
    void pieceHashed(int hashed, int total);
  }

  private PieceHashing() {}

  /**
   * The SHA-1 of every piece of {@code content}, cut into pieces of {@code pieceLength} bytes,
   * computed by {@code threads} threads.
   *
   * @throws CreateException a file could not be read, or changed while it was read
   * @throws InterruptedException the caller was interrupted; the threads stop after their piece
   */
  public static byte[] hash(Content content, int pieceLength, int threads, Progress progress)
      throws CreateException, InterruptedException {
    long totalLength = content.totalLength();
    long count = PieceLength.pieceCount(totalLength, pieceLength);
    if (count > Integer.MAX_VALUE / HASH_LENGTH) {
      throw new IllegalArgumentException(count + " pieces are more than one array of hashes holds");
    }
    int total = (int) count;
    byte[] hashes = new byte[total * HASH_LENGTH];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger hashed = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stopped = new AtomicBoolean();

    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < Math.max(1, Math.min(threads, total)); t++) {
      Thread worker = new Thread(() -> {
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(CHUNK_LENGTH, pieceLength));
        MessageDigest sha1 = sha1();
        try (ContentReader reader = new ContentReader(content)) {
          int piece;
          while (failure.get() == null && !stopped.get() && (piece = next.getAndIncrement()) < total) {
            long offset = (long) piece * pieceLength;
            int size = (int) Math.min(pieceLength, totalLength - offset);
            for (int done = 0; done < size; ) {
              int n = Math.min(chunk.capacity(), size - done);
              chunk.clear().limit(n);
              reader.read(offset + done, chunk);
              sha1.update(chunk.array(), 0, n);
              done += n;
            }
            // Each piece has its own 20 bytes: no two threads ever write the same index.
            System.arraycopy(sha1.digest(), 0, hashes, piece * HASH_LENGTH, HASH_LENGTH);
            progress.pieceHashed(hashed.incrementAndGet(), total);
          }
        } catch (CreateException | RuntimeException | Error e) {
          failure.compareAndSet(null, e); // the other threads see it and stop after their piece
        }
      }, "create-hash-" + t);
      workers.add(worker);
      worker.start();
    }
    try {
      for (Thread worker : workers) {
        worker.join(); // join() also makes every worker's writes to hashes visible here
      }
    } catch (InterruptedException e) {
      stopped.set(true);
      for (Thread worker : workers) {
        joinUninterruptibly(worker); // leave nothing running behind us
      }
      throw e;
    }
    Throwable thrown = failure.get();
    if (thrown instanceof CreateException e) {
      throw e;
    } else if (thrown instanceof RuntimeException e) {
      throw e;
    } else if (thrown instanceof Error e) {
      throw e;
    }
    requireUnchanged(content);
    return hashes;
  }

  /** Every file still has the size and modification time it had when the content was scanned. */
  private static void requireUnchanged(Content content) throws CreateException {
    for (ContentFile file : content.files()) {
      long size;
      FileTime modified;
      try {
        size = Files.size(file.location());
        modified = Files.getLastModifiedTime(file.location());
      } catch (IOException e) {
        throw new CreateException(CreateException.Kind.FAILED,
            file.location() + ": cannot be read after hashing: " + e.getMessage(), e);
      }
      if (size != file.length() || !modified.equals(file.modified())) {
        throw new CreateException(CreateException.Kind.FAILED, file.location()
            + ": the file changed while it was being hashed (" + file.length() + " bytes, modified "
            + file.modified() + " before; " + size + " bytes, modified " + modified
            + " after); make the torrent again once it no longer changes");
      }
    }
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

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
