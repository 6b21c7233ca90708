package dev.piecemeal.client.create;

/**
 * Making a torrent failed, with what went wrong and which file: {@code data/docs/link.txt: is a
 * symbolic link, and create refuses links inside the folder}. The {@link Kind} says whether
 * trying again can help.
 */
public final class CreateException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Whether the input is wrong or the run failed. */
  public enum Kind {
    /** The content or the options cannot make a torrent (a symlink, an empty folder): fix them first. */
    REFUSED,
    /** The content could not be read, or changed while it was read: another run may succeed. */
    FAILED
  }

  private final Kind kind;

  public CreateException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CreateException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
