package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnnouncerTest {
  private static final PeerAddress SEEDER = PeerAddress.parse("127.0.0.1:51413");

  /** Counters a test sets by hand; the announcer reads them at each announce. */
  private static final class Counters implements TransferCounters {
    volatile long uploaded;
    volatile long downloaded;
    volatile long left;

    @Override
    public long uploaded() {
      return uploaded;
    }

    @Override
    public long downloaded() {
      return downloaded;
    }

    @Override
    public long left() {
      return left;
    }
  }

  private static AnnounceSetup setup(String url) {
    return new AnnounceSetup(List.of(List.of(url)), InfoHash.fromBytes(new byte[20]), PeerId.random(),
        6881, 42, Duration.ofSeconds(5), Duration.ZERO, Destinations.ANY);
  }

  @Test
  void reportsUploadedDownloadedAndLeftAsTheyAreAtEachAnnounce() throws Exception {
    Counters counters = new Counters();
    counters.left = 1000;
    try (TestTracker tracker = new TestTracker(List.of(SEEDER))) {
      CountDownLatch answered = new CountDownLatch(1);
      Announcer announcer = new Announcer(setup(tracker.announceUrl()), counters, line -> answered.countDown());
      announcer.start();
      assertThat(answered.await(10, TimeUnit.SECONDS)).as("the tracker answered").isTrue();

      counters.uploaded = 5000;
      counters.downloaded = 700;
      counters.left = 300;
      announcer.close(); // says "stopped", and waits for it

      List<String> queries = tracker.queries();
      assertThat(queries).hasSize(2);
      assertThat(parameters(queries.get(0)))
          .containsEntry("event", "started")
          .containsEntry("uploaded", "0").containsEntry("downloaded", "0").containsEntry("left", "1000");
      assertThat(parameters(queries.get(1)))
          .containsEntry("event", "stopped")
          .containsEntry("uploaded", "5000").containsEntry("downloaded", "700").containsEntry("left", "300");
    }
  }

  @Test
  void keepsTheTrackersPeersUntilTheEngineTakesThemOnce() throws Exception {
    try (TestTracker tracker = new TestTracker(List.of(SEEDER))) {
      CountDownLatch answered = new CountDownLatch(1);
      Announcer announcer = new Announcer(setup(tracker.announceUrl()), new Counters(), line -> answered.countDown());
      announcer.start();
      assertThat(answered.await(10, TimeUnit.SECONDS)).as("the tracker answered").isTrue();

      assertThat(announcer.takeFound()).containsExactly(SEEDER);
      assertThat(announcer.takeFound()).as("taken already").isEmpty();
      announcer.close();
    }
  }

  private static Map<String, String> parameters(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String parameter : query.split("&")) {
      int equals = parameter.indexOf('=');
      parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
    }
    return parameters;
  }
}
