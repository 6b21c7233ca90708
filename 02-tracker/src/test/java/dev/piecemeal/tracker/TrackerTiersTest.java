package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrackerTiersTest {
  private static final AnnounceResponse ANSWER = new AnnounceResponse(
      900, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
      Optional.empty(), Optional.empty(), List.of(), Map.of());

  /** Trackers that answer when their URL is in {@code working}, and note who was asked. */
  private final List<String> asked = new ArrayList<>();

  private TrackerTiers.Factory trackers(Set<String> working) {
    return url -> new Tracker() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public AnnounceResponse announce(AnnounceRequest request) throws TrackerException {
        asked.add(url);
        if (!working.contains(url)) {
          throw new TrackerException(url, "connection refused");
        }
        return ANSWER;
      }
    };
  }

  /** No shuffling effect: a tier of one, or a seed whose order the test reads back first. */
  private static TrackerTiers tiers(List<List<String>> tiers, TrackerTiers.Factory factory) {
    return new TrackerTiers(tiers, factory, new Random(1));
  }

  @Test
  void triesTheNextTierOnlyWhenAWholeTierFailed() throws Exception {
    TrackerTiers tiers = tiers(List.of(List.of("http://a"), List.of("http://b"), List.of("http://c")),
        trackers(Set.of("http://b", "http://c")));

    TrackerTiers.Announced announced = tiers.announce(TestRequests.started());

    assertThat(announced.trackerUrl()).isEqualTo("http://b");
    assertThat(asked).containsExactly("http://a", "http://b");
    assertThat(announced.failures()).extracting(TrackerException::reason).containsExactly("connection refused");
  }

  @Test
  void shufflesEachTierOnce() {
    List<String> five = List.of("http://1", "http://2", "http://3", "http://4", "http://5");
    TrackerTiers tiers = new TrackerTiers(List.of(five), trackers(Set.of()), new Random(42));

    List<String> order = tiers.tiers().get(0);
    assertThat(order).containsExactlyInAnyOrderElementsOf(five).isNotEqualTo(five);
    assertThatThrownBy(() -> tiers.announce(TestRequests.started()));
    assertThat(tiers.tiers().get(0)).as("failures do not reorder a tier").isEqualTo(order);
  }

  @Test
  void movesTheTrackerThatAnsweredToTheFrontOfItsTier() throws Exception {
    List<String> three = List.of("http://1", "http://2", "http://3");
    TrackerTiers tiers = tiers(List.of(three), trackers(Set.of("http://2")));
    List<String> before = tiers.tiers().get(0);

    tiers.announce(TestRequests.started());

    List<String> expected = new ArrayList<>(before);
    expected.remove("http://2");
    expected.add(0, "http://2");
    assertThat(tiers.tiers().get(0)).isEqualTo(expected);
    asked.clear();
    tiers.announce(TestRequests.started());
    assertThat(asked).as("the next announce asks it first").containsExactly("http://2");
  }

  @Test
  void reportsEveryTrackersFailureWhenNoneAnswers() {
    TrackerTiers tiers = tiers(List.of(List.of("http://a"), List.of("wss://b")), trackersOrRefuse());

    assertThatThrownBy(() -> tiers.announce(TestRequests.started()))
        .isInstanceOfSatisfying(AllTrackersFailedException.class, e -> {
          assertThat(e.failures()).extracting(f -> f.tracker().orElseThrow())
              .containsExactly("http://a", "wss://b");
          assertThat(e.failures().get(1).reason()).contains("unsupported tracker scheme 'wss'");
        })
        .hasMessageContaining("no tracker answered (2 tried)");
  }

  @Test
  void asksAUrlListedTwiceOnce() {
    TrackerTiers tiers = tiers(List.of(List.of("http://a"), List.of("http://a")), trackers(Set.of()));

    assertThatThrownBy(() -> tiers.announce(TestRequests.started()))
        .isInstanceOf(AllTrackersFailedException.class);
    assertThat(asked).containsExactly("http://a");
  }

  @Test
  void saysSoWhenTheTorrentNamesNoTracker() {
    TrackerTiers tiers = tiers(List.of(), trackers(Set.of()));

    assertThatThrownBy(() -> tiers.announce(TestRequests.started()))
        .isInstanceOf(AllTrackersFailedException.class)
        .hasMessageContaining("names no tracker");
  }

  /** Fakes for http URLs, and the real factory for the others, which refuses a wss URL. */
  private TrackerTiers.Factory trackersOrRefuse() {
    TrackerTiers.Factory fakes = trackers(Set.of());
    return url -> url.startsWith("http") ? fakes.forUrl(url) : Trackers.forUrl(url);
  }
}
