package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.bencode.BencodeInteger;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.Message;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The extension handshake (BEP 10, "handshake message"): the first extended message each side
 * sends, id 0, once both set the extension-protocol bit of the handshake (chapter 4's {@code
 * Extension.EXTENSION_PROTOCOL}). Its one required part is {@code m}: which extensions the sender
 * speaks, each with the id the sender wants to <em>receive</em> it under. The ids are the
 * sender's to choose, so the two peers' ids for one extension usually differ.
 *
 * <pre>
 * d
 *   1:m d 11:ut_metadata i3e 6:ut_pex i1e e   extension name → the id to send it to me with
 *   13:metadata_size i34256e                  BEP 9: my info dictionary's size (when I have it)
 *   1:p i51413e                               my TCP listen port
 *   4:reqq i250e                              how many requests I queue
 *   1:v 17:Transmission 3.00                  my name and version
 *   6:yourip 4:&lt;c0 00 02 07&gt;                  your address as I see it (4 or 16 bytes)
 * e
 * </pre>
 *
 * <p>{@link #decode} is lenient where BEP 10 asks for it, strict where a wrong value would be
 * used: a key it does not know is ignored (clients add their own: {@code complete_ago}, {@code
 * upload_only}, …), and so is an {@code m} entry of id 0 (BEP 10: "disabled"), a {@code p} of 0 and
 * a {@code metadata_size} of 0 (a peer that has no metadata yet); a known key of the wrong type or
 * out of its range is refused with a {@link ProtocolException} that names it.
 *
 * <p>Simplified: one handshake per connection. BEP 10 lets a peer send more later, each updating
 * the first (an id of 0 turning an extension off); a session that meets a second can decode it
 * the same way and merge by hand. libtorrent merges them; no extension Piecemeal speaks needs it.
 *
 * @param extensions {@code m}: extension name → id 1..255, at most {@value #MAX_EXTENSIONS}
 * @param client {@code v}, the sender's name and version, for logs only
 * @param listenPort {@code p}, 1..65535
 * @param requestQueue {@code reqq}, at least 1: how many requests the sender queues without
 *     dropping one (BEP 10 gives 250 as libtorrent's default then)
 * @param metadataSize {@code metadata_size} (BEP 9), 1..{@link MetadataMessage#MAX_TOTAL_SIZE}
 * @param yourIp {@code yourip}, our address as the sender sees it
 */
public record ExtendedHandshake(
    Map<String, Integer> extensions,
    Optional<String> client,
    OptionalInt listenPort,
    OptionalInt requestQueue,
    OptionalInt metadataSize,
    Optional<InetAddress> yourIp) {

  /** The extended id of the handshake itself. */
  public static final int EXTENDED_ID = 0;

  /**
   * The most {@code m} entries accepted: real clients list a handful ({@code ut_metadata}, {@code
   * ut_pex}, {@code lt_donthave}, {@code upload_only}, …), so 64 leaves room for every one of them
   * and none for a map of thousands.
   */
  public static final int MAX_EXTENSIONS = 64;

  /**
   * The largest handshake payload {@link #decode} reads, 64 KiB; real ones are a few hundred
   * bytes. Checked first, so that decoding costs little whatever the framing allowed.
   */
  public static final int MAX_PAYLOAD = 64 * 1024;

  public ExtendedHandshake {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(listenPort, "listenPort");
    Objects.requireNonNull(requestQueue, "requestQueue");
    Objects.requireNonNull(metadataSize, "metadataSize");
    Objects.requireNonNull(yourIp, "yourIp");
    if (extensions.size() > MAX_EXTENSIONS) {
      throw new IllegalArgumentException(extensions.size() + " extensions, more than " + MAX_EXTENSIONS);
    }
    extensions.forEach((name, id) -> {
      if (id == null || id < 1 || id > 255) {
        throw new IllegalArgumentException("extension " + name + ": id " + id + " outside 1..255");
      }
    });
    extensions = Collections.unmodifiableMap(new TreeMap<>(extensions));
    listenPort.ifPresent(port -> {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("listen port " + port + " outside 1..65535");
      }
    });
    requestQueue.ifPresent(reqq -> {
      if (reqq < 1) {
        throw new IllegalArgumentException("request queue " + reqq + " is not positive");
      }
    });
    metadataSize.ifPresent(size -> {
      if (size < 1 || size > MetadataMessage.MAX_TOTAL_SIZE) {
        throw new IllegalArgumentException("metadata size " + size + " outside 1.." + MetadataMessage.MAX_TOTAL_SIZE);
      }
    });
  }

  /** A handshake that lists these extensions and says nothing else; add the rest with {@code with…}. */
  public static ExtendedHandshake of(Map<String, Integer> extensions) {
    return new ExtendedHandshake(extensions, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.empty(), Optional.empty());
  }

  /** This handshake with {@code v}. */
  public ExtendedHandshake withClient(String name) {
    return new ExtendedHandshake(extensions, Optional.of(name), listenPort, requestQueue, metadataSize, yourIp);
  }

  /** This handshake with {@code p}. */
  public ExtendedHandshake withListenPort(int port) {
    return new ExtendedHandshake(extensions, client, OptionalInt.of(port), requestQueue, metadataSize, yourIp);
  }

  /** This handshake with {@code reqq}. */
  public ExtendedHandshake withRequestQueue(int requests) {
    return new ExtendedHandshake(extensions, client, listenPort, OptionalInt.of(requests), metadataSize, yourIp);
  }

  /** This handshake with {@code metadata_size}: what a peer that can serve ut_metadata says. */
  public ExtendedHandshake withMetadataSize(int bytes) {
    return new ExtendedHandshake(extensions, client, listenPort, requestQueue, OptionalInt.of(bytes), yourIp);
  }

  /** This handshake with {@code yourip}. */
  public ExtendedHandshake withYourIp(InetAddress address) {
    return new ExtendedHandshake(extensions, client, listenPort, requestQueue, metadataSize, Optional.of(address));
  }

  /**
   * The id the sender of this handshake wants {@code extension} sent under: empty when it does
   * not speak it. {@code theirs.idOf("ut_metadata")} is the id for every ut_metadata message we
   * send that peer.
   */
  public OptionalInt idOf(String extension) {
    Integer id = extensions.get(extension);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The payload: canonical bencode, keys sorted by 01-bencode's encoder. */
  public byte[] encode() {
    BencodeDictionary.Builder m = BencodeDictionary.builder();
    extensions.forEach(m::put);
    BencodeDictionary.Builder d = BencodeDictionary.builder().put("m", m.build());
    client.ifPresent(v -> d.put("v", v));
    listenPort.ifPresent(p -> d.put("p", p));
    requestQueue.ifPresent(reqq -> d.put("reqq", reqq));
    metadataSize.ifPresent(size -> d.put("metadata_size", size));
    yourIp.ifPresent(address -> d.put("yourip", address.getAddress()));
    return BencodeEncoder.encode(d.build());
  }

  /** The extended message to send: id {@value #EXTENDED_ID}, this payload. */
  public Message.Extended message() {
    return new Message.Extended(EXTENDED_ID, encode());
  }

  /**
   * Reads a peer's handshake payload (the bytes of an extended message with id 0).
   *
   * @throws ProtocolException the payload is larger than {@value #MAX_PAYLOAD} bytes, not a
   *     bencoded dictionary, or has a known key of the wrong type or out of range
   */
  public static ExtendedHandshake decode(byte[] payload) throws ProtocolException {
    if (payload.length > MAX_PAYLOAD) {
      throw refused(payload.length + " bytes, more than the " + MAX_PAYLOAD + " a handshake may be");
    }
    // Leniently, as a .torrent is read (keys in any order, bytes after the dictionary ignored):
    // a peer's small mistakes in bencode do not make its handshake mean anything else.
    BencodeValue decoded;
    try {
      decoded = BencodeDecoder.decodeTorrent(payload);
    } catch (BencodeException e) {
      throw refused("not bencode: " + e.getMessage());
    }
    if (!(decoded instanceof BencodeDictionary d)) {
      throw refused("must be a dictionary, found " + decoded.kind());
    }
    return new ExtendedHandshake(
        extensions(d),
        optional(d, "v", BencodeString.class).map(BencodeString::utf8Lenient),
        number(d, "p", 0, 65535),
        number(d, "reqq", 1, Integer.MAX_VALUE),
        metadataSize(d),
        yourIp(d));
  }

  /** {@code m}: a dictionary of name → integer; id 0 entries (disabled) left out. */
  private static Map<String, Integer> extensions(BencodeDictionary d) throws ProtocolException {
    Optional<BencodeDictionary> m = optional(d, "m", BencodeDictionary.class);
    Map<String, Integer> extensions = new TreeMap<>();
    if (m.isEmpty()) {
      return extensions; // BEP 10 requires m; a peer without it speaks no extension, which is no harm
    }
    if (m.get().size() > MAX_EXTENSIONS) {
      throw refused("m: " + m.get().size() + " entries, more than the " + MAX_EXTENSIONS + " accepted");
    }
    for (BencodeDictionary.Entry entry : m.get().entries()) {
      String name = entry.key().utf8Lenient();
      if (!(entry.value() instanceof BencodeInteger id)) {
        throw refused("m." + name + " must be an integer, found " + entry.value().kind());
      }
      if (id.value() < 0 || id.value() > 255) {
        throw refused("m." + name + ": id " + id.value() + " is outside 0..255");
      }
      if (id.value() != 0) {
        extensions.putIfAbsent(name, (int) id.value()); // a repeated name: the first counts
      }
    }
    return extensions;
  }

  /**
   * {@code metadata_size}, refused above {@link MetadataMessage#MAX_TOTAL_SIZE} here, before any
   * assembler is sized by it.
   */
  private static OptionalInt metadataSize(BencodeDictionary d) throws ProtocolException {
    Optional<BencodeInteger> value = optional(d, "metadata_size", BencodeInteger.class);
    if (value.isPresent() && value.get().value() > MetadataMessage.MAX_TOTAL_SIZE) {
      throw refused("metadata_size " + value.get().value() + " is more than the "
          + MetadataMessage.MAX_TOTAL_SIZE + " bytes of metadata Piecemeal accepts");
    }
    return number(d, "metadata_size", 0, MetadataMessage.MAX_TOTAL_SIZE);
  }

  /** {@code yourip}: 4 bytes of IPv4 or 16 of IPv6, turned into an address without a DNS lookup. */
  private static Optional<InetAddress> yourIp(BencodeDictionary d) throws ProtocolException {
    Optional<BencodeString> bytes = optional(d, "yourip", BencodeString.class);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    int length = bytes.get().length();
    if (length != 4 && length != 16) {
      throw refused("yourip is " + length + " bytes, not 4 (IPv4) or 16 (IPv6)");
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes.get().bytes()));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /** An integer key in {@code min..max}; empty when absent or 0 (which BEP 10's integers never need). */
  private static OptionalInt number(BencodeDictionary d, String key, long min, long max)
      throws ProtocolException {
    Optional<BencodeInteger> value = optional(d, key, BencodeInteger.class);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    long n = value.get().value();
    if (n < min || n > max) {
      throw refused(key + " " + n + " is outside " + min + ".." + max);
    }
    return n == 0 ? OptionalInt.empty() : OptionalInt.of((int) n);
  }

  private static <T extends BencodeValue> Optional<T> optional(BencodeDictionary d, String key, Class<T> type)
      throws ProtocolException {
    Optional<BencodeValue> value = d.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!type.isInstance(value.get())) {
      throw refused(key + " must be " + kind(type) + ", found " + value.get().kind());
    }
    return Optional.of(type.cast(value.get()));
  }

  private static String kind(Class<? extends BencodeValue> type) {
    return type == BencodeInteger.class ? "an integer" : type == BencodeString.class ? "a string" : "a dictionary";
  }

  private static ProtocolException refused(String problem) {
    return new ProtocolException("extended handshake: " + problem);
  }
}
