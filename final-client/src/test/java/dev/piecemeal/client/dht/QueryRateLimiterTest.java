package dev.piecemeal.client.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The per-address token bucket on a clock moved by hand. */
class QueryRateLimiterTest {
  private static final long MILLISECOND = 1_000_000L;

  private long now;
  private final QueryRateLimiter limiter = QueryRateLimiter.withDefaults(() -> now);

  private static InetAddress ip(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
  }

  @Test
  void answersABurstOf50ThenOneEvery200Milliseconds() throws Exception {
    for (int i = 0; i < QueryRateLimiter.DEFAULT_BURST; i++) {
      assertThat(limiter.allow(ip(7))).as("query %d", i).isTrue();
    }
    assertThat(limiter.allow(ip(7))).as("the 51st").isFalse();
    now = 199 * MILLISECOND;
    assertThat(limiter.allow(ip(7))).isFalse();
    now = 200 * MILLISECOND;
    assertThat(limiter.allow(ip(7))).isTrue();
    assertThat(limiter.allow(ip(7))).isFalse();
  }

  @Test
  void eachAddressHasItsOwnBucket() throws Exception {
    for (int i = 0; i < 100; i++) {
      limiter.allow(ip(7));
    }
    assertThat(limiter.allow(ip(8))).isTrue();
  }

  @Test
  void aQuietAddressGetsBackNoMoreThanTheBurst() throws Exception {
    for (int i = 0; i < 50; i++) {
      limiter.allow(ip(7));
    }
    now = 3_600_000 * MILLISECOND;
    int allowed = 0;
    while (limiter.allow(ip(7))) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(QueryRateLimiter.DEFAULT_BURST);
  }

  @Test
  void remembersAtMost10000Addresses() throws Exception {
    for (int i = 0; i < 20_000; i++) {
      limiter.allow(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}));
    }
    assertThat(limiter.addressCount()).isEqualTo(QueryRateLimiter.MAX_ADDRESSES);
  }

  @Test
  void refusesARateThatAllowsNothing() {
    assertThatThrownBy(() -> new QueryRateLimiter(0, 10, () -> now))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a rate of 0.0/s with a burst of 10 allows nothing");
  }
}
