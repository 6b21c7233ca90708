package dev.piecemeal.client.pex;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.Message;
import dev.piecemeal.tracker.PeerAddress;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One peer exchange message (BEP 11, ut_pex): the peers the sender connected to since its last
 * message ({@code added}, each with a flags byte in {@code added.f}) and those it lost ({@code
 * dropped}). It travels as an extended message (BEP 10) under the id the receiver gave {@value
 * #EXTENSION_NAME} in its handshake's {@code m}. Compact peers, as trackers send them: 6 bytes per
 * IPv4 peer, 18 per IPv6 peer in the {@code 6} keys.
 *
 * <pre>
 * d
 *   5:added    12:7f000001 1ae1  7f000001 1ae2     127.0.0.1:6881, 127.0.0.1:6882
 *   7:added.f   2:10 02                            reachable; a seed
 *   7:dropped   6:7f000001 1ae3                    127.0.0.1:6883
 * e
 * </pre>
 *
 * <p>{@link #decode} refuses, with a {@link ProtocolException}, what no honest peer sends: more than
 * {@value #MAX_PAYLOAD} bytes, a payload that is not a bencoded dictionary, one of the six keys of
 * the wrong type, a compact list that is not a whole number of entries, a flags string whose length
 * is not one byte per added peer. It reads at most {@value #MAX_READ} added and {@value #MAX_READ}
 * dropped peers (IPv4 and IPv6 together) and leaves the rest unread: nothing is sized by the
 * peer's word. Entries with port 0 cannot be dialed and are left out.
 *
 * @param added the peers to tell of (or told of), with their flags; at most {@value #MAX_READ}
 * @param dropped the peers the sender is no longer connected to; at most {@value #MAX_READ}
 */
public record PexMessage(List<Peer> added, List<PeerAddress> dropped) {

  /** The name under which both peers list peer exchange in their handshake's {@code m}. */
  public static final String EXTENSION_NAME = "ut_pex";
  /** {@code added.f} bit: the peer prefers encrypted connections (MSE). */
  public static final int PREFERS_ENCRYPTION = 0x01;
  /** {@code added.f} bit: the peer is a seed (or only uploads). */
  public static final int SEED = 0x02;
  /** {@code added.f} bit: the peer speaks uTP. */
  public static final int UTP = 0x04;
  /** {@code added.f} bit: the peer speaks ut_holepunch. */
  public static final int HOLEPUNCH = 0x08;
  /** {@code added.f} bit: the sender reached the peer by dialing it: it accepts connections. */
  public static final int REACHABLE = 0x10;
  /**
   * The most peers read from one list: twice the 50 BEP 11 lets a sender put in one message, so
   * that an honest but generous peer is heard whole.
   */
  public static final int MAX_READ = 100;
  /**
   * The largest payload read: 100 IPv6 peers and their flags in both lists take under 4 KiB; 16
   * KiB leaves room for keys we do not know. Checked before any decoding.
   */
  public static final int MAX_PAYLOAD = 16 * 1024;

  private static final int IPV4_ENTRY = 6;
  private static final int IPV6_ENTRY = 18;

  /**
   * A peer in {@code added}, with what the sender knows of it.
   *
   * @param flags the {@code added.f} byte: {@link #SEED}, {@link #REACHABLE}, …; 0 when not given
   */
  public record Peer(PeerAddress address, int flags) {
    public Peer {
      Objects.requireNonNull(address, "address");
      if (flags < 0 || flags > 0xff) {
        throw new IllegalArgumentException("flags " + flags + " are not one byte");
      }
    }

    /** Whether the sender says this peer is a seed. */
    public boolean isSeed() {
      return (flags & SEED) != 0;
    }
  }

  public PexMessage {
    added = List.copyOf(added);
    dropped = List.copyOf(dropped);
    if (added.size() > MAX_READ || dropped.size() > MAX_READ) {
      throw new IllegalArgumentException(added.size() + " added and " + dropped.size()
          + " dropped: at most " + MAX_READ + " each");
    }
  }

  /** Whether the message says nothing: no peer added or dropped. */
  public boolean isEmpty() {
    return added.isEmpty() && dropped.isEmpty();
  }

  // tag::encode[]
  /**
   * The extended message's payload. {@code added}, {@code added.f} and {@code dropped} are always
   * there (empty strings when there is nothing to say, as libtorrent sends them); the IPv6 keys
   * only when they hold a peer.
   */
  public byte[] encode() {
    ByteArrayOutputStream added4 = new ByteArrayOutputStream();
    ByteArrayOutputStream flags4 = new ByteArrayOutputStream();
    ByteArrayOutputStream added6 = new ByteArrayOutputStream();
    ByteArrayOutputStream flags6 = new ByteArrayOutputStream();
    for (Peer peer : added) {
      compact(peer.address(), peer.address().isIpv6() ? added6 : added4);
      (peer.address().isIpv6() ? flags6 : flags4).write(peer.flags());
    }
    ByteArrayOutputStream dropped4 = new ByteArrayOutputStream();
    ByteArrayOutputStream dropped6 = new ByteArrayOutputStream();
    for (PeerAddress peer : dropped) {
      compact(peer, peer.isIpv6() ? dropped6 : dropped4);
    }
    BencodeDictionary.Builder d = BencodeDictionary.builder()
        .put("added", added4.toByteArray())
        .put("added.f", flags4.toByteArray())
        .put("dropped", dropped4.toByteArray());
    if (added6.size() > 0) {
      d.put("added6", added6.toByteArray()).put("added6.f", flags6.toByteArray());
    }
    if (dropped6.size() > 0) {
      d.put("dropped6", dropped6.toByteArray());
    }
    return BencodeEncoder.encode(d.build());
  }
  // end::encode[]

  /** The extended message to send, under the id the peer gave {@value #EXTENSION_NAME}. */
  public Message.Extended message(int peersId) {
    if (peersId < 1 || peersId > 255) {
      throw new IllegalArgumentException("extended id " + peersId + " outside 1..255");
    }
    return new Message.Extended(peersId, encode());
  }

  // tag::decode[]
  /**
   * Reads one ut_pex payload.
   *
   * @throws ProtocolException the payload is not a ut_pex message (see the class comment); the
   *     message names the key and what is wrong with it
   */
  public static PexMessage decode(byte[] payload) throws ProtocolException {
    // 1. the size, before any work
    if (payload.length > MAX_PAYLOAD) {
      throw refused(payload.length + " bytes, more than the " + MAX_PAYLOAD + " a message may be");
    }
    // 2. a dictionary, read leniently as a .torrent is (keys in any order): a small slip in a
    //    peer's bencode does not change what its lists say
    BencodeValue decoded;
    try {
      decoded = BencodeDecoder.decodeTorrent(payload);
    } catch (BencodeException e) {
      throw refused("not bencode: " + e.getMessage());
    }
    if (!(decoded instanceof BencodeDictionary d)) {
      throw refused("must be a dictionary, found " + decoded.kind());
    }
    // 3. the four lists, each a whole number of entries; flags one byte per added peer
    byte[] added4 = compactList(d, "added", IPV4_ENTRY);
    byte[] flags4 = flags(d, "added.f", "added", added4.length / IPV4_ENTRY);
    byte[] added6 = compactList(d, "added6", IPV6_ENTRY);
    byte[] flags6 = flags(d, "added6.f", "added6", added6.length / IPV6_ENTRY);
    byte[] dropped4 = compactList(d, "dropped", IPV4_ENTRY);
    byte[] dropped6 = compactList(d, "dropped6", IPV6_ENTRY);

    // 4. the peers, at most MAX_READ of each list kind
    List<Peer> added = new ArrayList<>();
    readPeers(added4, flags4, IPV4_ENTRY, added);
    readPeers(added6, flags6, IPV6_ENTRY, added);
    List<Peer> dropped = new ArrayList<>();
    readPeers(dropped4, null, IPV4_ENTRY, dropped);
    readPeers(dropped6, null, IPV6_ENTRY, dropped);
    return new PexMessage(added, dropped.stream().map(Peer::address).toList());
  }
  // end::decode[]

  /** The compact list {@code key}: empty when absent; a string of whole entries when present. */
  private static byte[] compactList(BencodeDictionary d, String key, int entry) throws ProtocolException {
    Optional<BencodeString> value = string(d, key);
    if (value.isEmpty()) {
      return new byte[0];
    }
    int length = value.get().length();
    if (length % entry != 0) {
      throw refused(key + " is " + length + " bytes, not a multiple of " + entry + " (one peer each)");
    }
    return value.get().bytes();
  }

  /** {@code added.f}: absent (every flag 0), or exactly one byte per peer of {@code added}. */
  private static byte[] flags(BencodeDictionary d, String key, String list, int peers) throws ProtocolException {
    Optional<BencodeString> value = string(d, key);
    if (value.isEmpty()) {
      return new byte[peers];
    }
    if (value.get().length() != peers) {
      throw refused(key + " is " + value.get().length() + " bytes for the " + peers + " peers of " + list
          + ": one flags byte per peer");
    }
    return value.get().bytes();
  }

  private static Optional<BencodeString> string(BencodeDictionary d, String key) throws ProtocolException {
    Optional<BencodeValue> value = d.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!(value.get() instanceof BencodeString s)) {
      throw refused(key + " must be a string, found " + value.get().kind());
    }
    return Optional.of(s);
  }

  /** Appends the entries of {@code bytes} to {@code into} until it holds {@value #MAX_READ} peers. */
  private static void readPeers(byte[] bytes, byte[] flags, int entry, List<Peer> into) {
    int addressLength = entry - 2;
    for (int at = 0, i = 0; at < bytes.length && into.size() < MAX_READ; at += entry, i++) {
      byte[] address = new byte[addressLength];
      System.arraycopy(bytes, at, address, 0, addressLength);
      int port = ((bytes[at + addressLength] & 0xff) << 8) | (bytes[at + addressLength + 1] & 0xff);
      if (port == 0) {
        continue; // cannot be dialed
      }
      into.add(new Peer(new PeerAddress(fromBytes(address), port), flags == null ? 0 : flags[i] & 0xff));
    }
  }

  private static void compact(PeerAddress peer, ByteArrayOutputStream out) {
    out.writeBytes(peer.address().getAddress());
    out.write(peer.port() >> 8);
    out.write(peer.port() & 0xff);
  }

  /** 4 or 16 raw bytes as an address; {@link InetAddress#getByAddress} makes no DNS lookup. */
  private static InetAddress fromBytes(byte[] address) {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  private static ProtocolException refused(String problem) {
    return new ProtocolException("ut_pex: " + problem);
  }
}
