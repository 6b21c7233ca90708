package dev.piecemeal.tracker.server;

import static dev.piecemeal.tracker.server.TestAnnounces.OTHER_TORRENT;
import static dev.piecemeal.tracker.server.TestAnnounces.TORRENT;
import static dev.piecemeal.tracker.server.TestAnnounces.announce;
import static dev.piecemeal.tracker.server.TestAnnounces.peerId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The tracker's memory, without HTTP: a clock moved by hand, a seeded random source. */
class TrackedTorrentsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final long LEECHING = 1000;
  private static final long SEEDING = 0;

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = now::get;

  private TrackedTorrents tracker(TrackerSettings settings) {
    return new TrackedTorrents(settings, clock, new Random(17));
  }

  private void advance(Duration time) {
    now.set(now.get().plus(time));
  }

  private static int port(TrackedPeer peer) {
    return peer.address().port();
  }

  @Test
  void answersTheFirstPeerWithNoPeersAndTheSecondWithTheFirst() throws Exception {
    TrackedTorrents tracker = tracker(TrackerSettings.defaults());

    TrackedTorrents.Answer first = tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
    TrackedTorrents.Answer second = tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

    assertThat(first.peers()).isEmpty();
    assertThat(second.peers()).singleElement().satisfies(peer -> {
      assertThat(peer.address()).isEqualTo(new PeerAddress(LOOPBACK, 6881));
      assertThat(peer.peerId()).isEqualTo(peerId(1));
    });
  }

  @Test
  void neverHandsAPeerItself() throws Exception {
    TrackedTorrents tracker = tracker(TrackerSettings.defaults());
    for (int n = 1; n <= 5; n++) {
      tracker.announce(announce(TORRENT, n, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
    }

    TrackedTorrents.Answer answer = tracker.announce(announce(TORRENT, 3, LEECHING, AnnounceEvent.NONE), LOOPBACK);

    assertThat(answer.peers()).map(TrackedTorrentsTest::port).containsExactlyInAnyOrder(6881, 6882, 6884, 6885);
  }

  @Test
  void countsSeedersAsCompleteAndTheRestAsIncompleteTheAnnouncingPeerIncluded() throws Exception {
    TrackedTorrents tracker = tracker(TrackerSettings.defaults());
    tracker.announce(announce(TORRENT, 1, SEEDING, AnnounceEvent.STARTED), LOOPBACK);
    tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

    TrackedTorrents.Answer answer = tracker.announce(announce(TORRENT, 3, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

    assertThat(answer.complete()).isEqualTo(1);
    assertThat(answer.incomplete()).isEqualTo(2);
  }

  @Test
  void movesAPeerThatFinishedFromIncompleteToComplete() throws Exception {
    TrackedTorrents tracker = tracker(TrackerSettings.defaults());
    tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

    TrackedTorrents.Answer answer = tracker.announce(announce(TORRENT, 1, SEEDING, AnnounceEvent.COMPLETED), LOOPBACK);

    assertThat(answer.complete()).isEqualTo(1);
    assertThat(answer.incomplete()).isZero();
  }

  @Test
  void keepsTorrentsApart() throws Exception {
    TrackedTorrents tracker = tracker(TrackerSettings.defaults());
    tracker.announce(announce(OTHER_TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

    TrackedTorrents.Answer answer = tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

    assertThat(answer.peers()).isEmpty();
    assertThat(answer.incomplete()).isEqualTo(1);
  }

  @Nested
  class Stopped {
    @Test
    void removesThePeerAndHandsOutNone() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults());
      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
      tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      TrackedTorrents.Answer goodbye = tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STOPPED), LOOPBACK);
      TrackedTorrents.Answer after = tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.NONE), LOOPBACK);

      assertThat(goodbye.peers()).as("a leaving peer needs no peers").isEmpty();
      assertThat(goodbye.incomplete()).isEqualTo(1);
      assertThat(after.peers()).isEmpty();
    }

    @Test
    void forgetsATorrentWhoseLastPeerStopped() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults());
      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STOPPED), LOOPBACK);

      assertThat(tracker.torrentCount()).isZero();
    }

    @Test
    void storesNothingForAStoppedAnnounceOfAnUnknownTorrent() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults());

      TrackedTorrents.Answer answer = tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STOPPED), LOOPBACK);

      assertThat(answer.complete() + answer.incomplete()).isZero();
      assertThat(tracker.torrentCount()).isZero();
    }
  }

  @Nested
  class Expiry {
    @Test
    void forgetsAPeerTwiceTheIntervalAfterItsLastAnnounce() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults().withInterval(60));
      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      advance(Duration.ofSeconds(119));
      TrackedTorrents.Answer justBefore = tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
      advance(Duration.ofSeconds(1));
      TrackedTorrents.Answer at = tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.NONE), LOOPBACK);

      assertThat(justBefore.peers()).as("119 s after its announce").hasSize(1);
      assertThat(at.peers()).as("120 s, twice the interval, after its announce").isEmpty();
      assertThat(at.incomplete()).isEqualTo(1);
    }

    @Test
    void keepsAPeerThatReannouncesWithinTheInterval() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults().withInterval(60));
      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
      for (int minute = 0; minute < 5; minute++) {
        advance(Duration.ofSeconds(60));
        tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.NONE), LOOPBACK);
      }

      TrackedTorrents.Answer answer = tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      assertThat(answer.peers()).map(TrackedTorrentsTest::port).containsExactly(6881);
    }
  }

  @Nested
  class Numwant {
    private TrackedTorrents trackerWith(int peers) throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults());
      for (int n = 1; n <= peers; n++) {
        tracker.announce(announce(TORRENT, n, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
      }
      return tracker;
    }

    private static AnnounceQuery wanting(int numwant) {
      return new AnnounceQuery(TORRENT, peerId(0), 6880, 0, 0, LEECHING, AnnounceEvent.STARTED,
          OptionalInt.of(numwant), true);
    }

    @Test
    void handsOutFiftyPeersWhenTheAnnounceDoesNotSay() throws Exception {
      TrackedTorrents tracker = trackerWith(80);

      TrackedTorrents.Answer answer = tracker.announce(announce(TORRENT, 100, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      assertThat(answer.peers()).hasSize(TrackerSettings.DEFAULT_NUMWANT).doesNotHaveDuplicates();
    }

    @Test
    void handsOutAtMostTwoHundredWhateverTheAnnounceAsks() throws Exception {
      TrackedTorrents tracker = trackerWith(250);

      assertThat(tracker.announce(wanting(1000), LOOPBACK).peers()).hasSize(TrackerSettings.MAX_NUMWANT);
    }

    @Test
    void handsOutNoneForNumwantZero() throws Exception {
      TrackedTorrents tracker = trackerWith(3);

      assertThat(tracker.announce(wanting(0), LOOPBACK).peers()).isEmpty();
    }

    @Test
    void picksADifferentSampleEachTime() throws Exception {
      TrackedTorrents tracker = trackerWith(40);

      var first = tracker.announce(wanting(5), LOOPBACK).peers();
      var second = tracker.announce(wanting(5), LOOPBACK).peers();

      assertThat(first).hasSize(5);
      assertThat(second).hasSize(5).isNotEqualTo(first);
    }
  }

  @Nested
  class Caps {
    @Test
    void refusesAPeerBeyondTheCapOfOneTorrentAndKeepsTheOthers() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults().withCaps(10, 2));
      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
      tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      assertThatThrownBy(() -> tracker.announce(announce(TORRENT, 3, LEECHING, AnnounceEvent.STARTED), LOOPBACK))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessage("torrent " + TORRENT.hex() + " has 2 peers, the most this tracker holds for one torrent");
      assertThat(tracker.announce(announce(TORRENT, 2, LEECHING, AnnounceEvent.NONE), LOOPBACK).peers())
          .as("a peer already known still re-announces").hasSize(1);
    }

    @Test
    void refusesATorrentBeyondTheCap() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults().withCaps(1, 10));
      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      assertThatThrownBy(() -> tracker.announce(announce(OTHER_TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessage("this tracker holds 1 torrents, its most; torrent " + OTHER_TORRENT.hex() + " is not tracked");
      assertThat(tracker.torrentCount()).isEqualTo(1);
    }

    @Test
    void makesRoomForANewTorrentOnceTheOldOnesPeersHaveExpired() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults().withInterval(60).withCaps(1, 10));
      tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);
      advance(Duration.ofSeconds(120));

      tracker.announce(announce(OTHER_TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK);

      assertThat(tracker.torrentCount()).isEqualTo(1);
    }
  }

  @Nested
  class Whitelist {
    @Test
    void servesATorrentOnTheList() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults().servingOnly(Set.of(TORRENT)));

      assertThat(tracker.announce(announce(TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK).incomplete())
          .isEqualTo(1);
    }

    @Test
    void refusesATorrentNotOnTheListAndStoresNothing() throws Exception {
      TrackedTorrents tracker = tracker(TrackerSettings.defaults().servingOnly(Set.of(TORRENT)));

      assertThatThrownBy(() -> tracker.announce(announce(OTHER_TORRENT, 1, LEECHING, AnnounceEvent.STARTED), LOOPBACK))
          .isInstanceOf(AnnounceRefusedException.class)
          .hasMessage("torrent " + OTHER_TORRENT.hex() + " is not served by this tracker");
      assertThat(tracker.torrentCount()).isZero();
    }
  }
}
