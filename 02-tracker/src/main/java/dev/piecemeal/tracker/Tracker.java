package dev.piecemeal.tracker;

/**
 * One tracker, reached over HTTP(S) ({@link HttpTrackerClient}) or UDP ({@link UdpTrackerClient}):
 * the same announce, two transports. {@link Trackers#forUrl} picks one by the URL's scheme.
 */
public interface Tracker {

  /** The tracker's URL as the torrent names it. */
  String url();

  /**
   * Announces and returns the tracker's answer; blocks at most as long as the client's timeouts.
   *
   * @throws TrackerFailureException when the tracker refuses, with its message
   * @throws TrackerException when it cannot be reached or does not answer properly
   */
  AnnounceResponse announce(AnnounceRequest request) throws TrackerException;
}
