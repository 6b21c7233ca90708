package dev.piecemeal.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes one download holds in pieces it has begun and not yet written, counted against one cap
 * for the whole download: taken when a piece's first block arrives, given back when the piece is
 * written, fails its hash check, or is dropped ({@link PiecesInFlight}). The high-water mark is
 * measured at every take, so a test can check that the cap held.
 *
 * <pre>
 * cap 100 MiB, pieces of 4 MiB     take 4 MiB + 2 KiB (block senders) per piece: 24 pieces at once
 * piece 9 written                  give back 4 MiB + 2 KiB
 * </pre>
 *
 * <p>Nothing here refuses: what keeps {@code held} within the cap is the picker's bound on pieces
 * begun ({@link PiecesInFlight#piecesAtOnce}), and the order in which a piece's bytes come back
 * (before its place in the picker is freed). This class counts, so that the bound is checked, not
 * assumed.
 *
 * <p>Thread-safe without a lock: two atomic counters, so a piece's monitor may be held while
 * counting without adding a lock to the engine's order.
 */
final class MemoryBudget {
  private final long cap;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();

  MemoryBudget(long cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("memory cap of " + cap + " bytes");
    }
    this.cap = cap;
  }

  /** A piece now holds {@code bytes} more. */
  void take(long bytes) {
    long now = held.addAndGet(bytes);
    peak.accumulateAndGet(now, Math::max);
  }

  /** A piece let go of {@code bytes}: written, failed or dropped. */
  void giveBack(long bytes) {
    held.addAndGet(-bytes);
  }

  long cap() {
    return cap;
  }

  /** Bytes held right now. */
  long held() {
    return held.get();
  }

  /** The most bytes held at any moment so far. */
  long peak() {
    return peak.get();
  }
}
