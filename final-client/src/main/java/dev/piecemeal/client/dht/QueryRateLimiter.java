package dev.piecemeal.client.dht;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How many incoming queries each IP address may send: a token bucket per address. Each query
 * takes one token; tokens come back at {@code perSecond}, up to {@code burst}; a query that finds
 * the bucket empty is dropped unanswered. A UDP source address is easy to forge, so answering
 * every packet would make us an amplifier for whoever forges a victim's.
 *
 * <pre>
 * rate 5/s, burst 50:   50 queries at once are answered, the 51st is not;
 *                       one more every 200 ms after that
 * </pre>
 *
 * <p>Time is the clock passed in. At most {@value #MAX_ADDRESSES} addresses are remembered; past
 * that the one heard from longest ago is forgotten, and comes back with a full bucket, as an
 * address silent for {@code burst / perSecond} seconds has anyway. Not thread-safe: one owner,
 * the node's loop.
 *
 * <p>Simplified: a query over the limit is dropped, nothing more. libtorrent also bans the address
 * for 5 minutes and caps the bytes all our answers may send per second (8,000 by default); a per
 * address limit alone keeps one flooder from costing us more than its share.
 *
 * <p>On loopback every node of the lab shares one address, so the lab raises the rate, as it
 * raises libtorrent's {@code dht_block_ratelimit}.
 */
public final class QueryRateLimiter {
  /** libtorrent's {@code dht_block_ratelimit}: 5 packets a second per address. */
  public static final double DEFAULT_PER_SECOND = 5;
  /** libtorrent averages over 10 seconds: 5 a second for 10 seconds may come at once. */
  public static final int DEFAULT_BURST = 50;
  /** Addresses remembered at most (about 100 bytes each). */
  public static final int MAX_ADDRESSES = 10_000;

  /** One address's bucket: how many tokens, as of when. */
  private static final class Allowance {
    double tokens;
    long at;

    Allowance(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanos;
  private final Map<InetAddress, Allowance> addresses =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Allowance> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  /**
   * @param perSecond tokens returned per second, more than 0
   * @param burst the most tokens a bucket holds, at least 1
   * @param nanos the clock, in nanoseconds ({@code System::nanoTime})
   */
  public QueryRateLimiter(double perSecond, int burst, LongSupplier nanos) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException(
          "a rate of " + perSecond + "/s with a burst of " + burst + " allows nothing");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanos = Objects.requireNonNull(nanos, "nanos");
  }

  /** libtorrent's defaults: 5 a second, 50 at once. */
  public static QueryRateLimiter withDefaults(LongSupplier nanos) {
    return new QueryRateLimiter(DEFAULT_PER_SECOND, DEFAULT_BURST, nanos);
  }

  /** True when a query from {@code address} may be answered now; it takes one token if so. */
  public boolean allow(InetAddress address) {
    long now = nanos.getAsLong();
    Allowance allowance = addresses.get(address);
    if (allowance == null) {
      allowance = new Allowance(burst, now);
      addresses.put(address, allowance);
    }
    double earned = (now - allowance.at) * perSecond / 1e9;
    allowance.tokens = Math.min(burst, allowance.tokens + earned);
    allowance.at = now;
    if (allowance.tokens < 1) {
      return false;
    }
    allowance.tokens -= 1;
    return true;
  }

  /** The number of addresses remembered. */
  public int addressCount() {
    return addresses.size();
  }
}
