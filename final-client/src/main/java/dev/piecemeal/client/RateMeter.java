package dev.piecemeal.client;

/**
 * Bytes per second over a short moving window: how fast one peer sends, or the whole download goes.
 * Time is passed in (nanoseconds from {@link System#nanoTime()}), so tests can drive it.
 *
 * <pre>
 * window 4 s in 8 buckets of 0.5 s:  | 64K | 128K | 0 | 32K | ... |   rate = sum / time covered
 * </pre>
 *
 * <p>The time covered is at least one second: the first block of a new peer is not taken for a
 * rate of gigabytes per second. Not thread-safe: the owner synchronizes.
 */
final class RateMeter {
  private static final int BUCKETS = 8;

  private final long bucketNanos;
  private final long[] bytes = new long[BUCKETS];
  private final long[] bucketStart = new long[BUCKETS];
  private final long started;

  /** A meter over {@code windowNanos}, counting from {@code nowNanos}. */
  RateMeter(long windowNanos, long nowNanos) {
    if (windowNanos < BUCKETS) {
      throw new IllegalArgumentException("window of " + windowNanos + " ns is too short");
    }
    this.bucketNanos = windowNanos / BUCKETS;
    this.started = nowNanos;
    java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
  }

  /** {@code count} bytes arrived at {@code nowNanos}. */
  void add(long count, long nowNanos) {
    long slot = Math.floorDiv(nowNanos - started, bucketNanos);
    int i = (int) Math.floorMod(slot, BUCKETS);
    long start = started + slot * bucketNanos;
    if (bucketStart[i] != start) {
      bucketStart[i] = start;
      bytes[i] = 0;
    }
    bytes[i] += count;
  }

  /** Bytes per second over the window that ends at {@code nowNanos}. */
  double bytesPerSecond(long nowNanos) {
    long window = bucketNanos * BUCKETS;
    long oldest = nowNanos - window;
    long sum = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (bucketStart[i] != Long.MIN_VALUE && bucketStart[i] > oldest - bucketNanos
          && bucketStart[i] <= nowNanos) {
        sum += bytes[i];
      }
    }
    long covered = Math.min(window, nowNanos - started);
    covered = Math.max(covered, 1_000_000_000L);
    return sum * 1e9 / covered;
  }
}
