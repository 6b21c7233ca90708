package dev.piecemeal.client;

import com.sun.net.httpserver.HttpServer;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP tracker for tests, on 127.0.0.1 (the JDK's own HTTP server): every announce gets the same
 * answer, by default the compact list of the peers given, and the query of each announce is
 * remembered. Used by the engine's tests and the command line's.
 */
public final class TestTracker implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-tracker"));
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private volatile byte[] answer;

  /** A tracker whose answer names {@code peers} (IPv4), in the compact form, with an interval of 1800 s. */
  public TestTracker(List<PeerAddress> peers) throws IOException {
    ByteBuffer compact = ByteBuffer.allocate(6 * peers.size());
    for (PeerAddress peer : peers) {
      compact.put(peer.toSocketAddress().getAddress().getAddress()).putShort((short) peer.port());
    }
    answer = BencodeEncoder.encode(BencodeDictionary.builder()
        .put("interval", 1800)
        .put("peers", compact.array())
        .build());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/announce", exchange -> {
      queries.add(exchange.getRequestURI().getRawQuery());
      byte[] body = answer;
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(thread);
    server.start();
  }

  /** From now on, every announce gets this body (a bencoded answer, or anything else). */
  public void answer(byte[] body) {
    answer = body.clone();
  }

  public String announceUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
  }

  /** The raw query string of every announce so far, in order. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  /** The event of every announce so far, in order: {@code started}, {@code none}, ... */
  public List<String> events() {
    List<String> events = new ArrayList<>();
    for (String query : queries) {
      String event = "none";
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("event=")) {
          event = parameter.substring("event=".length());
        }
      }
      events.add(event);
    }
    return events;
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
