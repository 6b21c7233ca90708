package dev.piecemeal.client;

import java.util.concurrent.TimeUnit;

/**
 * How many ut_metadata requests (BEP 9) one peer may have us answer: a burst of {@value #BURST},
 * then {@value #PER_SECOND} a second; a request beyond that is rejected. Each answer is 16 KiB of
 * upload for a request of 25 bytes, so without a limit a peer asking for piece 0 in a loop would
 * have us send megabytes a second. A peer needs the metadata once: a torrent's is rarely more
 * than a few hundred KiB, fetched in a few seconds at this rate.
 *
 * <p>A token bucket kept as nanoseconds of credit: each answer costs {@code 1 s / PER_SECOND} of
 * it, and time earns it back up to {@value #BURST} answers' worth. Time is a parameter: the
 * session passes {@code System.nanoTime()}, a test passes what it likes.
 *
 * <p>Not thread-safe: owned by one session's thread, the only one that reads the peer's messages.
 */
final class MetadataRequestLimit {
  /** How many answers a peer may have at once, after a quiet while: a small torrent's whole metadata. */
  static final int BURST = 8;
  /** How many answers a second after the burst: 64 KiB/s of metadata per peer. */
  static final int PER_SECOND = 4;

  private static final long NANOS_PER_ANSWER = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
  private static final long MOST_CREDIT = BURST * NANOS_PER_ANSWER;

  private long credit = MOST_CREDIT;
  private long lastNanos;

  MetadataRequestLimit(long nowNanos) {
    this.lastNanos = nowNanos;
  }

  /** Whether one more answer may go out now; if so, it is counted. */
  boolean allow(long nowNanos) {
    credit = Math.min(MOST_CREDIT, credit + Math.max(0, nowNanos - lastNanos));
    lastNanos = nowNanos;
    if (credit < NANOS_PER_ANSWER) {
      return false;
    }
    credit -= NANOS_PER_ANSWER;
    return true;
  }
}
