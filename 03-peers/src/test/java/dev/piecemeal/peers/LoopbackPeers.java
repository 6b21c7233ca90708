package dev.piecemeal.peers;

import dev.piecemeal.tracker.PeerAddress;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** Peers on 127.0.0.1 that misbehave in the ways a real network does, for the socket tests. */
final class LoopbackPeers {
  private LoopbackPeers() {}

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** An address where nothing listens: a port we bound and released, so a dial is refused. */
  static PeerAddress closedPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      return new PeerAddress(LOOPBACK, probe.getLocalPort());
    }
  }

  /**
   * A listener that never accepts and whose backlog is full. Linux drops further SYNs to it, so a
   * dial waits for its whole connect timeout: a silent peer, on loopback, without sleeping.
   */
  static final class Silent implements Closeable {
    private final ServerSocket server;
    private final List<Socket> queued = new ArrayList<>();

    Silent() throws IOException {
      server = new ServerSocket(0, 1, LOOPBACK);
      // Fill the accept queue until the kernel stops completing connections to it.
      for (int i = 0; i < 16; i++) {
        Socket socket = new Socket();
        try {
          // On loopback a connect that the kernel completes takes microseconds; one that is still
          // waiting after 400 ms was dropped.
          socket.connect(server.getLocalSocketAddress(), 400);
          queued.add(socket);
        } catch (SocketTimeoutException full) {
          socket.close();
          return;
        }
      }
      throw new IllegalStateException("the accept queue of a backlog-1 listener never filled up");
    }

    PeerAddress address() {
      return new PeerAddress(LOOPBACK, server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      for (Socket socket : queued) {
        socket.close();
      }
      server.close();
    }
  }
}
