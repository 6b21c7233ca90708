package dev.piecemeal.client.create;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeString;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes a BEP 3 (v1) .torrent file of some content: chapter 1's metainfo, written instead of read.
 *
 * <pre>
 * d
 *   8:announce       the first tracker
 *   13:announce-list l l first e l second e e       (BEP 12; only with more than one tracker)
 *   7:comment        10:holiday photos             (when given)
 *   10:created by    15:Piecemeal 0.1.0
 *   13:creation date i1767225600e                  (when given)
 *   4:info d                                       ← the info-hash is the SHA-1 of these bytes
 *     5:files  l d 6:length i100003e 4:path l 5:a.txt e e ... e      a folder: one entry a file
 *     6:length i4206649e                                             a single file instead
 *     4:name   15:piecemeal-multi
 *     12:piece length i16384e
 *     6:pieces ...20 bytes for each piece...
 *     7:private i1e                                (BEP 27; only when private)
 *   e
 * e
 * </pre>
 *
 * <p>The same content and the same {@code info} options always give the same info-hash, on any
 * machine and with any number of threads: the files come in {@link ContentScan}'s sorted order,
 * {@link BencodeEncoder} sorts every dictionary's keys, and nothing that changes from run to run
 * (the date, the creator's version, the trackers) is inside {@code info}.
 *
 * <p>Simplified: v1 only, and only the fields above. libtorrent makes v1+v2 hybrid torrents by
 * default (BEP 52: a Merkle tree per file, pad files so that every file starts a piece) and can add
 * web seeds ({@code url-list}, BEP 19), DHT nodes and a {@code source} key; Piecemeal reads v1
 * only, and a torrent it cannot download itself would be a poor first one to make.
 */
public final class TorrentCreator {
  private static final int HASH_LENGTH = 20;

  private TorrentCreator() {}

  /**
   * The torrent of {@code content}, its pieces hashed by {@code threads} threads.
   *
   * @throws CreateException the torrent would be too large for a .torrent file ({@link
   *     CreateException.Kind#REFUSED}), or the content could not be read ({@link
   *     CreateException.Kind#FAILED})
   * @throws InterruptedException the caller was interrupted while the pieces were hashed
   */
  public static CreatedTorrent create(Content content, TorrentOptions options, int threads,
      PieceHashing.Progress progress) throws CreateException, InterruptedException {
    // 1. the piece length: the one asked for, or one chosen from the total size
    long totalLength = content.totalLength();
    int pieceLength = options.pieceLength().orElseGet(() -> PieceLength.choose(totalLength));
    long pieceCount = PieceLength.pieceCount(totalLength, pieceLength);

    // 2. refuse, before any hashing, a torrent that every loader (ours too) would refuse for size
    if (pieceCount * HASH_LENGTH > Metainfo.MAX_FILE_SIZE) {
      throw tooLarge(String.format(Locale.ROOT, "%,d pieces of %s need %,d bytes of hashes",
          pieceCount, PieceLength.readable(pieceLength), pieceCount * HASH_LENGTH), "a larger piece length");
    }
    byte[] unhashed = new byte[(int) pieceCount * HASH_LENGTH];
    int size = BencodeEncoder.encode(root(info(content, options, pieceLength, unhashed), options)).length;
    if (size > Metainfo.MAX_FILE_SIZE) {
      throw tooLarge(String.format(Locale.ROOT, "the .torrent file would be %,d bytes", size),
          "fewer files or a larger piece length");
    }

    // 3. hash every piece (the long part), then write the info dictionary and the file around it
    byte[] pieces = PieceHashing.hash(content, pieceLength, threads, progress);
    BencodeDictionary info = info(content, options, pieceLength, pieces);
    InfoHash infoHash = InfoHash.fromBytes(sha1(BencodeEncoder.encode(info)));
    byte[] torrent = BencodeEncoder.encode(root(info, options));
    return new CreatedTorrent(torrent, infoHash, pieceLength, (int) pieceCount);
  }

  // tag::info[]
  /** The {@code info} dictionary: everything the info-hash covers, and nothing that varies by run. */
  static BencodeDictionary info(Content content, TorrentOptions options, int pieceLength, byte[] pieces) {
    BencodeDictionary.Builder info = BencodeDictionary.builder();
    if (content.singleFile()) {
      info.put("length", content.files().get(0).length());
    } else {
      List<BencodeValue> files = new ArrayList<>();
      for (ContentFile file : content.files()) {
        List<BencodeValue> path = new ArrayList<>();
        for (String component : file.path()) {
          path.add(BencodeString.fromUtf8(component));
        }
        files.add(BencodeDictionary.builder()
            .put("length", file.length())
            .put("path", new BencodeList(path))
            .build());
      }
      info.put("files", new BencodeList(files));
    }
    info.put("name", options.name().orElse(content.name()))
        .put("piece length", pieceLength)
        .put("pieces", pieces);
    if (options.isPrivate()) {
      info.put("private", 1);
    }
    return info.build();
  }
  // end::info[]

  /** The whole file: trackers, the descriptive fields, and {@code info}. */
  static BencodeDictionary root(BencodeDictionary info, TorrentOptions options) {
    BencodeDictionary.Builder root = BencodeDictionary.builder();
    List<String> trackers = options.trackers();
    if (!trackers.isEmpty()) {
      // Clients that predate BEP 12 read announce alone, so it holds the first tracker too.
      root.put("announce", trackers.get(0));
    }
    if (trackers.size() > 1) {
      List<BencodeValue> tiers = new ArrayList<>();
      for (String url : trackers) {
        tiers.add(new BencodeList(List.of(BencodeString.fromUtf8(url))));
      }
      root.put("announce-list", new BencodeList(tiers));
    }
    options.comment().ifPresent(comment -> root.put("comment", comment));
    root.put("created by", options.createdBy());
    options.creationDate().ifPresent(date -> root.put("creation date", date.getEpochSecond()));
    return root.put("info", info).build();
  }

  private static CreateException tooLarge(String what, String remedy) {
    return new CreateException(CreateException.Kind.REFUSED, what + ", more than the limit of "
        + String.format(Locale.ROOT, "%,d", Metainfo.MAX_FILE_SIZE) + " bytes for a .torrent file; choose "
        + remedy);
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
