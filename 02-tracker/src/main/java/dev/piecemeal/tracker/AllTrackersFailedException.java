package dev.piecemeal.tracker;

import java.util.List;

/**
 * No tracker of a torrent answered (BEP 12): each one's own failure is in {@link #failures()}, in
 * the order they were tried, so that a person can see why each one failed.
 */
public final class AllTrackersFailedException extends TrackerException {
  private static final long serialVersionUID = 1L;

  private final List<TrackerException> failures;

  public AllTrackersFailedException(List<TrackerException> failures) {
    super(null, summary(failures));
    this.failures = List.copyOf(failures);
  }

  /** Why each tracker failed, in the order they were tried. */
  public List<TrackerException> failures() {
    return failures;
  }

  private static String summary(List<TrackerException> failures) {
    if (failures.isEmpty()) {
      return "no tracker answered: the torrent names no tracker";
    }
    StringBuilder out = new StringBuilder("no tracker answered (" + failures.size() + " tried)");
    for (TrackerException failure : failures) {
      out.append("; ").append(failure.getMessage());
    }
    return out.toString();
  }
}
