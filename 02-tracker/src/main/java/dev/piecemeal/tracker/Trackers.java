package dev.piecemeal.tracker;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;

/** Makes the right {@link Tracker} for a tracker URL, by its scheme: http, https or udp. */
public final class Trackers {
  /** The HTTP timeout when none is given. */
  public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(15);

  private Trackers() {}

  /** A tracker client with the default timeouts: 15 s for HTTP, BEP 15's retransmissions for UDP. */
  public static Tracker forUrl(String url) throws TrackerException {
    return forUrl(url, DEFAULT_HTTP_TIMEOUT, RetryPolicy.BEP_15);
  }

  /**
   * A tracker client for {@code url}.
   *
   * @param httpTimeout for http and https: the longest wait to connect, and for the whole response
   * @param udpRetry for udp: the waits and retransmissions
   * @throws TrackerException when the URL is not a URL, or its scheme is not one we speak
   */
  public static Tracker forUrl(String url, Duration httpTimeout, RetryPolicy udpRetry)
      throws TrackerException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new TrackerException(url, "not a valid URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new TrackerException(url, "URL has no host");
    }
    switch (scheme) {
      case "http":
      case "https":
        return new HttpTrackerClient(uri, httpTimeout);
      case "udp":
        if (uri.getPort() < 1) {
          throw new TrackerException(url, "udp tracker URL has no port");
        }
        return new UdpTrackerClient(uri, udpRetry, InstantSource.system());
      default:
        throw new TrackerException(
            url, "unsupported tracker scheme '" + scheme + "' (supported: http, https, udp)");
    }
  }
}
