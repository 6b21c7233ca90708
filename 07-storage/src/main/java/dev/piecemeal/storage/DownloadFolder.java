package dev.piecemeal.storage;

import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one folder a torrent may write into, and the check that keeps it so. A torrent is untrusted
 * input: whoever made it chose its paths. Chapter 1 already refuses a path component that is
 * {@code ..}, absolute, or has a separator inside ({@code SafePath}); what it cannot see is the
 * disk. A folder inside the download folder may be a symlink to somewhere else, planted by an
 * earlier torrent or by a person, and a write through it lands outside:
 *
 * <pre>
 * /downloads/                 ← the download folder (its real path)
 * /downloads/sample → /etc    ← a symlink, lexically inside
 * torrent path sample/passwd  → resolves to /etc/passwd: refused
 * </pre>
 *
 * <p>So every path is built from the torrent's validated components (never re-parsed from a
 * string), and each folder on the way is resolved to its real path and checked to be inside the
 * download folder's real path, as it is created. The file itself must not be a symlink, and is
 * opened with {@link LinkOption#NOFOLLOW_LINKS} so that one planted after the check is refused by
 * the operating system.
 *
 * <p>Simplified: the folders are checked, then used. Between the check and the open, another
 * process could swap a checked folder for a symlink. A production client on Linux opens each
 * folder relative to its parent's descriptor ({@code openat} with {@code O_NOFOLLOW}), which leaves
 * no gap; Java has no {@code openat}, and only someone who can already write into the download
 * folder can exploit the gap.
 */
public final class DownloadFolder {

  private final Path root;

  private DownloadFolder(Path root) {
    this.root = root;
  }

  /**
   * The download folder at {@code folder}, which must exist and be a folder.
   *
   * @throws StorageException it does not exist or is not a folder
   */
  public static DownloadFolder of(Path folder) throws StorageException {
    if (!Files.isDirectory(folder)) {
      throw new StorageException(Reason.NOT_USABLE, "download folder is not a folder:", folder);
    }
    try {
      return new DownloadFolder(folder.toRealPath());
    } catch (IOException e) {
      throw StorageException.from(e, "resolving the download folder", folder);
    }
  }

  /** The folder's real path: no {@code ..}, no symlink. */
  public Path root() {
    return root;
  }

  /** Where {@code file} belongs, built from its components without touching the disk. */
  public Path pathOf(TorrentFile file) {
    Path path = root;
    for (String component : file.path()) {
      path = path.resolve(component);
    }
    return path;
  }

  // tag::prepare[]
  /**
   * Makes the folders {@code file} needs, one at a time, and checks each one's real path after
   * creating it: a symlink on the way that points outside the download folder is refused.
   *
   * @return where to open the file (with {@link LinkOption#NOFOLLOW_LINKS})
   * @throws StorageException a folder resolves outside, the file is a symlink, or the disk refused
   */
  public Path prepareForWriting(TorrentFile file) throws StorageException {
    Path folder = root;
    for (String component : file.path().subList(0, file.path().size() - 1)) {
      folder = folder.resolve(component);
      try {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(folder);
        }
        requireInside(folder.toRealPath(), folder);
      } catch (IOException e) {
        throw StorageException.from(e, "creating folder", folder);
      }
      if (!Files.isDirectory(folder)) {
        throw new StorageException(Reason.NOT_USABLE, "not a folder, but the torrent needs one:", folder);
      }
    }
    Path path = folder.resolve(file.path().get(file.path().size() - 1));
    requireAFileOrNothing(path);
    return path;
  }
  // end::prepare[]

  /**
   * Where to read {@code file} from, with the same checks as {@link #prepareForWriting}, creating
   * nothing: empty when a folder on the way or the file itself does not exist.
   */
  public Optional<Path> findForReading(TorrentFile file) throws StorageException {
    Path path = pathOf(file);
    if (!Files.exists(path.getParent())) {
      return Optional.empty();
    }
    try {
      requireInside(path.getParent().toRealPath(), path.getParent());
    } catch (IOException e) {
      return Optional.empty(); // a folder on the way is missing or a dangling symlink: no data
    }
    requireAFileOrNothing(path);
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? Optional.of(path) : Optional.empty();
  }

  private void requireInside(Path real, Path asNamed) throws StorageException {
    if (!real.startsWith(root)) {
      throw new StorageException(Reason.OUTSIDE_DOWNLOAD_FOLDER,
          "refusing a path that resolves outside the download folder " + root + " (to " + real + "):",
          asNamed);
    }
  }

  private static void requireAFileOrNothing(Path path) throws StorageException {
    if (Files.isSymbolicLink(path)) {
      throw new StorageException(Reason.NOT_USABLE,
          "refusing a symbolic link where the torrent has a file:", path);
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new StorageException(Reason.NOT_USABLE, "a folder is where the torrent has a file:", path);
    }
  }
}
