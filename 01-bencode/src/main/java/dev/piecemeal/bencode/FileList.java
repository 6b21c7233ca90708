package dev.piecemeal.bencode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the file list of a v1 {@code info} dictionary into {@link TorrentFile}s, giving each its
 * offset in the torrent's byte stream. BEP 3 has two forms:
 *
 * <pre>
 * single file:  d 6:length i430e  4:name 8:song.mp3 ... e
 *               → song.mp3 (430 bytes, offset 0)
 * multi-file:   d 5:files l d 6:length i283e 4:path l 10:README.txt e e ... e  4:name 6:sample ... e
 *               → sample/README.txt (283 bytes, offset 0), then the next file at offset 283 ...
 * </pre>
 *
 * <p>BEP 47 adds attributes: {@code p} marks a pad file (it takes piece space, so it counts in the
 * offsets and the total length, but nothing is written for it); {@code l} marks a symlink, which
 * takes no piece space whatever {@code length} it declares.
 */
final class FileList {
  /** libtorrent's largest file: 2^44 bytes minus one 16 KiB block. */
  static final long MAX_FILE_LENGTH = (1L << 44) - 16 * 1024;

  /** libtorrent's limit on the components of one path. */
  static final int MAX_PATH_DEPTH = 100;

  /** BitComet's pad files carry no attribute, only this name. */
  private static final String BITCOMET_PADDING = "_____padding_file_";

  private FileList() {}

  /** The files of {@code info}, whose (already checked) name is {@code name}. */
  static List<TorrentFile> read(Fields info, String name) throws MetainfoException {
    if (info.has("files") && info.has("length")) {
      throw info.error("has both \"length\" (single file) and \"files\" (multi-file)");
    }
    if (!info.has("files")) {
      long length = info.requireInteger("length");
      checkLength(info, "length", length);
      return List.of(new TorrentFile(List.of(name), length, 0));
    }
    BencodeList entries = info.requireList("files");
    if (entries.values().isEmpty()) {
      throw info.error("files", "must not be empty");
    }
    List<TorrentFile> files = new ArrayList<>();
    PathClaims claims = new PathClaims();
    long offset = 0;
    for (int i = 0; i < entries.values().size(); i++) {
      String field = info.field("files") + "[" + i + "]";
      if (!(entries.values().get(i) instanceof BencodeDictionary dictionary)) {
        throw new MetainfoException(
            field, "must be a dictionary, found " + entries.values().get(i).kind());
      }
      TorrentFile file = entry(new Fields(dictionary, field, Optional.empty()), name, offset);
      if (!file.isPadding()) {
        claims.claim(file.path(), field);
      }
      files.add(file);
      try {
        offset = Math.addExact(offset, file.length());
      } catch (ArithmeticException overflow) {
        throw info.error("files", "total length does not fit in 64 bits");
      }
    }
    return files;
  }

  /** One entry of {@code files}: a file, a pad file or a symlink, starting at {@code offset}. */
  private static TorrentFile entry(Fields file, String name, long offset) throws MetainfoException {
    String attributes = file.optionalString("attr").map(BencodeString::utf8Lenient).orElse("");
    boolean symlink = attributes.contains("l");
    long length = 0;
    if (symlink) {
      file.optionalInteger("length"); // may be there, must be an integer if it is, never counts
    } else {
      length = file.requireInteger("length");
      checkLength(file, "length", length);
    }
    boolean padding = !symlink && attributes.contains("p");
    List<String> path = new ArrayList<>(List.of(name));
    if (padding && !file.has("path")) {
      // A pad file needs no name, since nothing is written; libtorrent calls it .pad/<length>.
      path.addAll(List.of(".pad", Long.toString(length)));
    } else {
      path.addAll(components(file, "path"));
    }
    padding = padding || path.get(path.size() - 1).startsWith(BITCOMET_PADDING);
    if (symlink) {
      List<String> target = new ArrayList<>(List.of(name));
      target.addAll(components(file, "symlink path"));
      return new TorrentFile(path, 0, offset, TorrentFile.Kind.SYMLINK, target);
    }
    TorrentFile.Kind kind = padding ? TorrentFile.Kind.PADDING : TorrentFile.Kind.FILE;
    return new TorrentFile(path, length, offset, kind, List.of());
  }

