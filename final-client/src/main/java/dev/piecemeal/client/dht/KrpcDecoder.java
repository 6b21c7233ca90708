package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one UDP packet as a {@link KrpcMessage}, checking every field a stranger sent: node ids
 * and info-hashes exactly 20 bytes, {@code nodes} a whole number of 26-byte entries, each peer of
 * {@code values} 6 bytes, ports in 1..65535, lengths and counts within the bounds of {@link
 * TransactionId}, {@link Token}, {@link ClientVersion} and {@link Response}. Every rejection is a
 * {@link KrpcException} that names the field and the offset of its value.
 *
 * <p>The order of the checks, one step each in {@link #decode}:
 * <ol>
 *   <li>the packet's length, before anything is decoded: at most {@value #MAX_PACKET_BYTES} bytes;
 *   <li>chapter 1's strict bencode, at most {@value #MAX_BENCODE_VALUES} values;
 *   <li>the envelope: {@code t}, {@code y}, {@code v};
 *   <li>the body: {@code q} and {@code a}, {@code r}, or {@code e}.
 * </ol>
 *
 * <p>A response does not say which query it answers; only its transaction id does. So {@link
 * #decode} is given the node's table of queries in flight, as a function from a transaction id to
 * the query sent under it, and reads {@code r} as that query's answer: a {@code get_peers}
 * response must then hold {@code values} or {@code nodes}, a {@code find_node} response {@code
 * nodes}. Design: the other way, one generic response whose every field is optional, would leave
 * each caller to check which fields are there, and a reply without the one field its query asked
 * for would reach the lookup; with the query known, the records cannot hold such a reply.
 *
 * <p>Bounds against a packet that asks for a lot, and what happens past each:
 * <ul>
 *   <li>a packet longer than 1500 bytes is refused before a byte of it is decoded: a reply with
 *       10,000 nodes (260,000 bytes) costs nothing;
 *   <li>within a packet, {@code nodes} past the first {@value Response#MAX_NODES} and {@code
 *       values} past the first {@value Response#MAX_VALUES} are ignored: the token and the
 *       first entries are still good, and the packet bound has already bounded the work.
 * </ul>
 *
 * <p>Keys this package does not use are ignored: {@code ip} (BEP 42), {@code ro} (BEP 43),
 * {@code want} and {@code nodes6} (BEP 32), a response's {@code p}.
 *
 * <p>Simplified: each peer of {@code values} must be one 6-byte string, as BEP 5 writes it.
 * libtorrent also reads an older client's list of one long string of peers back to back; reading
 * both would take an 18-byte IPv6 peer sent by mistake for three IPv4 peers that do not exist.
 *
 * <p>Simplified: keys must be sorted, as chapter 1's strict decoder demands everywhere. libtorrent
 * reads a KRPC dictionary in any order; every implementation we know writes sorted keys, and one
 * decoder keeps the book's bencode one idea.
 */
public final class KrpcDecoder {

  /**
   * The longest packet read: libtorrent receives DHT packets into a buffer of 1500 bytes (an
   * Ethernet frame), so no node that expects answers sends more.
   */
  public static final int MAX_PACKET_BYTES = 1500;

  /** The most bencode values in a packet: libtorrent decodes DHT packets with a limit of 500 tokens. */
  public static final int MAX_BENCODE_VALUES = 500;

  private KrpcDecoder() {}

  /**
   * The message in {@code packet}.
   *
   * @param sentQueries the query we sent under a transaction id, if any is still waiting for its
   *     answer: a response is read as the answer to that query, and a response to no query of
   *     ours is refused
   * @throws KrpcException when the packet is not a message we can use; for a query whose {@code t}
   *     was readable, {@link KrpcException#queryTransaction()} says what to answer error 203 to
   */
  public static KrpcMessage decode(
      byte[] packet, Function<TransactionId, Optional<Query>> sentQueries) throws KrpcException {
    // 1. the length, before anything is decoded
    if (packet.length > MAX_PACKET_BYTES) {
      throw new KrpcException("packet of " + packet.length + " bytes is longer than the limit of "
          + MAX_PACKET_BYTES);
    }
    // 2. bencode: one dictionary
    Fields top = new Fields(bencode(packet), "", 0, null);

    // 3. the envelope: a query's errors from here on can be answered under its t
    TransactionId transaction = top.transaction();
    char type = top.type();
    if (type == 'q') {
      top = top.answerableUnder(transaction);
    }
    Optional<ClientVersion> version = top.version();

    // 4. the body
    KrpcMessage.Body body;
    if (type == 'q') {
      body = query(top);
    } else if (type == 'r') {
      Query sent = sentQueries.apply(transaction).orElseThrow(() -> new KrpcException(
          "t: a response under transaction " + transaction.hex() + ", which no query of ours is"));
      body = response(top.dictionary("r"), sent);
    } else {
      body = error(top);
    }
    return new KrpcMessage(transaction, body, version);
  }

  private static BencodeDictionary bencode(byte[] packet) throws KrpcException {
    BencodeValue value;
    try {
      value = BencodeDecoder.decode(
          new ByteArrayInputStream(packet), MAX_PACKET_BYTES, MAX_BENCODE_VALUES);
    } catch (BencodeException e) {
      throw new KrpcException("not bencode: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array cannot fail to read", e);
    }
    if (!(value instanceof BencodeDictionary dictionary)) {
      throw new KrpcException("packet: must be a dictionary, found " + value.kind() + " at offset 0");
    }
    return dictionary;
  }

  // q = method name, a = {id, ...arguments}
  private static Query query(Fields top) throws KrpcException {
    BencodeString method = top.string("q", 1, Query.MAX_METHOD_LENGTH);
    Fields a = top.dictionary("a");
    NodeId sender = a.nodeId("id");
    if (method.equalsUtf8("ping")) {
      return new Query.Ping(sender);
    }
    if (method.equalsUtf8("find_node")) {
      return new Query.FindNode(sender, a.nodeId("target"));
    }
    if (method.equalsUtf8("get_peers")) {
      return new Query.GetPeers(sender, a.infoHash("info_hash"));
    }
    if (method.equalsUtf8("announce_peer")) {
      return announcePeer(a, sender);
    }
    return new Query.Unknown(sender, method.utf8Lenient());
  }

  // a = {id, implied_port?, info_hash, port, token}
  private static Query announcePeer(Fields a, NodeId sender) throws KrpcException {
    InfoHash infoHash = a.infoHash("info_hash");
    // BEP 5: "If it is present and non-zero, the port argument should be ignored".
    boolean impliedPort = a.optionalInteger("implied_port").map(v -> v != 0).orElse(false);
    long port = a.integer("port");
    int lowest = impliedPort ? 0 : 1;
    if (port < lowest || port > 65535) {
      throw a.error("port", port + " is not in " + lowest + "..65535");
    }
    Token token = Token.fromBytes(a.string("token", 1, Token.MAX_LENGTH).bytes());
    return new Query.AnnouncePeer(sender, infoHash, (int) port, impliedPort, token);
  }

  // r = {id, ...}: read as the answer to the query we sent
  private static Response response(Fields r, Query sent) throws KrpcException {
    NodeId sender = r.nodeId("id");
    if (sent instanceof Query.Ping || sent instanceof Query.AnnouncePeer) {
      return new Response.IdResponse(sender);
    }
    if (sent instanceof Query.FindNode) {
      return new Response.FindNodeResponse(sender, nodes(r));
    }
    if (sent instanceof Query.GetPeers) {
      return getPeersResponse(r, sender);
    }
    throw new IllegalArgumentException("we never send a " + sent.method() + " query");
  }

  // r = {id, token?, values?, nodes?}, values or nodes or both
  private static Response getPeersResponse(Fields r, NodeId sender) throws KrpcException {
    if (!r.has("values") && !r.has("nodes")) {
      throw r.error("a get_peers response without values or nodes");
    }
    Optional<Token> token = r.optionalString("token", 1, Token.MAX_LENGTH)
        .map(s -> Token.fromBytes(s.bytes()));
    List<PeerAddress> values = r.has("values") ? values(r) : List.of();
    List<NodeInfo> nodes = r.has("nodes") ? nodes(r) : List.of();
    return new Response.GetPeersResponse(sender, token, values, nodes);
  }

  /** {@code nodes}: 26-byte compact node infos back to back; the first 16 kept. */
  private static List<NodeInfo> nodes(Fields r) throws KrpcException {
    BencodeString nodes = r.string("nodes", 0, MAX_PACKET_BYTES);
    if (nodes.length() % CompactInfo.NODE_LENGTH != 0) {
      throw r.error("nodes", nodes.length() + " bytes, not a whole number of "
          + CompactInfo.NODE_LENGTH + "-byte nodes");
    }
    return CompactInfo.nodes(nodes.bytes(), Response.MAX_NODES);
  }

  /** {@code values}: a list of 6-byte compact peers, each checked; the first 100 kept. */
  private static List<PeerAddress> values(Fields r) throws KrpcException {
    BencodeList list = r.list("values");
    List<PeerAddress> peers = new ArrayList<>();
    // The list is bounded by the packet (at most 187 six-byte strings in 1500 bytes).
    for (int i = 0; i < list.values().size(); i++) {
      BencodeValue value = list.values().get(i);
      String field = "values[" + i + "]";
      if (!(value instanceof BencodeString peer)) {
        throw r.errorInList("values", field, "must be a string, found " + value.kind());
      }
      if (peer.length() != CompactInfo.PEER_LENGTH) {
        throw r.errorInList("values", field, peer.length() + " bytes, not "
            + CompactInfo.PEER_LENGTH + " (a compact IPv4 peer)");
      }
      PeerAddress address = CompactInfo.peer(peer.bytes());
      if (address != null && peers.size() < Response.MAX_VALUES) {
        peers.add(address);
      }
    }
    return peers;
  }

  // e = [code, message]
  private static KrpcError error(Fields top) throws KrpcException {
    BencodeList e = top.list("e");
    if (e.values().size() != 2) {
      throw top.error("e", "a list of " + e.values().size() + " values, not 2 (code, message)");
    }
    if (!(e.values().get(0) instanceof BencodeInteger code)) {
      throw top.errorInList("e", "e[0]", "the code must be an integer, found "
          + e.values().get(0).kind());
    }
    if (!(e.values().get(1) instanceof BencodeString message)) {
      throw top.errorInList("e", "e[1]", "the message must be a string, found "
          + e.values().get(1).kind());
    }
    return new KrpcError(code.value(), message.utf8Lenient());
  }

  /**
   * One dictionary of the packet read as named fields: every error names the field ({@code
   * a.info_hash}) and the offset of its value, and carries the query's transaction id when there
   * is one to answer under.
   */
  private static final class Fields {
    private final BencodeDictionary dictionary;
    private final String name;
    private final int offset;
    private final TransactionId answerable;

    Fields(BencodeDictionary dictionary, String name, int offset, TransactionId answerable) {
      this.dictionary = dictionary;
      this.name = name;
      this.offset = offset;
      this.answerable = answerable;
    }

    Fields answerableUnder(TransactionId transaction) {
      return new Fields(dictionary, name, offset, transaction);
    }

    /** {@code t}: 1 to 16 bytes. */
    TransactionId transaction() throws KrpcException {
      return TransactionId.fromBytes(string("t", 1, TransactionId.MAX_LENGTH).bytes());
    }

    /** {@code y}: one byte, q, r or e. */
    char type() throws KrpcException {
      BencodeString y = string("y", 1, 1);
      char type = (char) y.byteAt(0);
      if (type != 'q' && type != 'r' && type != 'e') {
        throw error("y", "must be q, r or e, found " + y);
      }
      return type;
    }

    /** {@code v}, optional: 1 to 16 bytes. */
    Optional<ClientVersion> version() throws KrpcException {
      return optionalString("v", 1, ClientVersion.MAX_LENGTH)
          .map(v -> ClientVersion.fromBytes(v.bytes()));
    }

    boolean has(String key) {
      return dictionary.containsKey(key);
    }

    NodeId nodeId(String key) throws KrpcException {
      return NodeId.fromBytes(string(key, NodeId.LENGTH, NodeId.LENGTH).bytes());
    }

    InfoHash infoHash(String key) throws KrpcException {
      return InfoHash.fromBytes(string(key, InfoHash.LENGTH, InfoHash.LENGTH).bytes());
    }

    /** A string of {@code min} to {@code max} bytes. */
    BencodeString string(String key, int min, int max) throws KrpcException {
      BencodeString value = as(BencodeString.class, require(key), key);
      return checkLength(key, value, min, max);
    }

    Optional<BencodeString> optionalString(String key, int min, int max) throws KrpcException {
      Optional<BencodeDictionary.Entry> entry = dictionary.entry(key);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(checkLength(key, as(BencodeString.class, entry.get(), key), min, max));
    }

    long integer(String key) throws KrpcException {
      return as(BencodeInteger.class, require(key), key).value();
    }

    Optional<Long> optionalInteger(String key) throws KrpcException {
      Optional<BencodeDictionary.Entry> entry = dictionary.entry(key);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(as(BencodeInteger.class, entry.get(), key).value());
    }

    BencodeList list(String key) throws KrpcException {
      return as(BencodeList.class, require(key), key);
    }

    Fields dictionary(String key) throws KrpcException {
      BencodeDictionary.Entry entry = require(key);
      return new Fields(as(BencodeDictionary.class, entry, key), field(key), start(entry),
          answerable);
    }

    /** A problem with {@code key}'s value, at its offset. */
    KrpcException error(String key, String problem) {
      int at = dictionary.entry(key).map(Fields::start).orElse(offset);
      return new KrpcException(field(key) + ": " + problem + " at offset " + at, answerable);
    }

    /** A problem with element {@code element} of the list {@code key}: at the list's offset. */
    KrpcException errorInList(String key, String element, String problem) {
      int at = dictionary.entry(key).map(Fields::start).orElse(offset);
      return new KrpcException(
          field(element) + ": " + problem + ", in the list at offset " + at, answerable);
    }

    /** A problem with this dictionary as a whole. */
    KrpcException error(String problem) {
      return new KrpcException(
          (name.isEmpty() ? "packet" : name) + ": " + problem + " at offset " + offset, answerable);
    }

    private BencodeString checkLength(String key, BencodeString value, int min, int max)
        throws KrpcException {
      int length = value.length();
      if (min == max && length != min) {
        throw error(key, length + (length == 1 ? " byte" : " bytes") + ", not " + min);
      }
      if (length < min) {
        throw error(key, min == 1 ? "empty" : length + " bytes, fewer than " + min);
      }
      if (length > max) {
        throw error(key, length + " bytes, more than " + max);
      }
      return value;
    }

    private BencodeDictionary.Entry require(String key) throws KrpcException {
      Optional<BencodeDictionary.Entry> entry = dictionary.entry(key);
      if (entry.isEmpty()) {
        throw new KrpcException(field(key) + ": missing in the dictionary at offset " + offset,
            answerable);
      }
      return entry.get();
    }

    private <T extends BencodeValue> T as(Class<T> type, BencodeDictionary.Entry entry, String key)
        throws KrpcException {
      if (type.isInstance(entry.value())) {
        return type.cast(entry.value());
      }
      throw error(key, "must be " + article(type) + ", found " + entry.value().kind());
    }

    private String field(String key) {
      return name.isEmpty() ? key : name + "." + key;
    }

    private static int start(BencodeDictionary.Entry entry) {
      return entry.valueSpan().map(span -> span.start()).orElse(0);
    }

    private static String article(Class<? extends BencodeValue> type) {
      if (type == BencodeInteger.class) {
        return "an integer";
      }
      if (type == BencodeString.class) {
        return "a string";
      }
      return type == BencodeList.class ? "a list" : "a dictionary";
    }
  }
}
