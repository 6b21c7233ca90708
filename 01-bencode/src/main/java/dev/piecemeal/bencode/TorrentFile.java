package dev.piecemeal.bencode;

import java.util.List;

/**
 * One entry of a torrent's file list: where it goes, how long it is, and where its bytes sit in
 * the torrent's byte stream (all files back to back, cut into pieces).
 *
 * <pre>
 * piecemeal-sample/README.txt              length   283   offset      0
 * piecemeal-sample/chapters/chapter-1.txt  length 25200   offset    283   (starts inside piece 0)
 * </pre>
 *
 * <p>{@code path} is relative to the download folder: for a multi-file torrent it starts with the
 * torrent's name (its folder), for a single-file torrent it is just the name. Every component is
 * {@linkplain SafePath safe}. {@code symlinkTarget} uses the same convention and is empty unless
 * the entry is a symlink.
 */
public record TorrentFile(
    List<String> path, long length, long offset, Kind kind, List<String> symlinkTarget) {

  /** What the entry is. */
  public enum Kind {
    /** An ordinary file, written to disk. */
    FILE,
    /**
     * Padding (BEP 47, attr {@code p}): zeros that align the next file to a piece boundary. It
     * occupies piece space but is never written to disk.
     */
    PADDING,
    /** A symbolic link (BEP 47, attr {@code l}): occupies no piece space. */
    SYMLINK
  }

  public TorrentFile {
    path = List.copyOf(path);
    symlinkTarget = List.copyOf(symlinkTarget);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("a file needs a path");
    }
    for (String component : path) {
      SafePath.problem(component).ifPresent(problem -> {
        throw new IllegalArgumentException(problem);
      });
    }
    for (String component : symlinkTarget) {
      SafePath.problem(component).ifPresent(problem -> {
        throw new IllegalArgumentException(problem);
      });
    }
    if (length < 0 || offset < 0) {
      throw new IllegalArgumentException("length and offset must not be negative");
    }
    if ((kind == Kind.SYMLINK) == symlinkTarget.isEmpty()) {
      throw new IllegalArgumentException("a symlink, and only a symlink, has a target");
    }
    if (kind == Kind.SYMLINK && length != 0) {
      throw new IllegalArgumentException("a symlink occupies no bytes");
    }
  }

  /** An ordinary file. */
  public TorrentFile(List<String> path, long length, long offset) {
    this(path, length, offset, Kind.FILE, List.of());
  }

  /** The path joined with {@code /}: {@code piecemeal-sample/chapters/chapter-1.txt}. */
  public String relativePath() {
    return String.join("/", path);
  }

  /** True for a pad file, which storage never writes. */
  public boolean isPadding() {
    return kind == Kind.PADDING;
  }

  /** True for a symbolic link. */
  public boolean isSymlink() {
    return kind == Kind.SYMLINK;
  }

  /** The offset one past this file's last byte in the torrent's byte stream. */
  public long end() {
    return offset + length;
  }
}
