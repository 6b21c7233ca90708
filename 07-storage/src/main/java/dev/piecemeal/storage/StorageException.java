package dev.piecemeal.storage;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The disk refused, or a torrent asked for something storage will not do: no space left, a
 * read-only file system, a permission denied, a path that would leave the download folder. The
 * message says what went wrong, then which file: {@code no space left on device writing piece 12
 * to /downloads/sample/chapter-3.txt}. The download cannot go on until a person acts, so the client
 * stops and shows this rather than dropping the piece and fetching it again forever.
 */
public class StorageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of failure: what a person would do about it differs. */
  public enum Reason {
    /** The file system is full (ENOSPC): free some space. */
    NO_SPACE,
    /** The file system is mounted read-only (EROFS). */
    READ_ONLY,
    /** The file or a folder on its way may not be read or written (EACCES, EPERM). */
    PERMISSION_DENIED,
    /** The torrent's path would land outside the download folder, through a symlink. */
    OUTSIDE_DOWNLOAD_FOLDER,
    /** Something is in the way: a folder where a file belongs, a symlink, a missing folder. */
    NOT_USABLE,
    /** Any other input/output error. */
    IO_ERROR
  }

  private final Reason reason;
  private final transient Path path;

  public StorageException(Reason reason, String problem, Path path) {
    this(reason, problem, path, null);
  }

  public StorageException(Reason reason, String problem, Path path, Throwable cause) {
    super(problem + (path == null ? "" : " " + path), cause);
    this.reason = reason;
    this.path = path;
  }

  /**
   * Turns an {@link IOException} from the JDK into a typed one. The JDK has a subclass only for
   * "permission denied"; "no space" and "read-only" arrive as the operating system's message in a
   * plain {@code IOException} or {@code FileSystemException}, so we read the message (POSIX wording,
   * the same on Linux and macOS).
   *
   * @param action what we were doing, in words that end before the file: {@code "writing piece 3
   *     to"}
   */
  public static StorageException from(IOException e, String action, Path path) {
    String text = Optional.ofNullable(e instanceof FileSystemException fs ? fs.getReason() : e.getMessage())
        .orElse(e.getClass().getSimpleName());
    String lower = text.toLowerCase(Locale.ROOT);
    Reason reason;
    String what;
    if (e instanceof AccessDeniedException || lower.contains("permission denied")
        || lower.contains("operation not permitted")) {
      reason = Reason.PERMISSION_DENIED;
      what = "permission denied";
    } else if (lower.contains("no space left") || lower.contains("disk quota exceeded")) {
      reason = Reason.NO_SPACE;
      what = "no space left on device";
    } else if (lower.contains("read-only file system")) {
      reason = Reason.READ_ONLY;
      what = "read-only file system";
    } else if (e instanceof ClosedByInterruptException) {
      reason = Reason.IO_ERROR;
      what = "interrupted";
    } else if (e instanceof NoSuchFileException) {
      reason = Reason.NOT_USABLE;
      what = "no such file or folder";
    } else {
      reason = Reason.IO_ERROR;
      what = lower; // the system's own words: "too many open files", "input/output error"
    }
    return new StorageException(reason, what + " " + action, path, e);
  }

  /** What kind of failure this is. */
  public Reason reason() {
    return reason;
  }

  /** The file or folder concerned. */
  public Path path() {
    return path;
  }
}
