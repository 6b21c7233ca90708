package dev.piecemeal.client.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.client.seed.Choker.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The choker driven by a clock moved by hand: peers are made in code, their counters grow as a
 * test says, and each round is one call at a time the test chooses. Nothing sleeps.
 */
class ChokerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long KIB = 1024;

  private long now;
  private final Map<String, FakePeer> connected = new LinkedHashMap<>();

  /** A connected peer as the engine sees it: counters that only grow, flags that change. */
  private final class FakePeer {
    final String name;
    long connectedAt = now;
    boolean interested = true;
    boolean amInterested;
    long received;
    long sent;
    OptionalLong lastBlockAt = OptionalLong.empty();

    FakePeer(String name) {
      this.name = name;
    }

    /** The peer sends us {@code bytes} of blocks now. */
    FakePeer sends(long bytes) {
      received += bytes;
      lastBlockAt = OptionalLong.of(now);
      return this;
    }

    /** We send the peer {@code bytes} of blocks now. */
    FakePeer takes(long bytes) {
      sent += bytes;
      return this;
    }

    /** We are interested in the peer: its silence can now snub it. */
    FakePeer wanted() {
      amInterested = true;
      return this;
    }

    FakePeer notInterested() {
      interested = false;
      return this;
    }

    ChokerPeer<String> snapshot() {
      return new ChokerPeer<>(name, interested, amInterested, received, sent, connectedAt, lastBlockAt);
    }
  }

  private Choker<String> choker(int slots) {
    return new Choker<>(slots, () -> now);
  }

  private void at(double seconds) {
    now = (long) (seconds * SECOND);
  }

  private FakePeer connect(String name) {
    FakePeer peer = new FakePeer(name);
    connected.put(name, peer);
    return peer;
  }

  private FakePeer peer(String name) {
    return connected.get(name);
  }

  private ChokeDecision<String> decide(Choker<String> choker, Mode mode) {
    List<ChokerPeer<String>> snapshot = new ArrayList<>();
    for (FakePeer peer : connected.values()) {
      snapshot.add(peer.snapshot());
    }
    return choker.decide(snapshot, mode);
  }

  private ChokeDecision<String> downloading(Choker<String> choker) {
    return decide(choker, Mode.DOWNLOADING);
  }

  private ChokeDecision<String> seeding(Choker<String> choker) {
    return decide(choker, Mode.SEEDING);
  }

  @Nested
  class BetweenRounds {
    @Test
    void aNewcomerGetsAFreeRegularSlotAtOnceNotAtTheNextRound() {
      Choker<String> choker = choker(4);
      connect("a");
      seeding(choker); // the round at 0 s: one peer, three slots free

      at(2);
      connect("b");
      connect("c");
      ChokeDecision<String> decision = seeding(choker);

      assertThat(decision.regular()).as("at 2 s, between rounds").containsExactly("a", "b", "c");
    }

    @Test
    void aNewcomerWaitsForTheRoundWhenEverySlotIsTaken() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      seeding(choker); // a holds the one regular slot, b the optimistic one

      at(2);
      connect("c");
      ChokeDecision<String> decision = seeding(choker);

      assertThat(decision.unchoked()).as("at 2 s").containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aSlotFreedByAPeerThatLeftGoesToOneWaitingAtOnce() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      connect("c");
      seeding(choker); // a regular, b optimistic, c waits

      at(3);
      connected.remove("a");
      ChokeDecision<String> decision = seeding(choker);

      assertThat(decision.regular()).containsExactly("c");
      assertThat(decision.optimistic()).contains("b");
    }
  }

  @Nested
  class Downloading {
    @Test
    void unchokesTheFourPeersThatSentUsTheMostInTheLastRound() {
      Choker<String> choker = choker(4);
      for (String name : List.of("a", "b", "c", "d", "e", "f")) {
        connect(name).wanted();
      }
      downloading(choker);

      at(5);
      peer("a").sends(10 * KIB);
      peer("b").sends(50 * KIB);
      peer("c").sends(20 * KIB);
      peer("e").sends(40 * KIB);
      peer("f").sends(30 * KIB);
      at(10);
      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).as("fastest first").containsExactly("b", "e", "f", "c");
      assertThat(decision.unchoked()).hasSize(5).doesNotContain("d");
    }

    @Test
    void measuresTheLastRoundNotTheWholeConnection() {
      Choker<String> choker = choker(1);
      connect("a").wanted();
      connect("b").wanted();
      downloading(choker);
      at(5);
      peer("a").sends(100 * KIB);
      peer("b").sends(10 * KIB);
      at(10);
      assertThat(downloading(choker).regular()).containsExactly("a");

      at(15);
      peer("a").sends(5 * KIB);
      peer("b").sends(20 * KIB);
      at(20);

      assertThat(downloading(choker).regular()).as("a sent more in all, b more in the last 10 s").containsExactly("b");
    }

    @Test
    void unchokesEveryInterestedPeerWhenThereAreFewerThanSlots() {
      Choker<String> choker = choker(4);
      connect("a");
      connect("b");
      connect("c");

      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).containsExactly("a", "b", "c");
      assertThat(decision.optimistic()).as("nobody is left to unchoke optimistically").isEmpty();
    }

    @Test
    void leavesAPeerThatIsNotInterestedChokedEvenWithASlotFree() {
      Choker<String> choker = choker(4);
      connect("a");
      connect("seed").notInterested().wanted();
      at(5);
      peer("seed").sends(500 * KIB);

      at(10);

      assertThat(downloading(choker).unchoked()).containsExactly("a");
    }

    @Test
    void keepsItsDecisionBetweenRounds() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      assertThat(downloading(choker).regular()).containsExactly("a");

      at(5);
      peer("b").sends(100 * KIB);
      assertThat(downloading(choker).regular()).as("5 s: no round yet").containsExactly("a");
      at(9.9);
      assertThat(downloading(choker).regular()).as("9.9 s: no round yet").containsExactly("a");
      at(10);
      assertThat(downloading(choker).regular()).as("10 s: a round").containsExactly("b");
    }

    @Test
    void countsAReconnectedPeerFromZeroNotFromItsOldTotal() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      downloading(choker);
      at(5);
      peer("a").sends(100 * KIB);
      peer("b").sends(50 * KIB);
      at(10);
      downloading(choker);

      at(12);
      connect("a").sends(20 * KIB); // a new connection under the same key: its totals start again
      peer("b").sends(10 * KIB);
      at(20);

      assertThat(downloading(choker).regular()).as("a: 20 KiB since it came back, b: 10 KiB").containsExactly("a");
    }
  }

  @Nested
  class Ties {
    @Test
    void goToThePeerAlreadyUnchoked() {
      Choker<String> choker = choker(1);
      connect("old").notInterested();
      downloading(choker);
      at(5);
      connect("new");
      at(10);
      assertThat(downloading(choker).regular()).containsExactly("new");

      at(15);
      peer("old").interested = true;
      at(20);
      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).as("neither sent anything; new was unchoked").containsExactly("new");
      assertThat(decision.optimistic()).hasValue("old");
    }

    @Test
    void thenToTheOlderConnectionWhateverTheOrderOfTheSnapshot() {
      Choker<String> choker = choker(2);
      connect("a");
      downloading(choker);
      at(6);
      connect("x");
      connect("y").connectedAt = 5 * SECOND; // older than x, though after it in the snapshot
      at(10);

      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).containsExactly("a", "y");
      assertThat(decision.optimistic()).hasValue("x");
    }
  }

  @Nested
  class Seeding {
    @Test
    void unchokesThePeersWeSendTheMostTo() {
      Choker<String> choker = choker(2);
      for (String name : List.of("a", "b", "c", "d")) {
        connect(name);
      }
      ChokeDecision<String> first = seeding(choker);
      assertThat(first.regular()).containsExactly("a", "b");
      assertThat(first.optimistic()).hasValue("c");

      at(5);
      peer("a").takes(10 * KIB);
      peer("b").takes(30 * KIB);
      peer("c").takes(50 * KIB);
      at(10);
      ChokeDecision<String> decision = seeding(choker);

      assertThat(decision.regular()).containsExactly("c", "b");
      assertThat(decision.optimistic()).as("c earned a slot; d has never been unchoked").hasValue("d");
    }

    @Test
    void countsNothingSentToAPeerWeHadChoked() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      connect("c");
      seeding(choker); // a regular, b optimistic, c choked

      at(5);
      peer("a").takes(10 * KIB);
      peer("c").takes(64 * KIB); // blocks still in flight when it was choked
      at(10);

      assertThat(seeding(choker).regular()).containsExactly("a");
    }

    @Test
    void ranksByWhatWeReceiveWhileDownloadingAndByWhatWeSendWhileSeeding() {
      Choker<String> downloadingChoker = choker(1);
      Choker<String> seedingChoker = choker(1);
      connect("a");
      connect("b");
      downloading(downloadingChoker);
      seeding(seedingChoker);

      at(5);
      peer("a").sends(50 * KIB).takes(10 * KIB);
      peer("b").sends(10 * KIB).takes(50 * KIB);
      at(10);

      assertThat(downloading(downloadingChoker).regular()).as("downloading").containsExactly("a");
      assertThat(seeding(seedingChoker).regular()).as("seeding").containsExactly("b");
    }

    @Test
    void snubsNobody() {
      Choker<String> choker = choker(1);
      connect("a").wanted();
      seeding(choker);

      at(70);

      assertThat(seeding(choker).regular()).containsExactly("a");
    }
  }

  @Nested
  class Optimistic {
    /** a holds the one regular slot by sending 10 KiB every round; b, c, d wait, choked. */
    private Choker<String> oneFastPeerAndThreeWaiting() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      connect("c");
      connect("d");
      return choker;
    }

    private String roundAt(Choker<String> choker, int seconds) {
      at(seconds - 5);
      peer("a").sends(10 * KIB);
      at(seconds);
      ChokeDecision<String> decision = downloading(choker);
      assertThat(decision.regular()).containsExactly("a");
      return decision.optimistic().orElse("-");
    }

    @Test
    void movesOnEvery30SecondsNotEveryRoundAndGivesEachWaitingPeerItsTurn() {
      Choker<String> choker = oneFastPeerAndThreeWaiting();
      List<String> optimistic = new ArrayList<>();

      for (int seconds = 5; seconds <= 95; seconds += 10) {
        optimistic.add(roundAt(choker, seconds));
      }

      assertThat(optimistic).as("the optimistic peer at 5, 15, ..., 95 s")
          .containsExactly("b", "b", "b", "c", "c", "c", "d", "d", "d", "b");
    }

    @Test
    void prefersANewPeerToOneThatHasWaitedLonger() {
      Choker<String> choker = oneFastPeerAndThreeWaiting();
      connected.remove("d");
      roundAt(choker, 5);   // b
      roundAt(choker, 35);  // c
      at(45);
      connect("new");

      assertThat(roundAt(choker, 65)).as("b has waited since 35 s, but new was never unchoked").isEqualTo("new");
    }

    @Test
    void movesOnAtOnceWhenItsPeerEarnsARegularSlot() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      connect("c");
      assertThat(downloading(choker).optimistic()).hasValue("b");

      at(5);
      peer("a").sends(10 * KIB);
      peer("b").sends(50 * KIB);
      at(10);
      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).containsExactly("b");
      assertThat(decision.optimistic()).as("c was never unchoked, a was at 0 s").hasValue("c");
      at(30);
      peer("b").sends(KIB);
      assertThat(downloading(choker).optimistic()).as("30 s: 20 s into c's turn").hasValue("c");
      at(40);
      peer("b").sends(KIB);
      assertThat(downloading(choker).optimistic()).as("40 s: 30 s after c's turn began").hasValue("a");
    }

    @Test
    void isChosenAgainAtTheNextRoundWhenItsPeerLeaves() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      connect("c");
      assertThat(downloading(choker).optimistic()).hasValue("b");

      at(5);
      connected.remove("b");
      assertThat(downloading(choker).unchoked()).as("5 s: b left").containsExactly("a");
      at(10);

      assertThat(downloading(choker).optimistic()).hasValue("c");
    }
  }

  @Nested
  class Snubbing {
    /** One slot; a connected at 0 s and b at 30 s; we want data from both, neither sends any. */
    private Choker<String> twoSilentPeers() {
      Choker<String> choker = choker(1);
      connect("a").wanted();
      for (int seconds = 0; seconds <= 50; seconds += 10) {
        at(seconds);
        if (seconds == 30) {
          connect("b").wanted();
        }
        assertThat(downloading(choker).regular()).as("%d s", seconds).containsExactly("a");
      }
      return choker;
    }

    @Test
    void takesTheRegularSlotFromAPeerSilentFor60SecondsButLeavesItTheOptimisticOne() {
      Choker<String> choker = twoSilentPeers();

      at(60);
      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).as("a has sent nothing for 60 s, b for 30 s").containsExactly("b");
      assertThat(decision.optimistic()).as("anti-snubbing: only the optimistic slot for a").hasValue("a");
    }

    @Test
    void endsWhenABlockArrives() {
      Choker<String> choker = twoSilentPeers();
      at(60);
      downloading(choker);

      at(65);
      peer("a").sends(16 * KIB);
      at(70);

      assertThat(downloading(choker).regular()).containsExactly("a");
    }

    @Test
    void givesASnubbedPeerNoRegularSlotEvenWhenOneIsFree() {
      Choker<String> choker = choker(4);
      connect("a").wanted();
      downloading(choker);

      at(60);
      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).isEmpty();
      assertThat(decision.optimistic()).hasValue("a");
    }

    @Test
    void needsUsToBeInterested() {
      Choker<String> choker = choker(1);
      connect("a"); // interested in us; we want nothing from it
      downloading(choker);

      at(70);

      assertThat(downloading(choker).regular()).containsExactly("a");
    }
  }

  @Nested
  class Leaving {
    @Test
    void aPeerThatDisconnectsDisappearsAtOnce() {
      Choker<String> choker = choker(2);
      connect("a");
      connect("b");
      connect("c");
      assertThat(downloading(choker).unchoked()).containsExactly("a", "b", "c");

      at(3);
      connected.remove("a");

      assertThat(downloading(choker).unchoked()).containsExactly("b", "c");
    }

    @Test
    void aPeerThatLosesInterestIsChokedAtOnceAndGetsNoSlotAfter() {
      Choker<String> choker = choker(2);
      connect("a");
      connect("b");
      downloading(choker);

      at(3);
      peer("a").notInterested();
      assertThat(downloading(choker).unchoked()).containsExactly("b");
      at(10);

      assertThat(downloading(choker).unchoked()).containsExactly("b");
    }
  }

  @Nested
  class Slots {
    @Test
    void zeroSlotsUnchokesNobodyNotEvenOptimistically() {
      Choker<String> choker = choker(0);
      connect("a").sends(KIB);
      connect("b");

      assertThat(downloading(choker).unchoked()).isEmpty();
      at(30);
      assertThat(seeding(choker).unchoked()).isEmpty();
    }

    @Test
    void oneSlotUnchokesTheFastestAndOneMoreOptimistically() {
      Choker<String> choker = choker(1);
      connect("a");
      connect("b");
      connect("c");
      downloading(choker);
      at(5);
      peer("c").sends(KIB);
      at(10);

      ChokeDecision<String> decision = downloading(choker);

      assertThat(decision.regular()).containsExactly("c");
      assertThat(decision.unchoked()).hasSize(2);
    }

    @Test
    void refusesANegativeNumberOfSlots() {
      assertThatThrownBy(() -> choker(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("upload slots -1 is negative");
    }

    @Test
    void refusesTwoPeersWithTheSameKey() {
      Choker<String> choker = choker(4);
      ChokerPeer<String> peer = new ChokerPeer<>("a", true, false, 0, 0, 0, OptionalLong.empty());

      assertThatThrownBy(() -> choker.decide(List.of(peer, peer), Mode.DOWNLOADING))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("peer a is in the snapshot twice");
    }
  }
}
