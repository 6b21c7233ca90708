package dev.piecemeal.tracker.server;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import dev.piecemeal.tracker.UdpTrackerMessages;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The UDP side of the {@link TrackerServer} (BEP 15): connect and announce on one socket, answered
 * one packet at a time on one named thread, with the same {@link TrackedTorrents} as HTTP. The
 * packets are the ones {@link UdpTrackerMessages} writes and reads on the client's side.
 *
 * <pre>
 * connect  (16 bytes: magic 0x41727101980, action 0, transaction t)
 *   → action 0, t, connection id c
 * announce (98 bytes: c, action 1, transaction t, info hash, peer id, downloaded, left, uploaded,
 *           event, IP 0, key, numwant, port)
 *   → action 1, t, interval, leechers, seeders, 6 bytes per peer (18 when asked over IPv6)
 * anything wrong
 *   → action 3, t, the reason as text
 * </pre>
 *
 * <p>The connection id is what makes UDP safe to answer: a request with a forged source address
 * never sees the id, so it cannot make us send a long list of peers to somebody else. Instead of
 * remembering every id handed out, the id is a keyed hash (HMAC-SHA256, a random key per run) of
 * the client's IP address and the current minute; an announce is accepted with the id of
 * this minute or the last, so an id lives one to two minutes, as BEP 15 asks ("accept the
 * connection ID until two minutes after it has been sent"). The IP alone, not the port: a client
 * may announce from a new socket with the id it got on the last one, as this chapter's {@code
 * UdpTrackerClient} does. A connect is no bigger than its answer, so answering it helps no
 * reflection.
 *
 * <p>As over HTTP, the {@code IP address} field of the announce is ignored: the peer is the
 * packet's source address. Scrape (action 2) is answered with an error.
 *
 * <p>Simplified: an answer holds only peers of the asking peer's address family (BEP 15 has one
 * entry size per packet), so a tracker bound to both IPv4 and IPv6 may hand out fewer than {@code
 * numwant}. opentracker keeps the families apart from the start; a tracker bound to one loopback
 * address sees one family.
 */
final class UdpAnnounceServer implements AutoCloseable {
  private static final int ACTION_CONNECT = 0;
  private static final int ACTION_ANNOUNCE = 1;
  private static final int ACTION_ERROR = 3;
  private static final int CONNECT_SIZE = 16;
  private static final int ANNOUNCE_SIZE = 98;
  private static final int ANNOUNCE_HEADER = 20;
  /** Answers stay below a common path MTU, unfragmented: 1400 bytes is 230 IPv4 or 76 IPv6 peers. */
  private static final int MAX_ANSWER = 1400;

  private final DatagramSocket socket;
  private final TrackedTorrents torrents;
  private final TrackerSettings settings;
  private final InstantSource clock;
  private final Mac connectionIds;
  private final Thread thread;

