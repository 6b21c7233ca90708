package dev.piecemeal.tracker;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the body of an HTTP tracker's answer (BEP 3, "tracker responses"; BEP 23; BEP 7) into an
 * {@link AnnounceResponse}. The body is one bencoded dictionary:
 *
 * <pre>
 * d8:completei3e            complete: 3 seeders
 *  10:incompletei1e         incomplete: 1 leecher
 *  8:intervali1800e         interval: re-announce in 1800 s
 *  12:min intervali900e     min interval: never sooner than 900 s
 *  5:peers12:               peers, compact: 6 bytes each
 *     7f 00 00 01 1a e1     127.0.0.1:6881
 *     c0 00 02 07 c8 d5     192.0.2.7:51413
 * e
 * </pre>
 *
 * <p>or, for a refusal, {@code d14:failure reason20:unregistered torrente}. The {@code peers} value
 * is either that compact string or a list of dictionaries ({@code ip}, {@code port}, {@code peer
 * id}); {@code peers6} is a compact string of 18-byte IPv6 entries.
 */
public final class AnnounceResponseParser {
  private AnnounceResponseParser() {}

  /**
   * The response in {@code body}, from the tracker at {@code trackerUrl}.
   *
   * @throws TrackerFailureException when the tracker sent a {@code failure reason}
   * @throws TrackerException when the body is not bencode, or not a valid announce response
   */
  public static AnnounceResponse parse(byte[] body, String trackerUrl) throws TrackerException {
    BencodeDictionary answer = dictionary(body, trackerUrl);
    Fields fields = new Fields(answer, trackerUrl);
    // A refusal first: a tracker that refuses sends no interval and no peers.
    Optional<BencodeString> failure = fields.string("failure reason");
    if (failure.isPresent()) {
      throw new TrackerFailureException(trackerUrl, failure.get().utf8Lenient());
    }
    PeerList peers = new PeerList();
    peers(answer.get("peers"), trackerUrl, peers);
    Optional<BencodeString> peers6 = fields.string("peers6");
    if (peers6.isPresent()) {
      byte[] bytes = peers6.get().bytes();
      CompactPeers.decode(
          bytes, 0, bytes.length, CompactPeers.IPV6_ENTRY, "'peers6'", trackerUrl, peers);
    }
    return new AnnounceResponse(
        fields.positiveInt("interval")
            .orElseThrow(() -> new TrackerException(trackerUrl, "response has no 'interval'")),
        fields.positiveInt("min interval"),
        fields.count("complete"),
        fields.count("incomplete"),
        fields.string("warning message").map(BencodeString::utf8Lenient),
        // Kept one char per byte, so that the bytes go back to the tracker exactly as they came.
        fields.string("tracker id").map(id -> new String(id.bytes(), StandardCharsets.ISO_8859_1)),
        peers.peers(),
        peers.peerIds());
  }

  /**
   * The {@code failure reason} in a body, if it is a bencoded dictionary that has one: for a
   * tracker that refuses with an HTTP error status and still explains itself.
   */
  public static Optional<String> failureReasonIfAny(byte[] body) {
    try {
      if (BencodeDecoder.decodeTorrent(body) instanceof BencodeDictionary answer
          && answer.get("failure reason").orElse(null) instanceof BencodeString reason) {
        return Optional.of(reason.utf8Lenient());
      }
    } catch (BencodeException e) {
      // Not bencode: there is no reason to read.
    }
    return Optional.empty();
  }

  /** The peers value: a compact string, a list of dictionaries, or absent (no peers). */
  private static void peers(Optional<BencodeValue> value, String trackerUrl, PeerList into)
      throws TrackerException {
    if (value.isEmpty()) {
      return;
    }
    if (value.get() instanceof BencodeString compact) {
      byte[] bytes = compact.bytes();
      CompactPeers.decode(bytes, 0, bytes.length, CompactPeers.IPV4_ENTRY, "'peers'", trackerUrl, into);
    } else if (value.get() instanceof BencodeList list) {
      for (BencodeValue entry : list.values()) {
        if (into.isFull()) {
          break;
        }
        peerDictionary(entry, into);
      }
    } else {
      throw new TrackerException(
          trackerUrl, "'peers' is " + article(value.get().kind()) + ", expected a string or a list");
    }
  }