  /** A list of path components, each a string that is a {@linkplain SafePath safe} name. */
  private static List<String> components(Fields file, String key) throws MetainfoException {
    BencodeList list = file.requireList(key);
    Optional<ByteSpan> span = file.entry(key).flatMap(BencodeDictionary.Entry::valueSpan);
    if (list.values().isEmpty()) {
      throw file.error(key, "must not be empty");
    }
    // libtorrent's bound; it also keeps PathClaims' work per file small (it walks every prefix).
    if (list.values().size() > MAX_PATH_DEPTH) {
      throw file.error(key, list.values().size() + " components is more than the limit of " + MAX_PATH_DEPTH);
    }
    List<String> components = new ArrayList<>();
    for (int j = 0; j < list.values().size(); j++) {
      String field = file.field(key) + "[" + j + "]";
      if (!(list.values().get(j) instanceof BencodeString bytes)) {
        throw Fields.error(field, span, "must be a string, found " + list.values().get(j).kind());
      }
      String component = text(bytes);
      Optional<String> problem = SafePath.problem(component);
      if (problem.isPresent()) {
        throw Fields.error(field, span, problem.get());
      }
      components.add(component);
    }
    return components;
  }

  /**
   * A name as text. Design: invalid UTF-8 becomes U+FFFD, as libtorrent does, rather than an
   * error: old torrents in other encodings still load, and U+FFFD is a legal name on every
   * filesystem. Two names that differ only in their invalid bytes then collide, and
   * {@link PathClaims} refuses the second.
   *
   * <p>Simplified: the {@code name.utf-8} and {@code path.utf-8} fields that some old tools add
   * beside a name in a legacy encoding are not read. libtorrent prefers them; they are rare, and a
   * torrent without them still loads here, with U+FFFD in the name.
   */
  static String text(BencodeString bytes) {
    return bytes.utf8Lenient();
  }

  static void checkLength(Fields fields, String key, long length) throws MetainfoException {
    if (length < 0) {
      throw fields.error(key, "must not be negative, found " + length);
    }
    if (length > MAX_FILE_LENGTH) {
      throw fields.error(key, length + " is larger than the limit of " + MAX_FILE_LENGTH + " bytes");
    }
  }

  /**
   * Refuses two entries that claim the same place on disk: the same path twice, or a path that is
   * a file for one entry and a folder for another. Design: libtorrent renames the second file
   * ({@code bar.1.txt}); we refuse the torrent, because two entries writing one file would corrupt
   * each other's data, and renaming is a storage decision this chapter should not hide.
   *
   * <p>Simplified: names are compared exactly. On a case-insensitive filesystem (Windows, macOS)
   * {@code A.txt} and {@code a.txt} are one file; a production client compares them folded there.
   */
  private static final class PathClaims {
    private final Map<String, String> files = new HashMap<>();
    private final Map<String, String> folders = new HashMap<>();

    void claim(List<String> path, String field) throws MetainfoException {
      String joined = String.join("/", path);
      String shown = SafePath.printable(joined);
      if (files.containsKey(joined)) {
        throw new MetainfoException(
            field + ".path", "\"" + shown + "\" is also the path of " + files.get(joined));
      }
      if (folders.containsKey(joined)) {
        throw new MetainfoException(
            field + ".path", "\"" + shown + "\" is also a folder in " + folders.get(joined));
      }
      for (int n = 1; n < path.size(); n++) {
        String folder = String.join("/", path.subList(0, n));
        if (files.containsKey(folder)) {
          throw new MetainfoException(field + ".path",
              "\"" + SafePath.printable(folder) + "\" is a folder here but a file in " + files.get(folder));
        }
        folders.putIfAbsent(folder, field);
      }
      files.put(joined, field);
    }
  }
}
