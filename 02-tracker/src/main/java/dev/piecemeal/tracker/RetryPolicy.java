package dev.piecemeal.tracker;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a UDP tracker client waits for each answer, and how often it sends again (BEP 15, "time
 * outs"): the n-th wait is {@code firstTimeout · 2^n}, for n = 0 up to {@code retransmissions}.
 *
 * <pre>
 * BEP 15:   15 s, 30 s, 60 s, ... 3840 s   (n = 0..8: up to 2 h 7 min in all)
 * a test:   10 ms, 20 ms                    (new RetryPolicy(Duration.ofMillis(10), 1))
 * </pre>
 *
 * <p>The waits are a parameter so that tests run in milliseconds and a command line does not wait
 * two hours for a tracker that is gone.
 *
 * @param firstTimeout the wait for the first answer (n = 0)
 * @param retransmissions how many times a request is sent again after the first send, 0..8
 */
public record RetryPolicy(Duration firstTimeout, int retransmissions) {

  /** BEP 15's own numbers: 15 s, doubled on each of up to 8 retransmissions. */
  public static final RetryPolicy BEP_15 = new RetryPolicy(Duration.ofSeconds(15), 8);

  public RetryPolicy {
    Objects.requireNonNull(firstTimeout, "firstTimeout");
    if (firstTimeout.isNegative() || firstTimeout.isZero()) {
      throw new IllegalArgumentException("first timeout " + firstTimeout + " is not positive");
    }
    if (retransmissions < 0 || retransmissions > 8) {
      throw new IllegalArgumentException(
          "retransmissions " + retransmissions + " is not in 0..8 (BEP 15 stops at n = 8)");
    }
  }

  /** How many times a request is sent in all: the first send and the retransmissions. */
  public int attempts() {
    return retransmissions + 1;
  }

  /** The wait after send number {@code n} (0 for the first): {@code firstTimeout · 2^n}. */
  public Duration timeout(int n) {
    if (n < 0 || n > retransmissions) {
      throw new IllegalArgumentException("attempt " + n + " is not in 0.." + retransmissions);
    }
    return firstTimeout.multipliedBy(1L << n);
  }
}
