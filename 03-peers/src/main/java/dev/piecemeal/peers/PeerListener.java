package dev.piecemeal.peers;

import dev.piecemeal.tracker.PeerAddress;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Listens on a TCP port for peers that dial us: peers that learned our address from the tracker
 * (the announce tells it our port), and, once we seed, every downloader. Each accepted connection
 * runs on its own thread named for the peer, with the same timeouts as a dialed one.
 *
 * <p>Bound to one address of our choosing: 127.0.0.1 in tests and interop runs, so nothing outside
 * the machine can connect; the wildcard address (0.0.0.0) for a real client.
 *
 * <pre>
 * try (PeerListener listener = PeerListener.bind(InetAddress.getLoopbackAddress(), 0, 50, timeouts)) {
 *   listener.serve(connection -&gt; { ... read the peer's handshake first ... });
 *   announce(listener.localAddress().port());
 * }
 * </pre>
 */
public final class PeerListener implements Closeable {

  private final ServerSocket server;
  private final PeerAddress localAddress;
  private final int maxOpen;
  private final ConnectionTimeouts timeouts;
  private final Set<PeerConnection> open = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger turnedAway = new AtomicInteger();
  private volatile Thread acceptor;
  private volatile IOException failure;

  private PeerListener(ServerSocket server, int maxOpen, ConnectionTimeouts timeouts) {
    this.server = server;
    this.localAddress = new PeerAddress(server.getInetAddress(), server.getLocalPort());
    this.maxOpen = maxOpen;
    this.timeouts = timeouts;
  }

  /**
   * Opens a listening socket.
   *
   * @param address the local address to listen on (127.0.0.1, or 0.0.0.0 for every interface)
   * @param port the port, or 0 for any free one ({@link #localAddress()} says which)
   * @param maxOpen most incoming connections open at once; more are closed as soon as they arrive
   * @throws IOException when the port is taken or the address is not ours
   */
  public static PeerListener bind(InetAddress address, int port, int maxOpen, ConnectionTimeouts timeouts)
      throws IOException {
    if (maxOpen < 1) {
      throw new IllegalArgumentException("connection limit must be at least 1, not " + maxOpen);
    }
    Objects.requireNonNull(timeouts, "timeouts");
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true); // a restarted client can take its port back at once
      server.bind(new InetSocketAddress(address, port), 50);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + address.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
    }
    return new PeerListener(server, maxOpen, timeouts);
  }

  /** Where we listen, with the real port when 0 was asked for. */
  public PeerAddress localAddress() {
    return localAddress;
  }

  /**
   * Starts accepting, on a thread named {@code listener-127.0.0.1:6881}, and returns. Each
   * connection runs {@code session} on its own thread; when it returns, the connection is closed.
   */
  public synchronized void serve(Consumer<PeerConnection> session) {
    if (acceptor != null) {
      throw new IllegalStateException("already serving on " + localAddress);
    }
    acceptor = new Thread(() -> acceptLoop(session), "listener-" + localAddress);
    acceptor.start();
  }

  // tag::accept-loop[]
  private void acceptLoop(Consumer<PeerConnection> session) {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          failure = e; // e.g. out of file descriptors: stop rather than spin
        }
        return;
      }
      // Only this thread adds to `open`, so the check and the add below cannot race.
      if (open.size() >= maxOpen) {
        turnedAway.incrementAndGet();
        closeQuietly(socket);
        continue;
      }
      PeerConnection connection;
      try {
        connection = PeerConnection.accepted(socket, timeouts, open::remove);
      } catch (IOException e) {
        closeQuietly(socket); // the peer hung up before we could set the socket up
        continue;
      }
      open.add(connection);
      Thread thread = new Thread(() -> runOne(connection, session), connection.threadName());
      threads.add(thread);
      thread.start();
    }
  }

  private void runOne(PeerConnection connection, Consumer<PeerConnection> session) {
    try {
      session.accept(connection);
    } finally {
      connection.close();
      threads.remove(Thread.currentThread());
    }
  }
  // end::accept-loop[]

  /** Incoming connections open now. */
  public int openCount() {
    return open.size();
  }

  /** How many connections were closed on arrival because {@code maxOpen} were already open. */
  public int turnedAway() {
    return turnedAway.get();
  }

  /** Why accepting stopped before {@link #close()}, or null. */
  public IOException failure() {
    return failure;
  }

  /**
   * Stops listening, closes every incoming connection (which ends their sessions' blocked reads)
   * and waits for every thread this listener started to end.
   */
  @Override
  public void close() {
    closeQuietly(server);
    boolean interrupted = false;
    // The acceptor first: once it has ended, no new connection or session thread can appear.
    Thread accepting = acceptor;
    if (accepting != null) {
      interrupted |= joinUninterruptibly(accepting);
    }
    for (PeerConnection connection : List.copyOf(open)) {
      connection.close();
    }
    for (Thread thread : List.copyOf(threads)) {
      interrupted |= joinUninterruptibly(thread);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a thread that is sure to end soon (its socket is closed); true if interrupted. */
  private static boolean joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Nothing to do: we are throwing it away.
    }
  }
}
