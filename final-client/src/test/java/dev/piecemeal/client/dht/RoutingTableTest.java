package dev.piecemeal.client.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The routing table on a clock moved by hand: ids are made so that a reader sees which bucket
 * each falls in (our id is all zeros, so the first byte says it: {@code 80…} shares no bit with
 * us, {@code 40…} one, {@code 20…} two), and fifteen minutes pass in one assignment.
 */
class RoutingTableTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final NodeId OURS = NodeId.fromHex("0000000000000000000000000000000000000000");

  private long now;
  private final RoutingTable table = new RoutingTable(OURS, () -> now, new Random(1));

  /** A node whose id starts with {@code firstByte} and ends with {@code n}, at 127.0.0.1:{@code 10000 + n}. */
  private static NodeInfo node(int firstByte, int n) {
    byte[] id = new byte[20];
    id[0] = (byte) firstByte;
    id[18] = (byte) (n >>> 8);
    id[19] = (byte) n;
    return new NodeInfo(NodeId.fromBytes(id), new InetSocketAddress("127.0.0.1", 10_000 + n));
  }

  /** Eight nodes that answered, all in the half of the id space without our id. */
  private List<NodeInfo> fillTheFarHalf() {
    List<NodeInfo> far = new ArrayList<>();
    for (int n = 1; n <= RoutingTable.K; n++) {
      NodeInfo node = node(0x80, n);
      table.responded(node);
      far.add(node);
    }
    return far;
  }

  @Nested
  class Splits {
    @Test
    void startsWithOneBucketThatTakesEightNodes() {
      fillTheFarHalf();
      assertThat(table.bucketCount()).isEqualTo(1);
      assertThat(table.size()).isEqualTo(8);
    }

    @Test
    void splitsTheFullBucketThatHoldsOurIdAndNeverTheOther() {
      fillTheFarHalf();
      table.responded(node(0x80, 9));   // a ninth far node: the one bucket holds our id, so it splits
      assertThat(table.bucketCount()).as("buckets after the first split").isEqualTo(2);
      assertThat(table.bucketNodes(0)).as("bucket 0, ids starting with 1").hasSize(8);
      assertThat(table.replacementNodes(0)).as("the ninth waits").containsExactly(node(0x80, 9));

      table.responded(node(0xc0, 10));   // bucket 0 is full but does not hold our id: no split
      assertThat(table.bucketCount()).isEqualTo(2);
      assertThat(table.replacementNodes(0)).hasSize(2);
    }

    @Test
    void splitsAgainAndAgainTowardsOurOwnId() {
      for (int n = 1; n <= 8; n++) {
        table.responded(node(0x40, n));   // 8 nodes sharing exactly 1 bit with us
      }
      table.responded(node(0x20, 9));     // shares 2 bits: two splits later it has a bucket
      assertThat(table.bucketCount()).isEqualTo(3);
      assertThat(table.bucketNodes(0)).as("ids starting 1").isEmpty();
      assertThat(table.bucketNodes(1)).as("ids starting 01").hasSize(8);
      assertThat(table.bucketNodes(2)).as("ids starting 00").containsExactly(node(0x20, 9));
    }

    @Test
    void aFloodOfNodesStaysWithinTheBounds() {
      Random random = new Random(42);
      for (int n = 0; n < 10_000; n++) {
        table.responded(new NodeInfo(NodeId.random(random),
            new InetSocketAddress("127.0.0.1", 1 + n % 65_000)));
      }
      assertThat(table.bucketCount()).isLessThanOrEqualTo(RoutingTable.MAX_BUCKETS);
      assertThat(table.size()).isLessThanOrEqualTo(table.bucketCount() * RoutingTable.K);
      for (int i = 0; i < table.bucketCount(); i++) {
        assertThat(table.replacementNodes(i)).hasSizeLessThanOrEqualTo(RoutingTable.REPLACEMENTS);
      }
    }

    @Test
    void neverHoldsOurOwnId() {
      table.responded(new NodeInfo(OURS, new InetSocketAddress("127.0.0.1", 6881)));
      assertThat(table.size()).isZero();
    }
  }

  @Nested
  class Status {
    @Test
    void aNodeThatAnsweredIsGoodForFifteenMinutes() {
      NodeInfo node = node(0x80, 1);
      table.responded(node);
      now = 15 * MINUTE - 1;
      assertThat(table.status(node.id())).hasValue(NodeStatus.GOOD);
      now = 15 * MINUTE;
      assertThat(table.status(node.id())).hasValue(NodeStatus.QUESTIONABLE);
    }

    @Test
    void aQueryFromANodeThatOnceAnsweredKeepsItGood() {
      NodeInfo node = node(0x80, 1);
      table.responded(node);
      now = 20 * MINUTE;
      table.queriedUs(node);
      assertThat(table.status(node.id())).hasValue(NodeStatus.GOOD);
      now = 35 * MINUTE;
      assertThat(table.status(node.id())).hasValue(NodeStatus.QUESTIONABLE);
    }

    @Test
    void threeUnansweredQueriesInARowMakeANodeBadAndAnAnswerMakesItGoodAgain() {
      NodeInfo node = node(0x80, 1);
      table.responded(node);
      table.failed(node);
      table.failed(node);
      assertThat(table.status(node.id())).as("after two").hasValue(NodeStatus.GOOD);
      table.failed(node);
      assertThat(table.status(node.id())).as("after three").hasValue(NodeStatus.BAD);
      table.queriedUs(node);
      assertThat(table.status(node.id())).as("a query is not an answer").hasValue(NodeStatus.BAD);
      table.responded(node);
      assertThat(table.status(node.id())).hasValue(NodeStatus.GOOD);
    }

    @Test
    void ignoresAnIdItKnowsAtAnotherAddress() {
      NodeInfo node = node(0x80, 1);
      table.responded(node);
      NodeInfo impostor = new NodeInfo(node.id(), new InetSocketAddress("127.0.0.1", 9));
      table.failed(impostor);
      table.failed(impostor);
      table.failed(impostor);
      table.responded(impostor);
      assertThat(table.status(node.id())).hasValue(NodeStatus.GOOD);
      assertThat(table.closest(node.id(), 1)).containsExactly(node);
    }
  }

  @Nested
  class Replacement {
    @Test
    void theNewestWaitingNodeTakesThePlaceOfANodeThatTurnsBad() {
      List<NodeInfo> far = fillTheFarHalf();
      table.responded(node(0x80, 9));
      table.responded(node(0x80, 10));   // two wait, the newest is 10
      NodeInfo silent = far.get(3);
      for (int i = 0; i < RoutingTable.BAD_AFTER_FAILURES; i++) {
        table.failed(silent);
      }
      assertThat(table.bucketNodes(0)).contains(node(0x80, 10)).doesNotContain(silent);
      assertThat(table.replacementNodes(0)).containsExactly(node(0x80, 9));
      assertThat(table.status(silent.id())).isEmpty();
    }

    @Test
    void aBadNodeWithNoneWaitingStaysUntilANewcomerTakesItsPlace() {
      List<NodeInfo> far = fillTheFarHalf();
      table.responded(node(0x20, 50));   // split: bucket 0 no longer holds our id
      NodeInfo silent = far.get(0);
      for (int i = 0; i < RoutingTable.BAD_AFTER_FAILURES; i++) {
        table.failed(silent);
      }
      assertThat(table.status(silent.id())).hasValue(NodeStatus.BAD);
      assertThat(table.closest(silent.id(), 20)).as("bad nodes are never handed out")
          .doesNotContain(silent);

      table.responded(node(0x80, 9));
      assertThat(table.bucketNodes(0)).contains(node(0x80, 9)).doesNotContain(silent);
      assertThat(table.replacementNodes(0)).isEmpty();
    }

    @Test
    void asksForAPingOfTheStalestQuestionableNodeWhereANodeWaits() {
      List<NodeInfo> far = fillTheFarHalf();
      table.responded(node(0x80, 9));   // waits
      assertThat(table.nodesToPing()).as("all good").isEmpty();
      now = 5 * MINUTE;
      for (NodeInfo node : far.subList(1, 8)) {
        table.responded(node);          // all but the first answer again
      }
      now = 16 * MINUTE;
      assertThat(table.nodesToPing()).containsExactly(far.get(0));
    }

    @Test
    void aWaitingNodeThatFailsIsForgotten() {
      fillTheFarHalf();
      table.responded(node(0x80, 9));
      table.failed(node(0x80, 9));
      assertThat(table.replacementNodes(0)).isEmpty();
    }
  }

  @Nested
  class Refresh {
    @Test
    void aBucketUnchangedForFifteenMinutesNeedsALookupForAnIdInIt() {
      fillTheFarHalf();
      table.responded(node(0x40, 20));   // splits: bucket 0 (ids 1…) and bucket 1 (ids 0…)
      now = 10 * MINUTE;
      table.responded(node(0x80, 1));    // bucket 0 changes at 10 minutes
      now = 15 * MINUTE;
      List<NodeId> targets = table.refreshTargets();
      assertThat(targets).as("only bucket 1 is 15 minutes old").hasSize(1);
      assertThat(OURS.commonPrefixLength(targets.get(0))).as("an id in bucket 1").isGreaterThanOrEqualTo(1);
      assertThat(table.refreshTargets()).as("asked once per 15 minutes").isEmpty();

      now = 25 * MINUTE;
      List<NodeId> later = table.refreshTargets();
      assertThat(later).hasSize(1);
      assertThat(OURS.commonPrefixLength(later.get(0))).as("an id in bucket 0").isZero();
    }

    @Test
    void aNewTableNeedsNoRefreshBeforeFifteenMinutes() {
      now = 15 * MINUTE - 1;
      assertThat(table.refreshTargets()).isEmpty();
    }
  }

  @Test
  void closestReturnsTheNodesNearestTheTargetInOrder() {
    Random random = new Random(3);
    List<NodeInfo> all = new ArrayList<>();
    for (int n = 1; n <= 50; n++) {
      NodeInfo node = new NodeInfo(NodeId.random(random), new InetSocketAddress("127.0.0.1", n));
      all.add(node);
      table.responded(node);
    }
    NodeId target = NodeId.random(random);
    List<NodeInfo> inTable = table.closest(OURS, 1000);
    List<NodeInfo> expected = new ArrayList<>(inTable);
    expected.sort((a, b) -> target.closerTo(a.id(), b.id()));

    assertThat(table.closest(target, 8)).containsExactlyElementsOf(expected.subList(0, 8));
    assertThat(all).containsAll(inTable);
  }

  @Test
  void savesEveryNodeThatIsNotBad() {
    NodeInfo kept = node(0x80, 1);
    NodeInfo silent = node(0x80, 2);
    table.responded(kept);
    table.responded(silent);
    for (int i = 0; i < RoutingTable.BAD_AFTER_FAILURES; i++) {
      table.failed(silent);
    }
    assertThat(table.saved()).isEqualTo(new SavedTable(OURS, List.of(kept)));
  }
}
