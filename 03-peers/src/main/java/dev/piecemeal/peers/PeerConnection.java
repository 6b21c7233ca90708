package dev.piecemeal.peers;

import dev.piecemeal.tracker.PeerAddress;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An open TCP connection to one peer, with a timeout on every blocking call: reads time out through
 * the socket's own {@code SO_TIMEOUT}, writes through a {@link WriteWatchdog} that closes the socket
 * when a write stays blocked too long. Either way the blocked call throws a
 * {@link SocketTimeoutException} that names the peer, and the thread is free again.
 *
 * <p>The same connection carries the handshake (chapter 4) and then the messages (chapter 5) in
 * both directions, whether we dialed the peer or it dialed us. Everyone reads through the one
 * {@link #in()}: its buffer may hold bytes that arrived behind the handshake, and they belong to
 * the next reader.
 *
 * <p>Threads: one thread reads (the connection's own, named {@link #threadName()}); writes are
 * serialized, so another thread may write a whole message at a time.
 */
public final class PeerConnection implements Closeable {

  private final Socket socket;
  private final PeerAddress remote;
  private final boolean incoming;
  private final Duration writeTimeout;
  private final InputStream in;
  private final OutputStream out;
  private final Consumer<PeerConnection> onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Duration readTimeout;
  private volatile boolean writeTimedOut;

  private PeerConnection(
      Socket socket,
      PeerAddress remote,
      boolean incoming,
      ConnectionTimeouts timeouts,
      Consumer<PeerConnection> onClose)
      throws IOException {
    this.socket = socket;
    this.remote = remote;
    this.incoming = incoming;
    this.writeTimeout = timeouts.write();
    this.onClose = onClose;
    // Every message we write is whole (one write call), so Nagle's algorithm could only delay a
    // small REQUEST or HAVE while it waits for an acknowledgement: turn it off.
    socket.setTcpNoDelay(true);
    readTimeout(timeouts.read());
    this.in = new BufferedInputStream(new TimedInputStream(socket.getInputStream()), 32 * 1024);
    this.out = new TimedOutputStream(socket.getOutputStream());
  }

  /**
   * Dials a peer on the calling thread: waits at most the connect timeout for the peer to accept.
   * {@link PeerDialer} dials many at once with bounds; this is the single step it repeats.
   *
   * @throws IOException when the peer refuses, does not answer in time, or cannot be reached;
   *     {@link ConnectionFailure#of} says which
   */
  public static PeerConnection connect(PeerAddress peer, ConnectionTimeouts timeouts) throws IOException {
    return connect(peer, timeouts, closed -> {});
  }

  /** Dials, and calls {@code onClose} once when the connection closes (to free a slot). */
  static PeerConnection connect(
      PeerAddress peer, ConnectionTimeouts timeouts, Consumer<PeerConnection> onClose)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(peer.toSocketAddress(), (int) timeouts.connect().toMillis());
      return new PeerConnection(socket, peer, false, timeouts, onClose);
    } catch (SocketTimeoutException e) {
      socket.close();
      throw new SocketTimeoutException(
          "no answer from " + peer + " within " + ConnectionTimeouts.describe(timeouts.connect())
              + " (connect timeout)");
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Wraps a socket that a {@link PeerListener} accepted. */
  static PeerConnection accepted(
      Socket socket, ConnectionTimeouts timeouts, Consumer<PeerConnection> onClose)
      throws IOException {
    PeerAddress remote = new PeerAddress(socket.getInetAddress(), socket.getPort());
    return new PeerConnection(socket, remote, true, timeouts, onClose);
  }

  /** The peer's address: for an incoming connection, its ephemeral port, not its listening port. */
  public PeerAddress remote() {
    return remote;
  }

  /** Our end of the connection: our address and the port the operating system chose for it. */
  public PeerAddress local() {
    return new PeerAddress(socket.getLocalAddress(), socket.getLocalPort());
  }

  /** True when the peer dialed us (the connection came through a {@link PeerListener}). */
  public boolean isIncoming() {
    return incoming;
  }

  /** The name for the thread that runs this connection: {@code peer-127.0.0.1:51430}. */
  public String threadName() {
    return threadName(remote);
  }

  static String threadName(PeerAddress peer) {
    return "peer-" + peer;
  }

  /**
   * What the peer sends. A read that waits longer than the read timeout throws
   * {@link SocketTimeoutException} ({@code no data from 127.0.0.1:6881 for 10 s}); end of stream
   * means the peer closed the connection.
   */
  public InputStream in() {
    return in;
  }

  /**
   * Where we write to the peer, unbuffered: write each message with one call. A write that stays
   * blocked longer than the write timeout throws {@link SocketTimeoutException}, and the connection
   * is closed by then.
   */
  public OutputStream out() {
    return out;
  }

  /**
   * Changes the read timeout from now on: a short one while waiting for a handshake, a long one
   * (longer than the two-minute keep-alive) once messages flow.
   */
  public void readTimeout(Duration timeout) throws SocketException {
    ConnectionTimeouts.requirePositive(timeout, "read"); // zero would mean "wait forever"
    socket.setSoTimeout((int) timeout.toMillis());
    this.readTimeout = timeout;
  }

  /** The read timeout now in force. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** True once {@link #close()} ran, here or from another thread (or the write watchdog). */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Closes the socket. Safe from any thread and more than once: a read or write blocked in another
   * thread throws at once, which is how a session is stopped from outside.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a socket only fails if it is already broken, and then it is closed anyway.
      } finally {
        onClose.accept(this);
      }
    }
  }

  /**
   * Closes with a TCP reset (RST) instead of the orderly goodbye (FIN): the peer's next read fails
   * at once with "connection reset", and no data still queued is sent. For a peer we drop for
   * misbehaving.
   */
  public void abort() {
    try {
      socket.setSoLinger(true, 0); // linger for 0 seconds: the kernel sends RST on close
    } catch (SocketException alreadyBroken) {
      // Then there is nothing to reset; close as usual.
    }
    close();
  }

  @Override
  public String toString() {
    return "PeerConnection[" + remote + (incoming ? ", incoming" : "") + (isClosed() ? ", closed" : "") + "]";
  }

  /** Turns the socket's bare "Read timed out" into a message that says which peer and how long. */
  private final class TimedInputStream extends InputStream {
    private final InputStream socketIn;

    TimedInputStream(InputStream socketIn) {
      this.socketIn = socketIn;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return socketIn.read(buffer, offset, length);
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException(
            "no data from " + remote + " for " + ConnectionTimeouts.describe(readTimeout) + " (read timeout)");
      }
    }

    /** Closing the stream closes the connection, and so frees its slot. */
    @Override
    public void close() {
      PeerConnection.this.close();
    }
  }

  /**
   * Arms the watchdog around every write. When it fires, it closes the socket; the blocked write
   * then fails with a {@code SocketException}, which we report as the timeout it really is.
   */
  private final class TimedOutputStream extends OutputStream {
    private final OutputStream socketOut;

    TimedOutputStream(OutputStream socketOut) {
      this.socketOut = socketOut;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] buffer, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, buffer.length);
      ScheduledFuture<?> alarm =
          WriteWatchdog.arm(
              writeTimeout,
              () -> {
                writeTimedOut = true;
                PeerConnection.this.close(); // the connection, not this stream
              });
      try {
        socketOut.write(buffer, offset, length);
      } catch (IOException e) {
        if (writeTimedOut) {
          throw new SocketTimeoutException(
              "write to " + remote + " blocked for " + ConnectionTimeouts.describe(writeTimeout)
                  + " (write timeout); connection closed");
        }
        throw e;
      } finally {
        alarm.cancel(false);
      }
    }

    /** Closing the stream closes the connection, and so frees its slot. */
    @Override
    public void close() {
      PeerConnection.this.close();
    }
  }
}
