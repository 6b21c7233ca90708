package dev.piecemeal.tracker.server;

/**
 * Why this tracker refuses an announce, in the words it sends back as the bencoded {@code failure
 * reason} (BEP 3, "tracker responses"): {@code info_hash is 19 bytes, expected 20}. The message says
 * what is wrong, then which parameter; the client that sent it reads it as a {@code
 * TrackerFailureException}.
 */
public final class AnnounceRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public AnnounceRefusedException(String reason) {
    super(reason);
  }

  /** The text for {@code failure reason}. */
  public String reason() {
    return getMessage();
  }
}
