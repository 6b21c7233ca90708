package dev.piecemeal.tracker;

/**
 * The tracker answered, and its answer is a refusal: an HTTP response with a {@code failure reason}
 * (BEP 3) or a UDP packet with the error action 3 (BEP 15). The tracker's own words are kept in
 * {@link #trackerMessage()}: "unregistered torrent", "requested download is not authorized for use
 * with this tracker".
 */
public final class TrackerFailureException extends TrackerException {
  private static final long serialVersionUID = 1L;

  private final String trackerMessage;

  public TrackerFailureException(String trackerUrl, String trackerMessage) {
    super(trackerUrl, "tracker refused the announce: " + trackerMessage);
    this.trackerMessage = trackerMessage;
  }

  /** The tracker's message, as it sent it. */
  public String trackerMessage() {
    return trackerMessage;
  }
}
