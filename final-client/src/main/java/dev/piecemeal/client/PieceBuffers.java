package dev.piecemeal.client;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The piece-sized buffers a download puts its pieces together in, lent to one piece at a time and
 * lent again once that piece is written, failed or dropped. A new array per piece would be a new
 * zeroed mebibyte per mebibyte downloaded: the JVM clears every one of them, and the garbage they
 * leave makes it grow its heap far beyond what the pieces in flight need.
 *
 * <pre>
 * piece 0 begins   lend() → a new buffer (none free yet)        made 1, free 0
 * piece 1 begins   lend() → a new buffer                        made 2, free 0
 * piece 0 written  giveBack(buffer of piece 0)                  made 2, free 1
 * piece 2 begins   lend() → the buffer piece 0 was put together in
 * </pre>
 *
 * <p>The buffers are direct ({@link ByteBuffer#allocateDirect}), outside the Java heap, because
 * what they hold is bounded by the memory cap and should cost exactly that: a piece of 4 MiB as a
 * {@code byte[]} is a "humongous" object to the G1 collector, which gives it whole regions of its
 * own (two 4 MiB regions, for 4 MiB and a 16-byte header, on a machine of 24 GB), and every one
 * allocated starts a collection. A direct buffer costs its bytes,
 * and a file channel writes it to disk without first copying it into a temporary direct buffer of
 * its own, as it does for a heap buffer.
 *
 * <p>Bounded without a check of its own: every buffer lent belongs to a piece in flight, and the
 * picker never has more pieces begun than the memory cap holds ({@link PiecesInFlight#piecesAtOnce}),
 * so no more buffers are ever made than that; the free ones are at most as many.
 *
 * <p>Thread-safe without a lock: a concurrent deque, so a piece's monitor may be held while lending
 * without adding a lock to the engine's order ({@link SharedState}).
 */
final class PieceBuffers {
  private final int length;
  private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();
  private final AtomicInteger made = new AtomicInteger();

  /** Buffers of {@code length} bytes, the torrent's piece length (the last piece uses a part). */
  PieceBuffers(int length) {
    this.length = length;
  }

  // tag::lend[]
  /** A buffer for a piece that begins: one given back, or a new one if none is free. */
  ByteBuffer lend() {
    ByteBuffer buffer = free.pollFirst();
    if (buffer != null) {
      return buffer;
    }
    made.incrementAndGet();
    return ByteBuffer.allocateDirect(length);
  }

  /** The piece the buffer was lent to is written, failed or dropped; nothing reads it any more. */
  void giveBack(ByteBuffer buffer) {
    if (buffer.isDirect() && buffer.capacity() == length) {
      free.addFirst(buffer); // the most recently used first: its memory is the likeliest in cache
    }
  }
  // end::lend[]

  /** How many buffers were ever made: at most the pieces in flight at once. */
  int made() {
    return made.get();
  }
}
