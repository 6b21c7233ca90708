package dev.piecemeal.client.resume;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.client.Printable;
import dev.piecemeal.client.resume.ResumeRecord.FileStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Whether resume data may be believed: it must be for this torrent (info-hash, piece length and
 * count, the number of files), and every file must be exactly as it was when the record was saved,
 * the same size and the same modification time. Then its verified pieces are trusted without
 * reading a byte; otherwise none is, and the download rechecks every piece.
 *
 * <pre>
 * record:  big.bin 1073741824 bytes, modified 18:02:03.123456789    verified 512 of 1024
 * disk:    big.bin 1073741824 bytes, modified 18:02:03.123456789    → trusted: 512 pieces, no recheck
 * disk:    big.bin 1073741824 bytes, modified 18:02:41.004000000    → ignored: big.bin was modified since
 * </pre>
 *
 * <p>Why a changed file means no trust at all, not just for its pieces: a file changed behind our
 * back may have been replaced, truncated and extended, or written by another program; recheck is
 * the one answer that cannot be fooled (see {@link ResumeSaver} for why a matching file can be
 * trusted).
 */
public final class ResumeCheck {
  private ResumeCheck() {}

  /**
   * The pieces {@code record} may be trusted for, given the files as they are now ({@code now}, one
   * stamp for each of {@link #filesOnDisk}, in order).
   *
   * @throws ResumeException the reason not to trust it, in words for the log
   */
  public static Bitfield trustedPieces(ResumeRecord record, Metainfo metainfo, List<FileStamp> now)
      throws ResumeException {
    if (!record.infoHash().equals(metainfo.infoHash())) {
      throw new ResumeException("it is for another torrent (info-hash " + record.infoHash().hex() + ", not "
          + metainfo.infoHash().hex() + ")");
    }
    if (record.pieceLength() != metainfo.pieceLength()) {
      throw new ResumeException("it says pieces of " + record.pieceLength() + " bytes, the torrent "
          + metainfo.pieceLength());
    }
    if (record.pieceCount() != metainfo.pieceCount()) {
      throw new ResumeException("it says " + record.pieceCount() + " pieces, the torrent " + metainfo.pieceCount());
    }
    List<TorrentFile> files = filesOnDisk(metainfo);
    if (record.files().size() != files.size() || now.size() != files.size()) {
      throw new ResumeException("it lists " + record.files().size() + " files, the torrent has " + files.size());
    }
    for (int i = 0; i < files.size(); i++) {
      String name = Printable.oneLine(files.get(i).relativePath());
      FileStamp then = record.files().get(i);
      FileStamp current = now.get(i);
      if (then.size() != current.size()) {
        throw new ResumeException(name + " is " + describe(current) + ", but was " + describe(then)
            + " when the resume data was saved");
      }
      if (then.modifiedNanos() != current.modifiedNanos()) {
        throw new ResumeException(name + " was modified since the resume data was saved (at "
            + instant(current) + ", saved with " + instant(then) + ")");
      }
    }
    return record.verified();
  }

  /** The torrent's files that are on disk when complete: all but pad files and symlinks. */
  public static List<TorrentFile> filesOnDisk(Metainfo metainfo) {
    return metainfo.files().stream().filter(file -> file.kind() == TorrentFile.Kind.FILE).toList();
  }

  /**
   * The stamp of each of {@link #filesOnDisk}, as the disk describes it now; {@code pathOf} gives
   * where the torrent's file {@code i} (its index among all of {@link Metainfo#files}) is.
   * A symbolic link is stamped as absent: storage never follows one.
   *
   * @throws IOException the disk refused to describe a file
   */
  public static List<FileStamp> stamps(Metainfo metainfo, IntFunction<Path> pathOf) throws IOException {
    List<FileStamp> stamps = new ArrayList<>();
    List<TorrentFile> all = metainfo.files();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).kind() == TorrentFile.Kind.FILE) {
        stamps.add(stamp(pathOf.apply(i)));
      }
    }
    return stamps;
  }

  private static FileStamp stamp(Path path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return FileStamp.ABSENT;
    }
    if (!attributes.isRegularFile()) {
      return FileStamp.ABSENT;
    }
    return new FileStamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
  }

  private static String describe(FileStamp stamp) {
    return stamp.size() < 0 ? "not on disk" : stamp.size() + " bytes";
  }

  private static Instant instant(FileStamp stamp) {
    return Instant.EPOCH.plusNanos(stamp.modifiedNanos());
  }
}
