package dev.piecemeal.client;

import com.sun.net.httpserver.HttpServer;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * An HTTP tracker for tests, on 127.0.0.1 (the JDK's own HTTP server): every announce gets the same
 * compact peer list, and the event of each announce is remembered.
 */
final class TestTracker implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-tracker"));
  private final List<String> events = new ArrayList<>();
  private final byte[] answer;

  TestTracker(List<PeerAddress> peers) throws IOException {
    ByteBuffer compact = ByteBuffer.allocate(6 * peers.size());
    for (PeerAddress peer : peers) {
      compact.put(peer.toSocketAddress().getAddress().getAddress()).putShort((short) peer.port());
    }
    answer = BencodeEncoder.encode(BencodeDictionary.builder()
        .put("interval", 1800)
        .put("peers", compact.array())
        .build());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/announce", exchange -> {
      String query = exchange.getRequestURI().getRawQuery();
      String event = "none";
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("event=")) {
          event = parameter.substring("event=".length());
        }
      }
      synchronized (events) {
        events.add(event);
      }
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(answer);
      }
    });
    server.setExecutor(thread);
    server.start();
  }

  String announceUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
  }

  /** The event of every announce so far, in order: {@code started}, {@code none}, ... */
  List<String> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
