package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import dev.piecemeal.handshake.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The info dictionary of a magnet link's torrent, put together from ut_metadata {@link
 * MetadataMessage.Data data} messages (BEP 9), which arrive in any order and maybe from several
 * peers; accepted only once its SHA-1 is the link's info-hash. Chapter 7's {@code PieceAssembler}
 * does the same for one piece of the content.
 *
 * <pre>
 * metadata of 34,256 bytes (its size from the peer's metadata_size, at most 16 MiB):
 *   piece 0: bytes     0..16383    from peer A
 *   piece 2: bytes 32768..34255    from peer B (arrived first; the last piece holds the rest)
 *   piece 1: bytes 16384..32767    from peer A                 → COMPLETE: verify()
 * </pre>
 *
 * <p>How a peer session uses it, with {@code theirs} the peer's {@link ExtendedHandshake}:
 *
 * <pre>
 * int id = theirs.idOf(MetadataMessage.EXTENSION_NAME).orElseThrow();     // the peer speaks ut_metadata
 * var assembler = new MetadataAssembler&lt;PeerAddress&gt;(link.infoHash(), theirs.metadataSize().orElseThrow());
 * for (int piece : assembler.missingPieces()) {
 *   writer.write(new MetadataMessage.Request(piece).message(id));
 * }
 * // for each Message.Extended that arrives under OUR id for ut_metadata:
 * Optional&lt;MetadataMessage&gt; m = MetadataMessage.decode(extended.payload());
 * if (m.orElse(null) instanceof MetadataMessage.Data data
 *     &amp;&amp; assembler.add(peer, data) == MetadataAssembler.Added.COMPLETE) {
 *   MetadataVerdict&lt;PeerAddress&gt; verdict = assembler.verify(link.trackers());   // Accepted: a Metainfo
 * }                                                                          // WrongHash: start again
 * </pre>
 *
 * <p>Memory: the whole metadata, allocated once when the assembler is made, and never more than
 * {@link MetadataMessage#MAX_TOTAL_SIZE}: the size, a peer's word, is checked before the
 * allocation.
 *
 * <p>Not thread-safe: one owner feeds it. Sessions that share one call it under one lock; {@link
 * #verify} hashes up to 16 MiB, so call it after {@link #add} said COMPLETE, outside that lock,
 * when no one else adds any more.
 *
 * @param <P> how peers are told apart, as in {@code PieceAssembler}
 */
public final class MetadataAssembler<P> {

  /** What became of one data message. */
  public enum Added {
    /** Stored; other pieces are still missing. */
    STORED,
    /** Stored, and it was the last piece missing: {@link #verify} now. */
    COMPLETE,
    /**
     * Already had this piece: not stored, the first copy stays. Not an error: a piece asked of a
     * second peer after the first was slow may come from both.
     */
    DUPLICATE
  }

  private final InfoHash infoHash;
  private final byte[] bytes;
  /** Who sent piece {@code i}; null until it arrived. Also the "present" mark of each piece. */
  private final Object[] senders;
  private int received;

  /**
   * An empty assembler for the metadata of the torrent {@code infoHash} names, {@code totalSize}
   * bytes long (a peer's {@code metadata_size}, which {@link ExtendedHandshake#decode} has already
   * bounded).
   *
   * @throws IllegalArgumentException {@code totalSize} is outside 1..{@link
   *     MetadataMessage#MAX_TOTAL_SIZE}; nothing was allocated
   */
  public MetadataAssembler(InfoHash infoHash, int totalSize) {
    this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
    if (totalSize < 1 || totalSize > MetadataMessage.MAX_TOTAL_SIZE) {
      throw new IllegalArgumentException("metadata of " + totalSize + " bytes: outside 1.."
          + MetadataMessage.MAX_TOTAL_SIZE);
    }
    this.bytes = new byte[totalSize];
    this.senders = new Object[MetadataMessage.pieceCount(totalSize)];
  }

  /**
   * Copies one piece into the metadata.
   *
   * @throws ProtocolException the message says the metadata has another size than the one this
   *     assembler was made for (a peer that contradicts itself or another peer)
   */
  public Added add(P sender, MetadataMessage.Data data) throws ProtocolException {
    Objects.requireNonNull(sender, "sender");
    if (data.totalSize() != bytes.length) {
      throw new ProtocolException("ut_metadata: data for piece " + data.piece() + " says total_size "
          + data.totalSize() + ", but the metadata is " + bytes.length + " bytes");
    }
    // Data's constructor checked the piece against its total_size, which is ours: it fits.
    int piece = data.piece();
    if (senders[piece] != null) {
      return Added.DUPLICATE;
    }
    data.copyTo(bytes, piece * MetadataMessage.PIECE_LENGTH);
    senders[piece] = sender;
    received++;
    return received == senders.length ? Added.COMPLETE : Added.STORED;
  }

  /** The size of the whole metadata, in bytes. */
  public int totalSize() {
    return bytes.length;
  }

  /** The number of pieces: the size in 16 KiB pieces, rounded up. */
  public int pieceCount() {
    return senders.length;
  }

  /** Every piece has arrived. */
  public boolean isComplete() {
    return received == senders.length;
  }

  /** The pieces still missing, in order: what to request. */
  public List<Integer> missingPieces() {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < senders.length; i++) {
      if (senders[i] == null) {
        missing.add(i);
      }
    }
    return Collections.unmodifiableList(missing);
  }

  /** Who sent each piece, in piece order: element {@code i} sent piece {@code i} (null while missing). */
  @SuppressWarnings("unchecked") // senders holds only what add() put there: P
  public List<P> pieceSenders() {
    List<P> peers = new ArrayList<>(senders.length);
    for (Object sender : senders) {
      peers.add((P) sender);
    }
    return Collections.unmodifiableList(peers);
  }

  /** The peers whose pieces are in the metadata, in piece order, each once. */
  @SuppressWarnings("unchecked") // senders holds only what add() put there: P
  public Set<P> contributors() {
    Set<P> peers = new LinkedHashSet<>();
    for (Object sender : senders) {
      if (sender != null) {
        peers.add((P) sender);
      }
    }
    return Collections.unmodifiableSet(peers);
  }

  /**
   * Checks the complete metadata against the info-hash and, when it matches, reads it as a
   * torrent whose trackers are {@code trackers} (the magnet link's, each its own tier).
   *
   * @return {@link MetadataVerdict.Accepted} with the torrent, or {@link MetadataVerdict.WrongHash}
   *     naming who sent the pieces
   * @throws MetainfoException the hash matched, but the info dictionary is not one Piecemeal can
   *     download (v2-only, an unsafe path, …): every peer would send the same bytes, so asking
   *     again will not help
   * @throws IllegalStateException a piece is still missing
   */
  public MetadataVerdict<P> verify(List<String> trackers) throws MetainfoException {
    if (!isComplete()) {
      throw new IllegalStateException("metadata has " + received + " of " + senders.length + " pieces");
    }
    // 1. the hash first: bytes that are not the torrent the link names are not even decoded
    InfoHash actual = InfoHash.fromBytes(sha1(bytes));
    if (!actual.equals(infoHash)) {
      return new MetadataVerdict.WrongHash<>(actual, contributors());
    }
    // 2. a .torrent around the very bytes that were hashed, read by chapter 1's own loader
    Metainfo metainfo = Metainfo.fromBytes(torrent(bytes, trackers));
    // 3. the loader hashes the info dictionary's span; if that is not the same hash, the bytes held
    //    more than one dictionary ("d…e" and then more), and the rest would have become keys of
    //    the .torrent around them
    if (!metainfo.infoHash().equals(infoHash)) {
      throw new MetainfoException("info", "the metadata is more than one bencoded dictionary ("
          + metainfo.infoBytes().length + " of its " + bytes.length + " bytes)");
    }
    return new MetadataVerdict.Accepted<>(metainfo);
  }

  /**
   * The bytes of a .torrent holding {@code info} as it is, byte for byte, with {@code announce} and
   * {@code announce-list} from the trackers: the encoder writes the rest of the dictionary, and
   * {@code info}, the last key in sorted order, goes in before its final {@code e}.
   *
   * <pre>
   * d 8:announce … 13:announce-list l l … e l … e e 4:info &lt;the metadata, as received&gt; e
   * </pre>
   *
   * <p>Metainfo has no constructor for "an info dictionary and some trackers", and none is needed:
   * through {@link Metainfo#fromBytes} the metadata gets every check a .torrent file gets, and the
   * info-hash is computed over the same bytes the peers sent.
   */
  public static byte[] torrent(byte[] info, List<String> trackers) {
    BencodeDictionary.Builder outside = BencodeDictionary.builder();
    if (!trackers.isEmpty()) {
      outside.put("announce", trackers.get(0));
      List<BencodeValue> tiers = new ArrayList<>();
      for (String tracker : trackers) {
        tiers.add(new BencodeList(List.of(BencodeString.fromUtf8(tracker))));
      }
      outside.put("announce-list", new BencodeList(tiers));
    }
    byte[] head = BencodeEncoder.encode(outside.build()); // "d…e"
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + info.length + 8);
    out.write(head, 0, head.length - 1);
    out.writeBytes("4:info".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(info);
    out.write('e');
    return out.toByteArray();
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return "MetadataAssembler[" + infoHash + ", " + received + "/" + senders.length + " pieces of "
        + bytes.length + " bytes]";
  }
}
