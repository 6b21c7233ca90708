package dev.piecemeal.tracker;

import java.util.Optional;

/**
 * An announce that did not work: the tracker could not be reached, did not answer in time, or
 * answered something that is not a valid announce response. The message says what is wrong, then
 * where: {@code response is not bencode: ... (tracker http://127.0.0.1:6969/announce)}; {@link
 * #reason()} is the same without the tracker, for a caller that names the tracker itself.
 */
public class TrackerException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String tracker;
  private final String reason;

  /** A failure of the tracker at {@code trackerUrl}. */
  public TrackerException(String trackerUrl, String reason) {
    this(trackerUrl, reason, null);
  }

  /** A failure of the tracker at {@code trackerUrl}, caused by a lower-level error. */
  public TrackerException(String trackerUrl, String reason, Throwable cause) {
    super(trackerUrl == null ? reason : reason + " (tracker " + trackerUrl + ")", cause);
    this.tracker = trackerUrl;
    this.reason = reason;
  }

  /** The tracker's URL as written in the torrent; empty for a failure that is not one tracker's. */
  public Optional<String> tracker() {
    return Optional.ofNullable(tracker);
  }

  /** What went wrong, without the tracker's URL. */
  public String reason() {
    return reason;
  }
}
