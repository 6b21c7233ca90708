package dev.piecemeal.client.resume;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bitfield.Bitfield;
import java.util.List;
import java.util.Objects;

/**
 * Resume data: which pieces of one torrent were verified and on the disk when it was saved, and what
 * each of the torrent's files looked like then (its size and modification time), so that a later
 * start can tell whether the files are still the ones the pieces were verified in.
 *
 * <pre>
 * version 1, info-hash d8f739ce…, pieces 1024 × 1 MiB
 * files    [ {size 1073741824, modified 1796148163123456789 ns} ]
 * verified 11111111 11110000 …   (piece 0 is the high bit of the first byte, as on the wire)
 * </pre>
 *
 * @param version the format's version, {@link #VERSION} when we write it
 * @param infoHash the torrent it is for
 * @param pieceLength the torrent's piece length
 * @param pieceCount the torrent's piece count
 * @param files one stamp per file of the torrent that holds bytes (pad files and symlinks are never
 *     on disk and have none), in the torrent's order
 * @param verified the pieces verified and flushed before the stamps were taken
 */
public record ResumeRecord(
    int version, InfoHash infoHash, int pieceLength, int pieceCount, List<FileStamp> files, Bitfield verified) {

  /** The version this Piecemeal writes and the newest it reads. */
  public static final int VERSION = 1;

  /**
   * One file as the disk describes it: its length and its modification time, in nanoseconds since
   * 1970 (as precise as the file system keeps it: ext4 keeps nanoseconds, FAT two seconds). {@link
   * #ABSENT} for a file that is not on disk.
   */
  public record FileStamp(long size, long modifiedNanos) {
    /** A file that is not on disk (a zero-length file another client never created). */
    public static final FileStamp ABSENT = new FileStamp(-1, 0);

    public FileStamp {
      if (size < -1) {
        throw new IllegalArgumentException("file size " + size + " is negative");
      }
    }

    @Override
    public String toString() {
      return size < 0 ? "absent" : size + " bytes, modified " + modifiedNanos + " ns";
    }
  }

  public ResumeRecord {
    Objects.requireNonNull(infoHash, "infoHash");
    files = List.copyOf(files);
    if (version < 1 || pieceLength < 1 || pieceCount < 1) {
      throw new IllegalArgumentException("version " + version + ", piece length " + pieceLength
          + ", piece count " + pieceCount + ": each must be positive");
    }
    if (verified.pieceCount() != pieceCount) {
      throw new IllegalArgumentException("a bitfield of " + verified.pieceCount() + " pieces for "
          + pieceCount + " pieces");
    }
    verified = verified.copy(); // a Bitfield is mutable: the record keeps its own
  }

  /** The verified pieces: a copy, so the record stays as it was saved. */
  @Override
  public Bitfield verified() {
    return verified.copy();
  }
}
