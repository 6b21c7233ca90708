package dev.piecemeal.tracker;

import dev.piecemeal.tracker.UdpTrackerMessages.AnnounceReply;
import dev.piecemeal.tracker.UdpTrackerMessages.ConnectReply;
import dev.piecemeal.tracker.UdpTrackerMessages.ErrorReply;
import dev.piecemeal.tracker.UdpTrackerMessages.Reply;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Announces to a {@code udp://host:port} tracker (BEP 15): a connect exchange that proves our
 * address is not spoofed, then the announce, each request sent again with a growing wait when no
 * answer comes.
 *
 * <pre>
 * client                                       tracker
 *   connect  (magic, action 0, transaction t1) →
 *            ← (action 0, t1, connection id c)
 *   announce (c, action 1, transaction t2, ...) →
 *            ← (action 1, t2, interval, leechers, seeders, peers)
 * </pre>
 *
 * <p>The connection id is kept and reused for one minute after it arrived, so a re-announce within
 * the minute skips the connect. That is the only state this object keeps; announces are serialized
 * on it ({@code synchronized}), so two threads never share a connection id half-updated.
 */
public final class UdpTrackerClient implements Tracker {
  /** How long a client may use a connection id (BEP 15: one minute; the tracker accepts two). */
  public static final Duration CONNECTION_ID_LIFETIME = Duration.ofMinutes(1);

  /** The largest UDP payload: a reply can never be cut short by our buffer. */
  private static final int MAX_PACKET = 65_536;

  private final String url;
  private final String host;
  private final int port;
  private final RetryPolicy retry;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();

  // Guarded by this.
  private long connectionId;
  private Instant connectionIdExpires = Instant.MIN;

  /**
   * A client for the tracker at {@code url} ({@code udp://host:port}, any path is ignored).
   *
   * @param retry the waits and retransmissions; {@link RetryPolicy#BEP_15} for the BEP's own
   * @param clock tells when a connection id has expired; tests pass one they can move forward
   * @throws IllegalArgumentException when the URL has no host or no port
   */
  public UdpTrackerClient(URI url, RetryPolicy retry, InstantSource clock) {
    this.url = url.toString();
    this.host = url.getHost();
    this.port = url.getPort();
    this.retry = Objects.requireNonNull(retry, "retry");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (host == null || port < 1) {
      throw new IllegalArgumentException("a UDP tracker URL needs a host and a port: " + url);
    }
  }

  @Override
  public String url() {
    return url;
  }

  /*
   * Simplified: the path of a udp:// URL (/announce, or a private tracker's /passkey) is not sent.
   * BEP 41 sends it as an option after the announce packet; few trackers need it, and it would add
   * an option encoding to a chapter about the base protocol.
   */
  @Override
  public synchronized AnnounceResponse announce(AnnounceRequest request) throws TrackerException {
    InetSocketAddress tracker = resolve();
    // BEP 15: the tracker's address family says how long each peer entry is.
    boolean ipv6Peers = tracker.getAddress() instanceof Inet6Address;
    // One socket per announce; connect() makes the OS drop datagrams from anyone but the tracker.
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(tracker);
      Exchange exchange = new Exchange(socket, ipv6Peers);
      // tag::udp-announce-steps[]
      while (true) {
        // 1. a connection id: the one we have if it is less than a minute old, else connect
        if (!clock.instant().isBefore(connectionIdExpires)) {
          int transactionId = random.nextInt();
          Reply reply = exchange.send(UdpTrackerMessages.connectRequest(transactionId), transactionId);
          if (reply == null) {
            continue; // timed out: send the connect again (Exchange counts the attempts)
          }
          connectionId = expect(ConnectReply.class, reply, "connect").connectionId();
          connectionIdExpires = clock.instant().plus(CONNECTION_ID_LIFETIME);
        }
        // 2. the announce, with that connection id
        int transactionId = random.nextInt();
        byte[] packet = UdpTrackerMessages.announceRequest(connectionId, transactionId, request);
        Reply reply = exchange.send(packet, transactionId);
        if (reply != null) {
          return expect(AnnounceReply.class, reply, "announce").response();
        }
        // timed out: loop, reconnecting first if the connection id expired while we waited
      }
      // end::udp-announce-steps[]
    } catch (PortUnreachableException e) {
      throw new TrackerException(
          url, "nothing listens on UDP " + hostPort(tracker) + " (port unreachable)", e);
    } catch (IOException e) {
      throw new TrackerException(url, "UDP exchange failed: " + e.getMessage(), e);
    }
  }

  /** The reply as the type we asked for; an error reply becomes a failure with its message. */
  private <T extends Reply> T expect(Class<T> type, Reply reply, String step) throws TrackerException {
    if (reply instanceof ErrorReply error) {
      // The tracker may have refused our connection id: get a fresh one next time.
      connectionIdExpires = Instant.MIN;
      throw new TrackerFailureException(url, error.message());
    }
    if (!type.isInstance(reply)) {
      throw new TrackerException(
          url, "expected a " + step + " reply, got a " + reply.getClass().getSimpleName());
    }
    return type.cast(reply);
  }

  /** {@code 127.0.0.1:6969} or {@code [::1]:6969}, without InetSocketAddress's leading slash. */
  private static String hostPort(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private InetSocketAddress resolve() throws TrackerException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new TrackerException(url, "cannot resolve host " + host);
    }
    return address;
  }

  /**
   * Sends requests and waits for their replies, counting the sends since the last reply against
   * the retry policy: the n-th send waits {@code firstTimeout · 2^n}. A reply shows the tracker is
   * there, so the count starts again for the next request (the announce after a connect).
   */
  private final class Exchange {
    private final DatagramSocket socket;
    private final boolean ipv6Peers;
    private final byte[] buffer = new byte[MAX_PACKET];
    private int sends;
    private int wrongTransactionIds;

    Exchange(DatagramSocket socket, boolean ipv6Peers) {
      this.socket = socket;
      this.ipv6Peers = ipv6Peers;
    }

    /**
     * Sends the packet and returns the reply that carries {@code transactionId}, or null when none
     * came in this send's wait. Replies with another transaction id (late answers to an earlier
     * request, or forgeries) are ignored.
     *
     * @throws TrackerException when every send allowed by the policy has timed out
     */
    Reply send(byte[] packet, int transactionId) throws IOException, TrackerException {
      if (sends == retry.attempts()) {
        String ignored = wrongTransactionIds == 0 ? ""
            : " (ignored " + wrongTransactionIds + " with a wrong transaction id)";
        long waited = 0;
        for (int n = 0; n < sends; n++) {
          waited += retry.timeout(n).toMillis();
        }
        throw new TrackerException(
            url, "no reply after " + sends + " sends over " + waited + " ms" + ignored);
      }
      Duration wait = retry.timeout(sends);
      sends++;
      socket.send(new DatagramPacket(packet, packet.length));
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          return null;
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(leftNanos / 1_000_000, Integer.MAX_VALUE)));
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(received);
        } catch (SocketTimeoutException e) {
          return null;
        }
        // Check the transaction id before reading anything else: a packet that is not the answer
        // to this request (too short to be any answer, a late answer, a forgery) is ignored.
        int length = received.getLength();
        if (length < UdpTrackerMessages.REPLY_HEADER_SIZE
            || ByteBuffer.wrap(buffer, 4, 4).getInt() != transactionId) {
          wrongTransactionIds++;
          continue;
        }
        sends = 0;
        wrongTransactionIds = 0;
        return UdpTrackerMessages.readReply(buffer, length, ipv6Peers, url);
      }
    }
  }
}
