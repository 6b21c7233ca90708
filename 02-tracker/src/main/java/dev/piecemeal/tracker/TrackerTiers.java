package dev.piecemeal.tracker;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A torrent's trackers in tiers, and the announce that walks them (BEP 12, "announce-list").
 *
 * <pre>
 * tier 0:  udp://a/announce  http://b/announce      shuffled once, then tried in order
 * tier 1:  http://c/announce                        tried only when all of tier 0 failed
 * </pre>
 *
 * <p>The trackers of each tier are shuffled once, when this object is made, to spread clients over
 * them. A tracker that answers moves to the front of its tier, so the next announce asks it first.
 * Each tracker's client is made on first use and kept, with what it remembers (a UDP connection id,
 * an HTTP tracker id). Announces are serialized ({@code synchronized}): one announce walks the
 * tiers at a time, so the order is never changed under it.
 */
public final class TrackerTiers {

  /** Makes the client for one tracker URL; {@link Trackers#forUrl(String)} fits. */
  @FunctionalInterface
  public interface Factory {
    Tracker forUrl(String url) throws TrackerException;
  }

  /**
   * The first good answer, which tracker gave it, and why each tracker asked before it failed.
   */
  public record Announced(String trackerUrl, AnnounceResponse response, List<TrackerException> failures) {
    public Announced {
      Objects.requireNonNull(trackerUrl, "trackerUrl");
      Objects.requireNonNull(response, "response");
      failures = List.copyOf(failures);
    }
  }

  private final List<List<String>> tiers = new ArrayList<>();
  private final Factory factory;
  private final Map<String, Tracker> clients = new HashMap<>();

  /** The tiers of a torrent (its announce-list, or its one announce URL as a tier). */
  public TrackerTiers(List<List<String>> tiers, Factory factory) {
    this(tiers, factory, new SecureRandom());
  }

  /** As above, shuffling with {@code random}: tests pass a seeded one. */
  public TrackerTiers(List<List<String>> tiers, Factory factory, Random random) {
    this.factory = Objects.requireNonNull(factory, "factory");
    for (List<String> tier : tiers) {
      List<String> shuffled = new ArrayList<>(tier);
      Collections.shuffle(shuffled, random);
      this.tiers.add(shuffled);
    }
  }

  /** The tiers in the order the next announce will try them. */
  public synchronized List<List<String>> tiers() {
    List<List<String>> copy = new ArrayList<>();
    for (List<String> tier : tiers) {
      copy.add(List.copyOf(tier));
    }
    return List.copyOf(copy);
  }

  /**
   * Announces to the trackers tier by tier, each tier in its order, and returns the first good
   * answer. A URL that appears twice is asked once.
   *
   * @throws AllTrackersFailedException when no tracker answered, with each one's failure
   */
  public synchronized Announced announce(AnnounceRequest request) throws AllTrackersFailedException {
    List<TrackerException> failures = new ArrayList<>();
    Set<String> asked = new HashSet<>();
    /*
     * Simplified: one tracker at a time, each waiting out its own timeout. libtorrent announces to
     * all trackers (or all tiers) in parallel; one at a time keeps this chapter about the protocol,
     * at the cost of a slow first announce when the first trackers are dead.
     */
    // tag::tiers[]
    for (List<String> tier : tiers) {
      for (int i = 0; i < tier.size(); i++) {
        String url = tier.get(i);
        if (!asked.add(url)) {
          continue;
        }
        try {
          AnnounceResponse response = client(url).announce(request);
          // BEP 12: the tracker that answered moves to the front of its tier.
          tier.remove(i);
          tier.add(0, url);
          return new Announced(url, response, failures);
        } catch (TrackerException e) {
          failures.add(e);
        }
      }
    }
    // end::tiers[]
    throw new AllTrackersFailedException(failures);
  }

  /** The client for {@code url}, made on first use and kept with what it remembers. */
  private Tracker client(String url) throws TrackerException {
    Tracker client = clients.get(url);
    if (client == null) {
      client = factory.forUrl(url);
      clients.put(url, client);
    }
    return client;
  }
}