  /**
   * Binds {@code address:port} for UDP; {@link #start} begins answering.
   *
   * @throws IOException when the port is taken
   */
  UdpAnnounceServer(InetAddress address, int port, TrackedTorrents torrents, TrackerSettings settings,
      InstantSource clock) throws IOException {
    this.torrents = Objects.requireNonNull(torrents, "torrents");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.connectionIds = hmacWithRandomKey();
    this.socket = new DatagramSocket(new InetSocketAddress(address, port));
    this.thread = new Thread(this::serve, "tracker-" + socket.getLocalPort() + "-udp");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Closes the socket, which ends the blocking receive and the thread; waits up to a second. */
  @Override
  public void close() {
    socket.close();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve() {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        // No timeout: close() ends the wait by closing the socket.
        socket.receive(packet);
        byte[] answer = answer(ByteBuffer.wrap(buffer, 0, packet.getLength()), packet.getAddress());
        if (answer != null) {
          socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        // One packet that could not be answered (the peer's port closed): go on with the next.
      }
    }
  }

  /** The answer to one request, or null for a packet that is not BEP 15 at all. */
  private byte[] answer(ByteBuffer request, InetAddress from) {
    if (request.remaining() < CONNECT_SIZE) {
      return null; // too short to carry an action and a transaction id
    }
    long first = request.getLong();
    int action = request.getInt();
    int transactionId = request.getInt();
    if (action == ACTION_CONNECT) {
      if (first != UdpTrackerMessages.PROTOCOL_ID) {
        return null; // not the magic: not a BitTorrent client
      }
      return ByteBuffer.allocate(16)
          .putInt(ACTION_CONNECT).putInt(transactionId).putLong(connectionId(from, minute()))
          .array();
    }
    if (first != connectionId(from, minute()) && first != connectionId(from, minute() - 1)) {
      // The sender's address is unproven: never send it more bytes than it sent us.
      return request.limit() < ANNOUNCE_SIZE ? null
          : error(transactionId, "connection id is unknown or older than two minutes; connect again");
    }
    if (action != ACTION_ANNOUNCE) {
      return error(transactionId, "action " + action + " is not supported (connect 0 and announce 1 are)");
    }
    if (request.limit() < ANNOUNCE_SIZE) {
      return error(transactionId, "announce is " + request.limit() + " bytes, expected " + ANNOUNCE_SIZE);
    }
    try {
      return announce(request, from, transactionId);
    } catch (AnnounceRefusedException e) {
      return error(transactionId, e.reason());
    }
  }

  /** The announce after its 16-byte header: read, register, answer with compact peers. */
  private byte[] announce(ByteBuffer request, InetAddress from, int transactionId)
      throws AnnounceRefusedException {
    byte[] infoHash = new byte[20];
    byte[] peerId = new byte[20];
    request.get(infoHash).get(peerId);
    long downloaded = request.getLong();
    long left = request.getLong();
    long uploaded = request.getLong();
    int eventNumber = request.getInt();
    request.getInt(); // IP address: ignored, the peer is where the packet came from
    request.getInt(); // key: not read, as over HTTP
    int numwant = request.getInt(); // -1: the tracker's default
    int port = request.getShort() & 0xffff;
    if (port == 0) {
      throw new AnnounceRefusedException("port 0 is not in 1..65535");
    }
    if (downloaded < 0 || left < 0 || uploaded < 0) {
      throw new AnnounceRefusedException("downloaded, left and uploaded must not be negative");
    }
    int entrySize = from instanceof Inet6Address ? 18 : 6;
    int fits = (MAX_ANSWER - ANNOUNCE_HEADER) / entrySize;
    AnnounceQuery query = new AnnounceQuery(InfoHash.fromBytes(infoHash), PeerId.fromBytes(peerId), port,
        uploaded, downloaded, left, event(eventNumber),
        OptionalInt.of(numwant < 0 ? Math.min(TrackerSettings.DEFAULT_NUMWANT, fits) : Math.min(numwant, fits)),
        true);
    TrackedTorrents.Answer answer = torrents.announce(query, from);

    List<PeerAddress> sameFamily = new ArrayList<>();
    for (TrackedPeer peer : answer.peers()) {
      if (peer.address().isIpv6() == (from instanceof Inet6Address)) {
        sameFamily.add(peer.address());
      }
    }
    byte[] peers = AnnounceResponseWriter.compactPeers(sameFamily);
    return ByteBuffer.allocate(ANNOUNCE_HEADER + peers.length)
        .putInt(ACTION_ANNOUNCE).putInt(transactionId)
        .putInt(settings.interval()).putInt(answer.incomplete()).putInt(answer.complete())
        .put(peers)
        .array();
  }

  /** BEP 15's numbers: 0 none, 1 completed, 2 started, 3 stopped. */
  private static AnnounceEvent event(int number) throws AnnounceRefusedException {
    for (AnnounceEvent event : AnnounceEvent.values()) {
      if (event.udpNumber() == number) {
        return event;
      }
    }
    throw new AnnounceRefusedException("event " + number + " is not 0, 1, 2 or 3");
  }

  private static byte[] error(int transactionId, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + text.length).putInt(ACTION_ERROR).putInt(transactionId).put(text).array();
  }

  private long minute() {
    return clock.instant().getEpochSecond() / 60;
  }

  /** The first 8 bytes of HMAC-SHA256(IP address, minute): the same for one address for a minute. */
  private long connectionId(InetAddress address, long minute) {
    byte[] ip = address.getAddress();
    ByteBuffer input = ByteBuffer.allocate(ip.length + 8).put(ip).putLong(minute);
    synchronized (connectionIds) { // one thread uses it today; a Mac is not thread-safe if that changes
      return ByteBuffer.wrap(connectionIds.doFinal(input.array())).getLong();
    }
  }

  private static Mac hmacWithRandomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JDK has HmacSHA256", e);
    }
  }
}
