package dev.piecemeal.tracker.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A small tracker: the server side of the announce this chapter's clients send (BEP 3, "trackers";
 * BEP 23 compact peers; BEP 15 over UDP). It answers {@code GET /announce} over HTTP, and BEP 15's
 * connect and announce over UDP on the same port number, with the peers other announces registered;
 * {@link TrackedTorrents} keeps them for both, {@link AnnounceQuery} reads an HTTP request, {@link
 * AnnounceResponseWriter} writes its answer, {@link UdpAnnounceServer} does both for UDP.
 *
 * <pre>
 * GET /announce?info_hash=...&amp;peer_id=...&amp;port=6881&amp;uploaded=0&amp;downloaded=0&amp;left=0&amp;compact=1
 *   → 200, d8:completei1e10:incompletei0e8:intervali1800e12:min intervali900e5:peers0:e
 * GET /announce?port=6881
 *   → 200, d14:failure reason27:missing parameter info_hashe
 * </pre>
 *
 * <p>A teaching tracker and a test fixture, not a production tracker: announces only (no scrape,
 * BEP 48), everything in memory, and bounded by {@link TrackerSettings} so that it is safe to
 * leave running for a demo. Built on the JDK's own HTTP server, {@code
 * com.sun.net.httpserver} in the module {@code jdk.httpserver}, which is part of every JDK since 6.
 *
 * <pre>
 * try (TrackerServer tracker = TrackerServer.start(InetAddress.getLoopbackAddress(), 0,
 *     TrackerSettings.defaults())) {
 *   String url = tracker.announceUrl();      // http://127.0.0.1:41234/announce
 *   String udp = tracker.udpAnnounceUrl();   // udp://127.0.0.1:41234/announce
 *   ...
 * }
 * </pre>
 *
 * <p>Every answer, refusals included, has status 200: BEP 3 puts the refusal in the body, and
 * some clients read no body of a response with another status. Only a path other than {@code
 * /announce} (404) and a method other than GET (405) get another status, still with a bencoded
 * reason.
 *
 * <p>Simplified: two handler threads, reading each request with a blocking stream and no time
 * limit, and no limit on how often one address may announce. opentracker reads with non-blocking
 * I/O and drops slow or greedy clients; a tracker for tests and demos on a loopback address or a
 * small network does not meet them, and blocking reads keep the request a straight sequence.
 */
public final class TrackerServer implements AutoCloseable {
  /**
   * Threads answering HTTP requests; the JDK's own "HTTP-Dispatcher" thread accepts connections,
   * and one more thread answers UDP.
   */
  private static final int HANDLER_THREADS = 2;

  /** With port 0, how many ephemeral TCP ports to try before one is also free for UDP. */
  private static final int BIND_ATTEMPTS = 5;

  private final HttpServer server;
  private final ExecutorService handlers;
  private final UdpAnnounceServer udp;
  private final TrackedTorrents torrents;
  private final TrackerSettings settings;

  private TrackerServer(HttpServer server, ExecutorService handlers, UdpAnnounceServer udp,
      TrackedTorrents torrents, TrackerSettings settings) {
    this.server = server;
    this.handlers = handlers;
    this.udp = udp;
    this.torrents = torrents;
    this.settings = settings;
  }

  /** Starts a tracker on {@code address:port} (port 0: any free port) with the real clock. */
  public static TrackerServer start(InetAddress address, int port, TrackerSettings settings)
      throws IOException {
    return start(address, port, settings, InstantSource.system(), new SecureRandom());
  }

  /**
   * Starts a tracker on {@code address:port} (port 0: any free port).
   *
   * @param clock when announces happen, for expiry; tests pass one they move by hand
   * @param random which peers are handed out when there are more than wanted
   * @throws IOException when the address cannot be bound, for TCP or for UDP
   */
  public static TrackerServer start(InetAddress address, int port, TrackerSettings settings,
      InstantSource clock, RandomGenerator random) throws IOException {
    Objects.requireNonNull(address, "address");
    TrackedTorrents torrents = new TrackedTorrents(settings, clock, random);
    // TCP first, then UDP on the same number. A number the system chose for TCP may be taken for
    // UDP by somebody else: then, and only for port 0, try another.
    for (int attempt = 1; ; attempt++) {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 50);
      int bound = server.getAddress().getPort();
      UdpAnnounceServer udp;
      try {
        udp = new UdpAnnounceServer(address, bound, torrents, settings, clock);
      } catch (SocketException e) {
        server.stop(0);
        if (port == 0 && attempt < BIND_ATTEMPTS) {
          continue;
        }
        throw new IOException("UDP port " + bound + " cannot be bound: " + e.getMessage(), e);
      }
      return start(server, udp, torrents, settings);
    }
  }

  private static TrackerServer start(HttpServer server, UdpAnnounceServer udp,
      TrackedTorrents torrents, TrackerSettings settings) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS, task -> {
      Thread thread = new Thread(task, "tracker-" + server.getAddress().getPort() + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    TrackerServer tracker = new TrackerServer(server, handlers, udp, torrents, settings);
    server.createContext("/", tracker::handle);
    server.setExecutor(handlers);
    server.start();
    udp.start();
    return tracker;
  }

  /**
   * The port number this tracker listens on, for TCP and UDP: the one given, or the one the system
   * chose for port 0.
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The HTTP URL peers announce to: {@code http://127.0.0.1:PORT/announce}, or {@code
   * http://[::1]:PORT/announce}. A tracker bound to the wildcard address names it {@code 0.0.0.0}
   * here; a .torrent must carry an address its peers can reach instead.
   */
  public String announceUrl() {
    return "http://" + hostAndPort() + "/announce";
  }

  /** The UDP URL peers announce to (BEP 15): {@code udp://127.0.0.1:PORT/announce}. */
  public String udpAnnounceUrl() {
    return "udp://" + hostAndPort() + "/announce";
  }

  private String hostAndPort() {
    String host = server.getAddress().getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** The torrents and peers this tracker holds. */
  public TrackedTorrents torrents() {
    return torrents;
  }

  /** Stops listening, closes every connection and ends the handler threads; waits up to a second. */
  @Override
  public void close() {
    udp.close();
    server.stop(0);
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One HTTP exchange: check the path and method, read the announce, register it, answer. */
  private void handle(HttpExchange exchange) throws IOException {
    // Closing the exchange closes the request's body (a GET has none) and the response's.
    try (exchange) {
      if (!exchange.getRequestURI().getRawPath().equals("/announce")) {
        send(exchange, 404, AnnounceResponseWriter.failure(
            "no such path " + exchange.getRequestURI().getRawPath() + "; announce to /announce"));
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, AnnounceResponseWriter.failure(
            "method " + exchange.getRequestMethod() + " is not GET"));
        return;
      }
      byte[] answer;
      try {
        AnnounceQuery query = AnnounceQuery.parse(exchange.getRequestURI().getRawQuery());
        // The address a peer is handed out at is the one it connected from; see AnnounceQuery on ip.
        InetAddress from = exchange.getRemoteAddress().getAddress();
        answer = AnnounceResponseWriter.answer(torrents.announce(query, from), settings, query.compact());
      } catch (AnnounceRefusedException e) {
        answer = AnnounceResponseWriter.failure(e.reason());
      }
      send(exchange, 200, answer);
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
