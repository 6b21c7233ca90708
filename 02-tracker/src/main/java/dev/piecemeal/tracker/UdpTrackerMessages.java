package dev.piecemeal.tracker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Optional;

/**
 * The packets of the UDP tracker protocol (BEP 15), written and read. All numbers are big-endian;
 * every packet starts with an action (0 connect, 1 announce, 3 error) and a transaction id that the
 * client chose and the tracker echoes.
 *
 * <pre>
 * connect request (16 bytes)         connect reply (16 bytes)
 *   0  int64  0x41727101980 (magic)    0  int32  action 0
 *   8  int32  action 0                 4  int32  transaction id
 *  12  int32  transaction id           8  int64  connection id
 *
 * announce request (98 bytes)        announce reply (20 + 6n or 20 + 18n bytes)
 *   0  int64  connection id            0  int32  action 1
 *   8  int32  action 1                 4  int32  transaction id
 *  12  int32  transaction id           8  int32  interval
 *  16  20     info hash               12  int32  leechers
 *  36  20     peer id                 16  int32  seeders
 *  56  int64  downloaded              20  6 or 18 bytes per peer, as in {@link CompactPeers}
 *  64  int64  left
 *  72  int64  uploaded                error reply (8 + message bytes)
 *  80  int32  event                    0  int32  action 3
 *  84  int32  IP address, 0: "the      4  int32  transaction id
 *             sender's"                8  ...    message, text to the end
 *  88  int32  key
 *  92  int32  numwant
 *  96  uint16 port
 * </pre>
 */
public final class UdpTrackerMessages {
  /** The magic constant that opens a connect request. */
  public static final long PROTOCOL_ID = 0x41727101980L;

  static final int ACTION_CONNECT = 0;
  static final int ACTION_ANNOUNCE = 1;
  static final int ACTION_ERROR = 3;

  /** The sizes BEP 15 gives. */
  static final int CONNECT_REQUEST_SIZE = 16;
  static final int CONNECT_REPLY_SIZE = 16;
  static final int ANNOUNCE_REQUEST_SIZE = 98;
  static final int ANNOUNCE_REPLY_HEADER_SIZE = 20;
  /** Action and transaction id: anything shorter is not an answer at all. */
  static final int REPLY_HEADER_SIZE = 8;

  private UdpTrackerMessages() {}

  /** A reply from the tracker, by its action. */
  public sealed interface Reply permits ConnectReply, AnnounceReply, ErrorReply {
    /** The transaction id the tracker echoed. */
    int transactionId();
  }

  /** Action 0: the connection id to put at the start of the next requests. */
  public record ConnectReply(int transactionId, long connectionId) implements Reply {}

  /** Action 1: the announce worked. */
  public record AnnounceReply(int transactionId, AnnounceResponse response) implements Reply {}

  /** Action 3: the tracker refuses, and says why. */
  public record ErrorReply(int transactionId, String message) implements Reply {}

  /** The 16-byte connect request. */
  public static byte[] connectRequest(int transactionId) {
    return ByteBuffer.allocate(CONNECT_REQUEST_SIZE)
        .putLong(PROTOCOL_ID)
        .putInt(ACTION_CONNECT)
        .putInt(transactionId)
        .array();
  }

  /** The 98-byte announce request. */
  public static byte[] announceRequest(long connectionId, int transactionId, AnnounceRequest request) {
    // tag::udp-announce[]
    return ByteBuffer.allocate(ANNOUNCE_REQUEST_SIZE)
        .putLong(connectionId)
        .putInt(ACTION_ANNOUNCE)
        .putInt(transactionId)
        .put(request.infoHash().bytes())
        .put(request.peerId().bytes())
        .putLong(request.downloaded())
        .putLong(request.left())
        .putLong(request.uploaded())
        .putInt(request.event().udpNumber())
        .putInt(0) // IP address: 0 asks the tracker to use the packet's source address
        .putInt(request.key())
        .putInt(request.numwant())
        .putShort((short) request.port())
        .array();
    // end::udp-announce[]
  }

  /**
   * Reads one reply of {@code length} bytes. Call only with at least {@link #REPLY_HEADER_SIZE}
   * bytes; the caller checks the transaction id.
   *
   * @param ipv6Peers true when the tracker was reached over IPv6: BEP 15 then sends 18-byte peers
   * @throws TrackerException when the packet is too short for its action or has an unknown action
   */
  public static Reply readReply(byte[] packet, int length, boolean ipv6Peers, String trackerUrl)
      throws TrackerException {
    if (length < REPLY_HEADER_SIZE) {
      throw new TrackerException(
          trackerUrl, "reply is " + length + " bytes, shorter than its 8-byte header");
    }
    ByteBuffer in = ByteBuffer.wrap(packet, 0, length);
    int action = in.getInt();
    int transactionId = in.getInt();
    return switch (action) {
      case ACTION_CONNECT -> {
        requireLength(length, CONNECT_REPLY_SIZE, "connect", trackerUrl);
        yield new ConnectReply(transactionId, in.getLong());
      }
      case ACTION_ANNOUNCE -> {
        if (length == REPLY_HEADER_SIZE) {
          // opentracker answers so for a torrent it does not track (not in its whitelist).
          throw new TrackerException(trackerUrl, "announce reply has no interval and no peers"
              + " (8 bytes): the tracker may not track this torrent");
        }
        requireLength(length, ANNOUNCE_REPLY_HEADER_SIZE, "announce", trackerUrl);
        yield new AnnounceReply(transactionId, announceResponse(packet, length, ipv6Peers, trackerUrl));
      }
      case ACTION_ERROR -> new ErrorReply(
          transactionId,
          new String(packet, REPLY_HEADER_SIZE, length - REPLY_HEADER_SIZE, StandardCharsets.UTF_8));
      default -> throw new TrackerException(trackerUrl, "reply has unknown action " + action);
    };
  }

  private static AnnounceResponse announceResponse(
      byte[] packet, int length, boolean ipv6Peers, String trackerUrl) throws TrackerException {
    ByteBuffer in = ByteBuffer.wrap(packet, 8, length - 8);
    int interval = in.getInt();
    int leechers = in.getInt();
    int seeders = in.getInt();
    if (interval < 1) {
      throw new TrackerException(trackerUrl, "announce reply has interval " + interval + ", not positive");
    }
    if (leechers < 0 || seeders < 0) {
      throw new TrackerException(
          trackerUrl, "announce reply has negative counts: " + leechers + " leechers, " + seeders + " seeders");
    }
    PeerList peers = new PeerList();
    int entrySize = ipv6Peers ? CompactPeers.IPV6_ENTRY : CompactPeers.IPV4_ENTRY;
    CompactPeers.decode(
        packet, ANNOUNCE_REPLY_HEADER_SIZE, length - ANNOUNCE_REPLY_HEADER_SIZE, entrySize,
        "peers after the 20-byte header", trackerUrl, peers);
    return new AnnounceResponse(
        interval, OptionalInt.empty(), OptionalInt.of(seeders), OptionalInt.of(leechers),
        Optional.empty(), Optional.empty(), peers.peers(), Map.of());
  }

  private static void requireLength(int length, int needed, String action, String trackerUrl)
      throws TrackerException {
    if (length < needed) {
      throw new TrackerException(
          trackerUrl, action + " reply is " + length + " bytes, shorter than " + needed);
    }
  }
}
