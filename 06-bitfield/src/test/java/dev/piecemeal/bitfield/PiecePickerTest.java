package dev.piecemeal.bitfield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.messages.BlockRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PiecePickerTest {

  private static final int BLOCK = PiecePicker.BLOCK_LENGTH;

  /** A picker over {@code pieces} pieces of 4 blocks each, nothing verified yet. */
  private static PiecePicker<String> picker(int pieces, long seed) {
    return new PiecePicker<>(pieces * 4L * BLOCK, 4 * BLOCK, new Bitfield(pieces), new Random(seed));
  }

  private static Bitfield pieces(int count, int... present) {
    Bitfield bitfield = new Bitfield(count);
    for (int piece : present) {
      bitfield.set(piece);
    }
    return bitfield;
  }

  private static BlockRequest block(int piece, int index) {
    return new BlockRequest(piece, index * BLOCK, BLOCK);
  }

  @Nested
  class RarestFirst {

    @Test
    void beginsThePieceFewestPeersHave() {
      PiecePicker<String> picker = picker(4, 1);
      picker.peerHaveAll("A");
      picker.peerHas("B", pieces(4, 0, 1, 2));
      picker.peerHas("C", pieces(4, 0, 1));
      // availability: 3 3 2 1

      assertThat(picker.nextRequests("A", 4))
          .as("piece 3: only A has it")
          .containsExactly(block(3, 0), block(3, 1), block(3, 2), block(3, 3));
      assertThat(picker.nextRequests("A", 1)).as("then piece 2").containsExactly(block(2, 0));
    }

    @Test
    void picksOnlyPiecesThePeerHas() {
      PiecePicker<String> picker = picker(4, 1);
      picker.peerHave("A", 1);
      picker.peerHave("B", 3);
      assertThat(picker.nextRequests("A", 100))
          .extracting(BlockRequest::pieceIndex)
          .containsOnly(1);
    }

    @Test
    void followsAvailabilityAsPeersComeAndGo() {
      PiecePicker<String> picker = picker(3, 1);
      picker.peerHas("A", pieces(3, 0, 1, 2));
      picker.peerHas("B", pieces(3, 0, 2));
      picker.peerHas("C", pieces(3, 0, 1));
      picker.peerGone("B");
      // availability: 2 2 1; before B left, piece 1 was the rarest

      assertThat(picker.availability(2)).isEqualTo(1);
      assertThat(picker.nextRequests("A", 1)).containsExactly(block(2, 0));
    }

    @Test
    void choosesAtRandomAmongEquallyRarePieces() {
      Map<Integer, Integer> firstPicks = new HashMap<>();
      // Seeds 0, 1, 2... would make Random's first outputs alike; draw the seeds from one Random.
      Random seeds = new Random(2026);
      for (int trial = 0; trial < 400; trial++) {
        PiecePicker<String> picker = picker(20, seeds.nextLong());
        picker.peerHaveAll("A");
        int first = picker.nextRequests("A", 1).get(0).pieceIndex();
        firstPicks.merge(first, 1, Integer::sum);
      }
      assertThat(firstPicks.keySet()).as("every piece is sometimes first").hasSize(20);
      assertThat(Collections.max(firstPicks.values()))
          .as("no piece is first far more often than 400 / 20 = 20 times")
          .isLessThan(40);
    }

    @Test
    void sendsPeersThatStartTogetherToDifferentPieces() {
      PiecePicker<String> picker = picker(50, 3);
      List<String> peers = List.of("A", "B", "C", "D", "E");
      Set<Integer> begun = new HashSet<>();
      for (String peer : peers) {
        picker.peerHaveAll(peer);
      }
      for (String peer : peers) {
        begun.add(picker.nextRequests(peer, 4).get(0).pieceIndex());
      }
      assertThat(begun).hasSize(5);
      assertThat(begun).as("not just the first pieces in order").isNotEqualTo(Set.of(0, 1, 2, 3, 4));
    }

    @Test
    void neverAsksForAPieceWeHave() {
      Bitfield have = pieces(3, 0, 2);
      PiecePicker<String> picker = new PiecePicker<>(3 * BLOCK, BLOCK, have, new Random(1));
      picker.peerHaveAll("A");
      assertThat(picker.nextRequests("A", 10)).containsExactly(new BlockRequest(1, 0, BLOCK));
      assertThat(picker.nextRequests("A", 10)).as("nothing else to ask for").isEmpty();
    }

    @Test
    void saysWhichPiecesWeHaveForAPeerThatRequestsThem() {
      PiecePicker<String> picker = new PiecePicker<>(3 * BLOCK, BLOCK, pieces(3, 0, 2), new Random(1));
      picker.pieceVerified(1);

      assertThat(picker.has(1)).as("verified now").isTrue();
      assertThat(picker.has(0)).as("on disk at start").isTrue();
      assertThat(picker.has(3)).as("past the last piece").isFalse();
      assertThat(picker.has(-1)).isFalse();
    }

    @Test
    void refusesABitfieldOfAnotherSize() {
      PiecePicker<String> picker = picker(3, 1);
      assertThatThrownBy(() -> picker.peerHas("A", new Bitfield(4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bitfield of 4 pieces, expected 3");
    }

    @Test
    void asksNothingOfAPeerThatSaidNothing() {
      PiecePicker<String> picker = picker(3, 1);
      assertThat(picker.nextRequests("A", 10)).isEmpty();
      picker.peerHaveNone("B");
      assertThat(picker.nextRequests("B", 10)).isEmpty();
      assertThat(picker.isInteresting("B")).isFalse();
    }
  }

  @Nested
  class Blocks {

    @Test
    void cutsPiecesInto16KiBBlocksAndTheLastOneShort() {
      // 40000 bytes in pieces of 32768: piece 0 is two full blocks, piece 1 is 7232 bytes
      PiecePicker<String> picker =
          new PiecePicker<>(40000, 2 * BLOCK, new Bitfield(2), new Random(1));
      picker.peerHaveAll("A");
      assertThat(picker.nextRequests("A", 10))
          .containsExactlyInAnyOrder(
              new BlockRequest(0, 0, BLOCK),
              new BlockRequest(0, BLOCK, BLOCK),
              new BlockRequest(1, 0, 7232));
    }

    @Test
    void cutsTheLastBlockOfAPieceThatIsNotAMultipleOf16KiB() {
      PiecePicker<String> picker =
          new PiecePicker<>(2 * 20000, 20000, new Bitfield(2), new Random(1));
      picker.peerHas("A", pieces(2, 0));
      assertThat(picker.nextRequests("A", 10))
          .containsExactly(new BlockRequest(0, 0, BLOCK), new BlockRequest(0, BLOCK, 20000 - BLOCK));
    }

    @Test
    void finishesStartedPiecesBeforeNewOnes() {
      PiecePicker<String> picker = picker(4, 1);
      picker.peerHas("A", pieces(4, 0));
      picker.peerHaveAll("B");
      picker.peerHaveAll("C");
      // availability: 3 2 2 2; A can only begin piece 0
      assertThat(picker.nextRequests("A", 2)).containsExactly(block(0, 0), block(0, 1));

      List<BlockRequest> forB = picker.nextRequests("B", 4);

      assertThat(forB.subList(0, 2))
          .as("the rest of piece 0 first, although piece 0 is the most common")
          .containsExactly(block(0, 2), block(0, 3));
      assertThat(forB.subList(2, 4)).extracting(BlockRequest::pieceIndex).doesNotContain(0);
    }

    @Test
    void letsSeveralPeersWorkOnOnePiece() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      assertThat(picker.nextRequests("A", 1)).containsExactly(block(0, 0));
      assertThat(picker.nextRequests("B", 1)).containsExactly(block(0, 1));
      assertThat(picker.nextRequests("A", 1)).containsExactly(block(0, 2));
      assertThat(picker.requestedFrom("A")).containsExactly(block(0, 0), block(0, 2));
    }

    @Test
    void reportsAPieceCompleteWhenItsLastBlockArrives() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      List<BlockRequest> blocks = picker.nextRequests("A", 4);

      List<Boolean> complete = new ArrayList<>();
      for (BlockRequest block : blocks) {
        PiecePicker.Arrival<String> arrival = picker.blockReceived("A", block);
        assertThat(arrival.wanted()).isTrue();
        complete.add(arrival.pieceComplete());
      }
      assertThat(complete).containsExactly(false, false, false, true);

      picker.pieceVerified(0);
      assertThat(picker.isComplete()).isTrue();
      assertThat(picker.have().toBytes()).containsExactly(0x80);
      assertThat(picker.nextRequests("A", 4)).isEmpty();
    }

    @Test
    void dropsABlockNobodyAskedFor() {
      PiecePicker<String> picker = picker(2, 1);
      picker.peerHaveAll("A");
      assertThat(picker.blockReceived("A", block(1, 0)).wanted()).isFalse();
      picker.nextRequests("A", 1);
      assertThat(picker.blockReceived("A", new BlockRequest(0, 100, 50)).wanted())
          .as("a block not cut the way we cut them")
          .isFalse();
    }
  }

  @Nested
  class GivingBlocksBack {

    @Test
    void returnsADisconnectedPeersBlocksToThePool() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      List<BlockRequest> forA = picker.nextRequests("A", 2);

      picker.peerGone("A");

      assertThat(picker.availability(0)).isEqualTo(1);
      assertThat(picker.requestedFrom("A")).isEmpty();
      assertThat(picker.nextRequests("B", 4)).containsAll(forA).hasSize(4);
    }

    @Test
    void returnsAChokingPeersRequests() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      List<BlockRequest> forA = picker.nextRequests("A", 3);

      assertThat(picker.peerChoked("A")).containsExactlyElementsOf(forA);

      assertThat(picker.nextRequests("B", 4)).containsAll(forA);
      assertThat(picker.isInteresting("A")).as("A still has what we need").isTrue();
    }

    @Test
    void returnsOneRejectedRequest() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      picker.nextRequests("A", 4);

      picker.requestRejected("A", block(0, 2));

      assertThat(picker.requestedFrom("A")).containsExactly(block(0, 0), block(0, 1), block(0, 3));
      assertThat(picker.nextRequests("B", 1)).containsExactly(block(0, 2));
    }

    @Test
    void returnsAllBlocksOfAPieceThatFailsItsHashCheck() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      for (BlockRequest block : picker.nextRequests("A", 4)) {
        picker.blockReceived("A", block);
      }

      picker.pieceFailed(0);

      assertThat(picker.isComplete()).isFalse();
      assertThat(picker.nextRequests("B", 4))
          .containsExactly(block(0, 0), block(0, 1), block(0, 2), block(0, 3));
    }

    @Test
    void keepsABlockThatArrivesAfterItWasGivenBack() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      picker.nextRequests("A", 1);
      picker.peerChoked("A");
      assertThat(picker.nextRequests("B", 1)).containsExactly(block(0, 0));

      // A's block was already on its way when A choked us
      PiecePicker.Arrival<String> arrival = picker.blockReceived("A", block(0, 0));

      assertThat(arrival.wanted()).isTrue();
      assertThat(arrival.cancelFrom()).as("B need not send it now").containsExactly("B");
      assertThat(picker.requestedFrom("B")).isEmpty();
    }
  }

  @Nested
  class Endgame {

    @Test
    void beginsOnlyWhenEveryMissingBlockIsOnRequest() {
      PiecePicker<String> picker = picker(2, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      List<BlockRequest> forA = picker.nextRequests("A", 7);
      assertThat(picker.isEndgame()).as("one block still free").isFalse();

      List<BlockRequest> forB = picker.nextRequests("B", 8);

      assertThat(forB.get(0)).as("the free block first").isNotIn(forA);
      assertThat(picker.isEndgame()).isTrue();
      assertThat(forB).as("then duplicates of A's, until B has 4 out").hasSize(PiecePicker.ENDGAME_PIPELINE);
      assertThat(forA).containsAll(forB.subList(1, 4));
    }

    /** A peer deep in its own requests is not handed copies of everyone else's. */
    @Test
    void givesDuplicatesOnlyToAPeerAboutToRunDry() {
      PiecePicker<String> picker = picker(4, 1); // 16 blocks
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      List<BlockRequest> forA = picker.nextRequests("A", 8);
      List<BlockRequest> forB = picker.nextRequests("B", 100);
      assertThat(forB).as("the 8 free blocks, and no copies: B has 8 out").hasSize(8).doesNotContainAnyElementsOf(forA);

      for (BlockRequest block : forB.subList(0, 6)) {
        picker.blockReceived("B", block);
      }
      assertThat(picker.nextRequests("B", 100)).as("B has 2 out: 2 copies of A's").hasSize(2)
          .allSatisfy(block -> assertThat(forA).contains(block));
    }

    @Test
    void asksASecondPeerForBlocksStillOut() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      picker.nextRequests("A", 4);
      picker.blockReceived("A", block(0, 0));

      assertThat(picker.nextRequests("B", 10))
          .as("the three blocks not yet arrived, also from B")
          .containsExactlyInAnyOrder(block(0, 1), block(0, 2), block(0, 3));
      assertThat(picker.nextRequests("B", 10)).as("never twice from the same peer").isEmpty();
    }

    @Test
    void cancelsTheDuplicatesWhenTheFirstCopyArrives() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      picker.peerHaveAll("C");
      picker.nextRequests("A", 4);
      picker.nextRequests("B", 4);
      picker.nextRequests("C", 4);

      PiecePicker.Arrival<String> first = picker.blockReceived("B", block(0, 3));

      assertThat(first.wanted()).isTrue();
      assertThat(first.cancelFrom()).containsExactlyInAnyOrder("A", "C");
      assertThat(picker.requestedFrom("A")).doesNotContain(block(0, 3));
      assertThat(picker.requestedFrom("C")).doesNotContain(block(0, 3));

      PiecePicker.Arrival<String> late = picker.blockReceived("A", block(0, 3));
      assertThat(late.wanted()).as("A sent it before our cancel reached it").isFalse();
      assertThat(late.cancelFrom()).isEmpty();
    }

    @Test
    void duplicatesTheBlocksWithFewestCopiesFirst() {
      PiecePicker<String> picker = picker(1, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      picker.peerHaveAll("C");
      picker.nextRequests("A", 4);
      picker.nextRequests("B", 2); // blocks 0 and 1 now on request twice

      assertThat(picker.nextRequests("C", 2)).containsExactly(block(0, 2), block(0, 3));
    }
  }

  @Nested
  class BoundOnPiecesBegun {

    /** A picker over {@code pieces} pieces of 4 blocks each that begins at most {@code bound} at once. */
    private PiecePicker<String> bounded(int pieces, int bound) {
      return new PiecePicker<>(pieces * 4L * BLOCK, 4 * BLOCK, new Bitfield(pieces), new Random(1), bound);
    }

    private void receiveAll(PiecePicker<String> picker, String peer, List<BlockRequest> blocks) {
      for (BlockRequest block : blocks) {
        assertThat(picker.blockReceived(peer, block).wanted()).as("%s wanted", block).isTrue();
      }
    }

    @Test
    void beginsNoMorePiecesThanTheBound() {
      PiecePicker<String> picker = bounded(10, 2);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");

      List<BlockRequest> forA = picker.nextRequests("A", 100);

      assertThat(forA).as("two pieces of 4 blocks").hasSize(8);
      assertThat(forA.stream().map(BlockRequest::pieceIndex).distinct()).hasSize(2);
      assertThat(picker.nextRequests("B", 100)).as("no third piece, and not endgame").isEmpty();
      assertThat(picker.piecesStarted()).isEqualTo(2);
    }

    @Test
    void neverHasMoreThanTheBoundBegunWhilePeersComeAndGo() {
      PiecePicker<String> picker = bounded(30, 3);
      Random random = new Random(5);
      List<String> peers = List.of("A", "B", "C", "D", "E");
      peers.forEach(picker::peerHaveAll);
      int maxSeen = 0;
      while (!picker.isComplete()) {
        String peer = peers.get(random.nextInt(peers.size()));
        List<BlockRequest> asked = picker.nextRequests(peer, 1 + random.nextInt(6));
        maxSeen = Math.max(maxSeen, picker.piecesStarted());
        for (BlockRequest block : asked) {
          if (random.nextInt(10) == 0) {
            picker.peerGone(peer); // leaves with the rest on request: they go back
            picker.peerHaveAll(peer);
            break;
          }
          PiecePicker.Arrival<String> arrival = picker.blockReceived(peer, block);
          if (arrival.pieceComplete()) {
            if (random.nextInt(5) == 0) {
              picker.pieceFailed(block.pieceIndex());
            } else {
              picker.pieceVerified(block.pieceIndex());
            }
          }
        }
      }
      assertThat(maxSeen).as("the most pieces begun at once").isEqualTo(3);
    }

    @Test
    void stillFinishesBegunPiecesFirstAtTheBound() {
      PiecePicker<String> picker = bounded(10, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      List<BlockRequest> forA = picker.nextRequests("A", 2);
      int piece = forA.get(0).pieceIndex();

      assertThat(picker.nextRequests("B", 10))
          .as("the rest of A's piece, and nothing new")
          .containsExactly(block(piece, 2), block(piece, 3));
    }

    @Test
    void handsThePieceOfAPeerThatLeftToTheNextPeerThatHasIt() {
      PiecePicker<String> picker = bounded(10, 1);
      picker.peerHaveAll("A");
      picker.peerHaveAll("B");
      List<BlockRequest> forA = picker.nextRequests("A", 4);
      receiveAll(picker, "A", forA.subList(0, 2));

      picker.peerGone("A");

      assertThat(picker.nextRequests("B", 10)).containsExactlyElementsOf(forA.subList(2, 4));
      assertThat(picker.piecesStarted()).isEqualTo(1);
    }

    @Test
    void aVerifiedPieceMakesRoomForTheNext() {
      PiecePicker<String> picker = bounded(10, 1);
      picker.peerHaveAll("A");
      List<BlockRequest> first = picker.nextRequests("A", 4);
      receiveAll(picker, "A", first);
      assertThat(picker.nextRequests("A", 4)).as("complete, but not verified yet: it holds its place").isEmpty();

      picker.pieceVerified(first.get(0).pieceIndex());

      assertThat(picker.nextRequests("A", 4)).hasSize(4)
          .extracting(BlockRequest::pieceIndex).doesNotContain(first.get(0).pieceIndex());
    }

    @Test
    void aFailedPieceMakesRoomForTheNext() {
      PiecePicker<String> picker = bounded(10, 1);
      picker.peerHaveAll("A");
      List<BlockRequest> first = picker.nextRequests("A", 4);
      receiveAll(picker, "A", first);

      picker.pieceFailed(first.get(0).pieceIndex());

      assertThat(picker.piecesStarted()).isZero();
      assertThat(picker.nextRequests("A", 4)).hasSize(4);
      assertThat(picker.piecesStarted()).isEqualTo(1);
    }
  }

  /**
   * A piece nobody can finish (its only peer left, half way) would hold its place at the bound for
   * ever. Time is a parameter here: each call says what time it is.
   */
  @Nested
  class DroppingAPieceNobodyFinishes {
    private static final long QUIET = 1_000;

    private PiecePicker<String> picker;
    private List<BlockRequest> halfOfPiece0;

    /** Bound 1. A had only piece 0 and left half way; B has every other piece and is refused one. */
    @BeforeEach
    void aPeerLeftHalfWay() {
      picker = new PiecePicker<>(4 * 4L * BLOCK, 4 * BLOCK, new Bitfield(4), new Random(1), 1);
      picker.peerHas("A", pieces(4, 0));
      picker.peerHas("B", pieces(4, 1, 2, 3));
      List<BlockRequest> forA = picker.nextRequests("A", 4);
      halfOfPiece0 = forA.subList(0, 2);
      for (BlockRequest block : halfOfPiece0) {
        picker.blockReceived("A", block);
      }
      picker.peerGone("A");
      assertThat(picker.nextRequests("B", 4)).as("refused: the bound is reached").isEmpty();
    }

    @Test
    void namesTheQuietPieceOnceItHasBeenQuietLongEnough() {
      assertThat(picker.pieceToDrop(0, QUIET)).as("first look: quiet from now on").isEmpty();
      picker.nextRequests("B", 4);
      assertThat(picker.pieceToDrop(QUIET - 1, QUIET)).as("not quiet long enough yet").isEmpty();
      picker.nextRequests("B", 4);

      assertThat(picker.pieceToDrop(QUIET, QUIET)).hasValue(0);
    }

    @Test
    void namesNoPieceWhenNoPeerWasRefusedSinceTheLastLook() {
      picker.pieceToDrop(0, QUIET);

      assertThat(picker.pieceToDrop(10 * QUIET, QUIET)).isEmpty();
    }

    @Test
    void namesNoPieceOnceThereIsRoomAgain() {
      PiecePicker<String> roomy = new PiecePicker<>(4 * 4L * BLOCK, 4 * BLOCK, new Bitfield(4), new Random(1), 2);
      roomy.peerHas("A", pieces(4, 0));
      roomy.peerHas("B", pieces(4, 1));
      roomy.peerHas("C", pieces(4, 2, 3));
      for (BlockRequest block : roomy.nextRequests("A", 2)) {
        roomy.blockReceived("A", block);
      }
      roomy.peerGone("A");
      List<BlockRequest> forB = roomy.nextRequests("B", 4);
      assertThat(roomy.nextRequests("C", 4)).as("refused: two pieces begun").isEmpty();
      roomy.pieceToDrop(0, QUIET);
      assertThat(roomy.nextRequests("C", 4)).isEmpty();
      for (BlockRequest block : forB) {
        roomy.blockReceived("B", block);
      }

      roomy.pieceVerified(1);

      assertThat(roomy.pieceToDrop(10 * QUIET, QUIET)).as("C can begin a piece: nothing need go").isEmpty();
    }

    @Test
    void countsABlockGivenBackAsActivity() {
      picker.peerHaveAll("C");
      picker.pieceToDrop(0, QUIET);
      List<BlockRequest> forC = picker.nextRequests("C", 1);
      picker.pieceToDrop(QUIET / 2, QUIET);
      picker.requestRejected("C", forC.get(0));
      picker.pieceToDrop(QUIET / 2 + 1, QUIET);
      picker.nextRequests("B", 4);

      assertThat(picker.pieceToDrop(QUIET + 1, QUIET))
          .as("quiet only since the request was given back")
          .isEmpty();
      picker.nextRequests("B", 4);
      assertThat(picker.pieceToDrop(QUIET / 2 + 1 + QUIET, QUIET)).hasValue(0);
    }

    @Test
    void neverNamesAPieceWithABlockOnRequest() {
      picker.peerHas("C", pieces(4, 0));
      picker.nextRequests("C", 1);
      picker.pieceToDrop(0, QUIET);
      picker.nextRequests("B", 4);

      assertThat(picker.pieceToDrop(10 * QUIET, QUIET)).isEmpty();
    }

    @Test
    void neverNamesACompletePieceWaitingForItsHashCheck() {
      picker.peerHas("C", pieces(4, 0));
      for (BlockRequest block : picker.nextRequests("C", 4)) {
        picker.blockReceived("C", block);
      }
      picker.pieceToDrop(0, QUIET);
      picker.nextRequests("B", 4);

      assertThat(picker.pieceToDrop(10 * QUIET, QUIET)).isEmpty();
    }

    @Test
    void droppedBlocksAreMissingAgainAndTheEmptyPieceFreesItsPlace() {
      picker.blocksDropped(0, halfOfPiece0);

      assertThat(picker.piecesStarted()).isZero();
      assertThat(picker.nextRequests("B", 4)).as("B may begin a piece now").hasSize(4);
      picker.peerHas("C", pieces(4, 0));
      picker.pieceFailed(picker.requestedFrom("B").get(0).pieceIndex()); // make room for piece 0
      assertThat(picker.nextRequests("C", 4)).as("all of piece 0 again")
          .containsExactly(block(0, 0), block(0, 1), block(0, 2), block(0, 3));
    }

    @Test
    void keepsABlockThatArrivedAfterTheOthersWereLetGo() {
      picker.peerHas("C", pieces(4, 0));
      List<BlockRequest> forC = picker.nextRequests("C", 1);
      picker.blockReceived("C", forC.get(0)); // in, but not yet in the caller's hands when it let go

      picker.blocksDropped(0, halfOfPiece0);

      assertThat(picker.piecesStarted()).as("piece 0 still holds a block").isEqualTo(1);
      assertThat(picker.nextRequests("C", 4))
          .as("the dropped blocks and the one never asked for")
          .containsExactlyInAnyOrder(halfOfPiece0.get(0), halfOfPiece0.get(1), block(0, 3));
    }
  }

  /**
   * Four peer threads download a whole torrent through one picker, each block delivered by
   * whoever asked for it: every block is stored exactly once whatever the interleaving.
   */
  @Test
  void staysConsistentWhenManyPeerThreadsShareIt() throws Exception {
    int pieces = 40;
    PiecePicker<String> picker = picker(pieces, 9);
    Set<BlockRequest> stored = ConcurrentHashMap.newKeySet();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (String peer : List.of("A", "B", "C", "D")) {
      picker.peerHaveAll(peer);
      Thread thread = new Thread(() -> {
        try {
          while (!picker.isComplete()) {
            for (BlockRequest block : picker.nextRequests(peer, 5)) {
              PiecePicker.Arrival<String> arrival = picker.blockReceived(peer, block);
              if (arrival.wanted()) {
                assertThat(stored.add(block)).as("stored once: %s", block).isTrue();
              }
              if (arrival.pieceComplete()) {
                picker.pieceVerified(block.pieceIndex());
              }
            }
            Thread.yield();
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }, "peer-" + peer);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
    assertThat(stored).hasSize(pieces * 4);
    assertThat(picker.isComplete()).isTrue();
  }
}
