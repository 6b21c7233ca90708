package dev.piecemeal.client.resume;

/**
 * Resume data that cannot be used, and why, in words for the one log line that says so: the file
 * is malformed or cut short (at which byte), for another torrent, from a newer Piecemeal, or the
 * files changed since it was saved. Never fatal: the download rechecks every piece instead.
 */
public final class ResumeException extends Exception {
  public ResumeException(String reason) {
    super(reason);
  }

  public ResumeException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
