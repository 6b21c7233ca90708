package dev.piecemeal.bencode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A .torrent file (BEP 3, "metainfo files"): where to announce, and the {@code info} dictionary
 * that describes the content, whose SHA-1 is the torrent's identity.
 *
 * <pre>
 * d
 *   8:announce      30:http://127.0.0.1:6969/announce
 *   13:announce-list  l l 30:http://… e l 29:udp://… e e        BEP 12: tiers of trackers
 *   4:info  d                                                  ← info-hash = SHA-1 of these bytes
 *     5:files  l d 6:length i283e 4:path l 10:README.txt e e … e
 *     4:name   16:piecemeal-sample
 *     12:piece length  i32768e
 *     6:pieces  140:<7 × 20-byte SHA-1, one per piece>
 *   e
 * e
 * </pre>
 *
 * <p>{@link #fromBytes} checks everything a download depends on, so that a {@code Metainfo} that
 * exists is safe to download: the piece hashes match the length, every path stays inside the
 * download folder, every size is within bounds.
 *
 * <p>Simplified: v1 only. A hybrid v1+v2 torrent loads through its v1 part; a v2-only torrent
 * (BEP 52) is refused, because it has no SHA-1 piece hashes to check downloads with. libtorrent
 * supports both; v2's per-file Merkle trees would be a chapter of their own.
 */
public final class Metainfo {
  /** libtorrent's limit for a .torrent file, checked before reading it. */
  public static final long MAX_FILE_SIZE = 10_000_000;
  /** libtorrent's limit on pieces; every later chapter keeps per-piece state. */
  public static final int MAX_PIECES = 2_097_152;
  /** libtorrent's largest piece: 32767 blocks of 16 KiB. */
  public static final int MAX_PIECE_LENGTH = 32767 * 16 * 1024;
  private static final int HASH_LENGTH = 20;

  private final Optional<String> announce;
  private final List<List<String>> trackerTiers;
  private final String name;
  private final int pieceLength;
  private final byte[] pieces;
  private final List<TorrentFile> files;
  private final boolean singleFile;
  private final long totalLength;
  private final boolean isPrivate;
  private final Optional<Instant> creationDate;
  private final Optional<String> comment;
  private final Optional<String> createdBy;
  private final boolean hybrid;
  private final byte[] infoBytes;
  private final InfoHash infoHash;
  private final List<DhtNode> dhtNodes;

  /**
   * A DHT node a trackerless torrent names to start from (BEP 5, {@code nodes}): a host, as written
   * (an IP address or a name, never looked up here), and a UDP port.
   */
  public record DhtNode(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** The most {@code nodes} entries read; the rest are ignored. */
  public static final int MAX_DHT_NODES = 100;

  private Metainfo(Builder b) {
    this.announce = b.announce;
    this.trackerTiers = b.trackerTiers;
    this.name = b.name;
    this.pieceLength = b.pieceLength;
    this.pieces = b.pieces;
    this.files = List.copyOf(b.files);
    this.singleFile = b.singleFile;
    this.totalLength = b.totalLength;
    this.isPrivate = b.isPrivate;
    this.creationDate = b.creationDate;
    this.comment = b.comment;
    this.createdBy = b.createdBy;
    this.hybrid = b.hybrid;
    this.infoBytes = b.infoBytes;
    this.infoHash = b.infoHash;
    this.dhtNodes = b.dhtNodes;
  }

  /**
   * Reads and checks a .torrent file; a file larger than {@link #MAX_FILE_SIZE} is refused before
   * a byte of it is read.
   *
   * @throws IOException if the file cannot be read
   * @throws MetainfoException if it is too large or not a valid torrent
   */
  public static Metainfo fromFile(Path file) throws IOException, MetainfoException {
    long size = Files.size(file);
    if (size > MAX_FILE_SIZE) {
      throw tooLarge(size + " bytes");
    }
    // Read with the same bound: the file may grow after size(), or be a pipe that reports 0.
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_FILE_SIZE + 1);
    }
    if (bytes.length > MAX_FILE_SIZE) {
      throw tooLarge("more than " + MAX_FILE_SIZE + " bytes");
    }
    return fromBytes(bytes);
  }

  private static MetainfoException tooLarge(String size) {
    return new MetainfoException(
        "file", size + " is larger than the limit of " + MAX_FILE_SIZE + " bytes for a .torrent file");
  }

  /**
   * Decodes and checks the bytes of a .torrent file.
   *
   * @throws MetainfoException naming the field and offset of the first problem found
   */
  public static Metainfo fromBytes(byte[] bytes) throws MetainfoException {
    Builder b = new Builder();

    // 1. bencode, leniently as real clients do: unsorted keys and trailing bytes are tolerated
    BencodeValue decoded;
    try {
      decoded = BencodeDecoder.decodeTorrent(bytes);
    } catch (BencodeException e) {
      throw new MetainfoException(e);
    }
    if (!(decoded instanceof BencodeDictionary rootDictionary)) {
      throw new MetainfoException("metainfo", "must be a dictionary, found " + decoded.kind(), 0);
    }
    Fields root = new Fields(rootDictionary, "", Optional.of(new ByteSpan(0, bytes.length)));

    // 2. the info-hash: SHA-1 over the info dictionary's bytes exactly as they are in the file
    Fields info = root.requireDictionary("info");
    // tag::info-span[]
    ByteSpan infoSpan = root.entry("info").orElseThrow().span();
    b.infoBytes = Arrays.copyOfRange(bytes, infoSpan.start(), infoSpan.end());
    b.infoHash = InfoHash.fromBytes(sha1(b.infoBytes));
    // end::info-span[]

    // 3. BEP 52: v2-only is refused; a hybrid must be canonical bencode, as libtorrent demands.
    //    Simplified: we re-check only the info dictionary, which is all we hash and read of a
    //    hybrid; libtorrent re-checks the whole file, where a fault outside info changes nothing.
    if (info.has("meta version")) {
      if (!info.has("pieces")) {
        throw info.error("meta version",
            "v2-only torrents are not supported (this one has no v1 \"pieces\")");
      }
      b.hybrid = true;
      try {
        BencodeDecoder.decodeStrict(bytes, infoSpan);
      } catch (BencodeException e) {
        throw new MetainfoException(
            "info", "not canonical bencode, which BEP 52 requires: " + e.problem(), e.offset());
      }
    }

    // 4. name, piece length, piece hashes
    b.name = FileList.text(info.requireString("name"));
    Optional<String> unsafe = SafePath.problem(b.name);
    if (unsafe.isPresent()) {
      throw info.error("name", unsafe.get());
    }
    long pieceLength = info.requireInteger("piece length");
    if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
      throw info.error("piece length", "must be 1 to " + MAX_PIECE_LENGTH + ", found " + pieceLength);
    }
    b.pieceLength = (int) pieceLength;
    b.pieces = info.requireString("pieces").bytes();
    if (b.pieces.length % HASH_LENGTH != 0) {
      throw info.error("pieces", "length " + b.pieces.length + " is not a multiple of " + HASH_LENGTH);
    }

    // 5. the files, their offsets, and the total they add up to
    b.singleFile = !info.has("files");
    b.files = FileList.read(info, b.name);
    TorrentFile last = b.files.get(b.files.size() - 1);
    b.totalLength = last.end();
    if (b.totalLength == 0) {
      throw info.error("the total length of the files is 0");
    }

    // 6. one 20-byte hash per piece, the last piece being the remainder
    long expectedPieces = b.totalLength / pieceLength + (b.totalLength % pieceLength == 0 ? 0 : 1);
    if (expectedPieces > MAX_PIECES) {
      throw info.error("pieces", expectedPieces + " pieces (" + b.totalLength + " bytes in pieces of "
          + pieceLength + ") is more than the limit of " + MAX_PIECES);
    }
    if (b.pieces.length / HASH_LENGTH != expectedPieces) {
      throw info.error("pieces", "holds " + b.pieces.length / HASH_LENGTH + " hashes, but "
          + b.totalLength + " bytes in pieces of " + pieceLength + " need " + expectedPieces);
    }
    if (b.hybrid) {
      HybridFileTree.check(info, b.files, b.singleFile, b.pieceLength);
    }

    // 7. the rest: flags and descriptive fields
    // BEP 27: only the integer 1 means private; anything else is ignored, as libtorrent does.
    b.isPrivate = info.get("private").filter(new BencodeInteger(1)::equals).isPresent();
    readOutsideInfo(root, b);
    return new Metainfo(b);
  }

  /**
   * Design: fields outside {@code info} are hints (no hash covers them), so a malformed one is
   * ignored rather than fatal, as libtorrent does: a tracker list with an integer in it still
   * leaves the torrent downloadable.
   *
   * <p>Simplified: we read trackers, DHT {@code nodes} (BEP 5, chapter 12), the creation date, the
   * comment and the creator. Web seeds ({@code url-list}, BEP 19; {@code httpseeds}, BEP 17) are
   * not read; a production client uses them as further sources of data. Piecemeal gets its data
   * from peers only, so it has no use for them.
   */
  private static void readOutsideInfo(Fields root, Builder b) {
    b.announce = text(root, "announce").map(String::strip).filter(url -> !url.isEmpty());
    List<List<String>> tiers = new ArrayList<>();
    root.entry("announce-list").map(BencodeDictionary.Entry::value).ifPresent(value -> {
      if (value instanceof BencodeList list) {
        for (BencodeValue tier : list.values()) {
          List<String> urls = new ArrayList<>();
          if (tier instanceof BencodeList tierList) {
            for (BencodeValue url : tierList.values()) {
              if (url instanceof BencodeString s && !s.utf8Lenient().isBlank()) {
                urls.add(s.utf8Lenient().strip());
              }
            }
          }
          if (!urls.isEmpty()) {
            tiers.add(List.copyOf(urls));
          }
        }
      }
    });
    if (tiers.isEmpty() && b.announce.isPresent()) {
      tiers.add(List.of(b.announce.get()));
    }
    b.trackerTiers = List.copyOf(tiers);
    b.creationDate = root.entry("creation date").map(BencodeDictionary.Entry::value)
        .filter(v -> v instanceof BencodeInteger i && i.value() > 0)
        .map(v -> Instant.ofEpochSecond(((BencodeInteger) v).value()));
    b.comment = text(root, "comment");
    b.createdBy = text(root, "created by");
    b.dhtNodes = dhtNodes(root);
  }

  /**
   * {@code nodes}: a list of {@code [host, port]} pairs (BEP 5). An entry of another shape, or a
   * port outside 1..65535, is skipped; at most {@link #MAX_DHT_NODES} are read.
   */
  private static List<DhtNode> dhtNodes(Fields root) {
    List<DhtNode> nodes = new ArrayList<>();
    root.entry("nodes").map(BencodeDictionary.Entry::value).ifPresent(value -> {
      if (value instanceof BencodeList list) {
        for (BencodeValue entry : list.values()) {
          if (nodes.size() == MAX_DHT_NODES) {
            break;
          }
          if (entry instanceof BencodeList pair && pair.values().size() == 2
              && pair.values().get(0) instanceof BencodeString host && !host.utf8Lenient().isBlank()
              && pair.values().get(1) instanceof BencodeInteger port
              && port.value() >= 1 && port.value() <= 65535) {
            nodes.add(new DhtNode(host.utf8Lenient().strip(), (int) port.value()));
          }
        }
      }
    });
    return List.copyOf(nodes);
  }

  private static Optional<String> text(Fields fields, String key) {
    return fields.entry(key).map(BencodeDictionary.Entry::value)
        .filter(v -> v instanceof BencodeString)
        .map(v -> ((BencodeString) v).utf8Lenient());
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }

  /** The DHT nodes the torrent names ({@code nodes}, BEP 5), in its order; empty for most torrents. */
  public List<DhtNode> dhtNodes() {
    return dhtNodes;
  }

  /** The {@code announce} URL, trimmed; empty when absent or blank. */
  public Optional<String> announce() {
    return announce;
  }

  /**
   * The trackers by tier (BEP 12): {@code announce-list} if it has any URL, else a single tier
   * holding {@code announce}, else no tiers (a trackerless torrent).
   */
  public List<List<String>> trackerTiers() {
    return trackerTiers;
  }

  /** The suggested name: the file (single-file) or the folder (multi-file). */
  public String name() {
    return name;
  }

  /** The number of bytes in each piece but the last. */
  public int pieceLength() {
    return pieceLength;
  }

  /** The number of pieces: the total length divided by the piece length, rounded up. */
  public int pieceCount() {
    return pieces.length / HASH_LENGTH;
  }

  /** A copy of the SHA-1 hash that piece {@code index} must have. */
  public byte[] pieceHash(int index) {
    checkPieceIndex(index);
    return Arrays.copyOfRange(pieces, index * HASH_LENGTH, (index + 1) * HASH_LENGTH);
  }

  /** The length of piece {@code index}: {@link #pieceLength()}, except the last, which may be shorter. */
  public int pieceSize(int index) {
    checkPieceIndex(index);
    if (index < pieceCount() - 1) {
      return pieceLength;
    }
    return (int) (totalLength - (long) index * pieceLength);
  }

  private void checkPieceIndex(int index) {
    if (index < 0 || index >= pieceCount()) {
      throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
    }
  }

  /** The files in torrent order, pad files and symlinks included (see {@link TorrentFile}). */
  public List<TorrentFile> files() {
    return files;
  }

  /** True for BEP 3's single-file form ({@code length} instead of {@code files}). */
  public boolean isSingleFile() {
    return singleFile;
  }

  /** The sum of the file lengths, pad files included (they take piece space). */
  public long totalLength() {
    return totalLength;
  }

  /** BEP 27: {@code private} is 1, so peers come from the tracker only. */
  public boolean isPrivate() {
    return isPrivate;
  }

  /** When the torrent was made, if it says. */
  public Optional<Instant> creationDate() {
    return creationDate;
  }

  /** The free-text comment, if any. */
  public Optional<String> comment() {
    return comment;
  }

  /** The program that made the torrent, if it says. */
  public Optional<String> createdBy() {
    return createdBy;
  }

  /** True for a BEP 52 hybrid, loaded through its v1 part. */
  public boolean isHybrid() {
    return hybrid;
  }

  /** The torrent's identity (BEP 3): SHA-1 of {@link #infoBytes()}. */
  public InfoHash infoHash() {
    return infoHash;
  }

  /** A copy of the raw bytes of the info dictionary, as they were in the file. */
  public byte[] infoBytes() {
    return infoBytes.clone();
  }

  @Override
  public String toString() {
    return "Metainfo[" + name + ", " + infoHash + "]";
  }

  /** The fields as {@link #fromBytes} finds them, one step at a time. */
  private static final class Builder {
    Optional<String> announce = Optional.empty();
    List<List<String>> trackerTiers = List.of();
    String name;
    int pieceLength;
    byte[] pieces;
    List<TorrentFile> files;
    boolean singleFile;
    long totalLength;
    boolean isPrivate;
    Optional<Instant> creationDate = Optional.empty();
    Optional<String> comment = Optional.empty();
    Optional<String> createdBy = Optional.empty();
    boolean hybrid;
    byte[] infoBytes;
    InfoHash infoHash;
    List<DhtNode> dhtNodes = List.of();
  }
}