  /**
   * One peer of the dictionary form, {@code d2:ip9:127.0.0.17:peer id20:...4:porti6881ee}. An entry
   * that cannot be dialled is dropped, not an error: the other peers are still good.
   */
  private static void peerDictionary(BencodeValue entry, PeerList into) {
    if (!(entry instanceof BencodeDictionary peer)
        || !(peer.get("ip").orElse(null) instanceof BencodeString ip)
        || !(peer.get("port").orElse(null) instanceof BencodeInteger port)
        || port.value() < 1
        || port.value() > 65535) {
      into.drop();
      return;
    }
    /*
     * Simplified: an ip that is a host name is dropped. BEP 3 allows a DNS name here and libtorrent
     * resolves it; we take IP literals only, so that a tracker cannot make us look up names, and
     * trackers in practice send literals.
     */
    PeerAddress address;
    try {
      address = PeerAddress.of(ip.utf8Lenient(), (int) port.value());
    } catch (UnknownHostException e) {
      into.drop();
      return;
    }
    if (peer.get("peer id").orElse(null) instanceof BencodeString id && id.length() == PeerId.LENGTH) {
      into.add(address, PeerId.fromBytes(id.bytes()));
    } else {
      into.add(address);
    }
  }

  private static BencodeDictionary dictionary(byte[] body, String trackerUrl) throws TrackerException {
    BencodeValue value;
    try {
      // Real trackers write keys out of order, and some end with a newline. libtorrent reads
      // both, so we read tracker answers with the same leniency as .torrent files.
      value = BencodeDecoder.decodeTorrent(body);
    } catch (BencodeException e) {
      throw new TrackerException(
          trackerUrl, "response is not bencode: " + e.getMessage() + preview(body), e);
    }
    if (!(value instanceof BencodeDictionary answer)) {
      throw new TrackerException(
          trackerUrl, "response is " + article(value.kind()) + ", expected a dictionary");
    }
    return answer;
  }

  /**
   * The first bytes of a body for an error message, printable ASCII kept and the rest as {@code .}:
   * {@code  (body starts "<html><head><title>502 Bad...")}; empty for an empty body.
   */
  static String preview(byte[] body) {
    if (body.length == 0) {
      return " (empty body)";
    }
    int shown = Math.min(body.length, 40);
    StringBuilder out = new StringBuilder(" (body starts \"");
    for (int i = 0; i < shown; i++) {
      char c = (char) (body[i] & 0xff);
      out.append(c >= 0x20 && c < 0x7f ? c : '.');
    }
    return out.append(body.length > shown ? "...\")" : "\")").toString();
  }

  private static String article(String kind) {
    return (kind.startsWith("i") ? "an " : "a ") + kind;
  }

  /** Typed reads of the top-level fields, each error naming the field. */
  private static final class Fields {
    private final BencodeDictionary answer;
    private final String trackerUrl;

    Fields(BencodeDictionary answer, String trackerUrl) {
      this.answer = answer;
      this.trackerUrl = trackerUrl;
    }

    Optional<BencodeString> string(String key) throws TrackerException {
      Optional<BencodeValue> value = answer.get(key);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (!(value.get() instanceof BencodeString string)) {
        throw new TrackerException(
            trackerUrl, "'" + key + "' is " + article(value.get().kind()) + ", expected a string");
      }
      return Optional.of(string);
    }

    /** A number of seconds, 1 or more. */
    OptionalInt positiveInt(String key) throws TrackerException {
      return integer(key, 1);
    }

    /** A count of peers, 0 or more. */
    OptionalInt count(String key) throws TrackerException {
      return integer(key, 0);
    }

    private OptionalInt integer(String key, int min) throws TrackerException {
      Optional<BencodeValue> value = answer.get(key);
      if (value.isEmpty()) {
        return OptionalInt.empty();
      }
      if (!(value.get() instanceof BencodeInteger integer)) {
        throw new TrackerException(
            trackerUrl, "'" + key + "' is " + article(value.get().kind()) + ", expected an integer");
      }
      if (integer.value() < min || integer.value() > Integer.MAX_VALUE) {
        throw new TrackerException(
            trackerUrl,
            "'" + key + "' is " + integer.value() + ", expected " + min + ".." + Integer.MAX_VALUE);
      }
      return OptionalInt.of((int) integer.value());
    }
  }
}
