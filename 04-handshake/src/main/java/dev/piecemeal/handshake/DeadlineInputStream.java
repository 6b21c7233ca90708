package dev.piecemeal.handshake;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One deadline for a whole exchange of reads, such as the 68 bytes of a handshake, on a stream
 * whose socket otherwise gives each read its own timeout. Before each read the socket's timeout is
 * set to what is left until the deadline; once it has passed, the next read fails at once.
 *
 * <pre>
 * deadline 10 s:  read 1 byte at 0 s (timeout 10 s) … read at 9.5 s (timeout 0.5 s) … at 10 s: fails
 * </pre>
 *
 * A peer that trickles one byte every 9 s would otherwise stretch a handshake over 68 read
 * timeouts and hold a connection slot for ten minutes.
 */
public final class DeadlineInputStream extends InputStream {

  /** Sets the socket's read timeout for the next read: {@code PeerConnection.readTimeout}. */
  @FunctionalInterface
  public interface ReadTimeout {
    void set(Duration timeout) throws IOException;
  }

  private final InputStream in;
  private final long deadlineNanos;
  private final Duration total;
  private final String what;
  private final ReadTimeout readTimeout;
  private final LongSupplier nanos;

  /**
   * @param total how long all the reads together may take, from now
   * @param what what is being read and from whom, for the error: {@code handshake from 127.0.0.1:6881}
   * @param nanos the clock ({@code System::nanoTime})
   */
  public DeadlineInputStream(InputStream in, Duration total, String what, ReadTimeout readTimeout, LongSupplier nanos) {
    this.in = in;
    this.total = total;
    this.what = what;
    this.readTimeout = readTimeout;
    this.nanos = nanos;
    this.deadlineNanos = nanos.getAsLong() + total.toNanos();
  }

  @Override
  public int read() throws IOException {
    beforeRead();
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw late(e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    beforeRead();
    try {
      return in.read(buffer, offset, length);
    } catch (SocketTimeoutException e) {
      throw late(e);
    }
  }

  private void beforeRead() throws IOException {
    long left = deadlineNanos - nanos.getAsLong();
    if (left <= 0) {
      throw late(null);
    }
    // at least 1 ms: a socket timeout of 0 would mean "wait forever"
    readTimeout.set(Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
  }

  private SocketTimeoutException late(SocketTimeoutException cause) {
    SocketTimeoutException e = new SocketTimeoutException(
        what + " not complete within " + describe(total) + " (its deadline)");
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
