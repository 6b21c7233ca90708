package dev.piecemeal.tracker;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small BEP 15 tracker for tests, on a loopback address and an ephemeral port, answering on one
 * named thread. It behaves like a real tracker (hands out connection ids, refuses unknown ones)
 * and can be told to misbehave: lose packets, answer with a wrong transaction id, refuse.
 */
final class FakeUdpTracker implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final Set<Long> issuedConnectionIds = ConcurrentHashMap.newKeySet();

  /** Compact peers (6 or 18 bytes each) put in every announce reply. */
  volatile byte[] peers = new byte[0];
  /** How many announce requests to ignore, as if the network lost them. */
  final AtomicInteger announcesToLose = new AtomicInteger();
  /** Send a reply with a wrong transaction id before each real reply. */
  volatile boolean wrongTransactionIdFirst;
  /** Send only replies with a wrong transaction id. */
  volatile boolean wrongTransactionIdOnly;
  /** When set, answer every announce with an error reply carrying this message. */
  volatile String refuseWith;

  final AtomicInteger connectsReceived = new AtomicInteger();
  final AtomicInteger announcesReceived = new AtomicInteger();

  FakeUdpTracker(String loopback) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(loopback), 0));
    thread = new Thread(this::serve, "fake-udp-tracker-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** The URL of this tracker: {@code udp://127.0.0.1:PORT/announce} or {@code udp://[::1]:PORT/announce}. */
  String url() {
    String host = socket.getLocalAddress().getHostAddress();
    return "udp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + socket.getLocalPort() + "/announce";
  }

  private void serve() {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        answer(ByteBuffer.wrap(buffer, 0, packet.getLength()), packet.getSocketAddress());
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void answer(ByteBuffer request, SocketAddress client) throws IOException {
    long first = request.getLong();
    int action = request.getInt();
    int transactionId = request.getInt();
    if (action == 0 && first == UdpTrackerMessages.PROTOCOL_ID) {
      connectsReceived.incrementAndGet();
      long connectionId = 0x1000L + connectsReceived.get();
      issuedConnectionIds.add(connectionId);
      reply(client, transactionId, ByteBuffer.allocate(16).putInt(0).putInt(transactionId).putLong(connectionId));
    } else if (action == 1) {
      announcesReceived.incrementAndGet();
      if (announcesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return;
      }
      if (!issuedConnectionIds.contains(first)) {
        reply(client, transactionId, error(transactionId, "unknown connection id"));
      } else if (refuseWith != null) {
        reply(client, transactionId, error(transactionId, refuseWith));
      } else {
        ByteBuffer announce = ByteBuffer.allocate(20 + peers.length)
            .putInt(1).putInt(transactionId)
            .putInt(1800)   // interval
            .putInt(2)      // leechers
            .putInt(5)      // seeders
            .put(peers);
        reply(client, transactionId, announce);
      }
    }
  }

  private static ByteBuffer error(int transactionId, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + text.length).putInt(3).putInt(transactionId).put(text);
  }

  private void reply(SocketAddress client, int transactionId, ByteBuffer reply) throws IOException {
    byte[] bytes = reply.array();
    if (wrongTransactionIdFirst || wrongTransactionIdOnly) {
      byte[] wrong = bytes.clone();
      ByteBuffer.wrap(wrong).putInt(4, transactionId + 1);
      socket.send(new DatagramPacket(wrong, wrong.length, client));
      if (wrongTransactionIdOnly) {
        return;
      }
    }
    socket.send(new DatagramPacket(bytes, bytes.length, client));
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5_000);
  }
}
