package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.client.UploadQueue.Verdict;
import dev.piecemeal.messages.BlockRequest;
import org.junit.jupiter.api.Test;

class UploadQueueTest {
  private static final int BLOCK = BlockRequest.MAX_LENGTH;
  /** Three pieces of 2 blocks, the last one 20000 bytes; we have pieces 0 and 2. */
  private final UploadQueue queue = new UploadQueue(3, piece -> piece != 1, piece -> piece == 2 ? 20000 : 2 * BLOCK);

  @Test
  void ignoresRequestsWhileWeChokeThePeer() {
    assertThat(queue.request(new BlockRequest(0, 0, BLOCK))).isEqualTo(Verdict.CHOKED);
    assertThat(queue.size()).isZero();
  }

  @Test
  void queuesWhatWeCanSendAndHandsItOutOldestFirst() {
    queue.unchoke();
    assertThat(queue.request(new BlockRequest(0, BLOCK, BLOCK))).isEqualTo(Verdict.QUEUED);
    assertThat(queue.request(new BlockRequest(2, 0, BLOCK))).isEqualTo(Verdict.QUEUED);

    assertThat(queue.next()).isEqualTo(new BlockRequest(0, BLOCK, BLOCK));
    assertThat(queue.next()).isEqualTo(new BlockRequest(2, 0, BLOCK));
    assertThat(queue.next()).isNull();
  }

  @Test
  void refusesAPieceWeLackAndOnePastTheLast() {
    queue.unchoke();
    assertThat(queue.request(new BlockRequest(1, 0, BLOCK))).isEqualTo(Verdict.NOT_OURS);
    assertThat(queue.request(new BlockRequest(3, 0, BLOCK))).isEqualTo(Verdict.NOT_OURS);
  }

  @Test
  void refusesABlockThatRunsPastTheEndOfItsPiece() {
    queue.unchoke();
    assertThat(queue.request(new BlockRequest(2, BLOCK, 20000 - BLOCK))).as("the last block, exactly")
        .isEqualTo(Verdict.QUEUED);
    assertThat(queue.request(new BlockRequest(2, BLOCK, BLOCK))).isEqualTo(Verdict.OUTSIDE_PIECE);
    assertThat(queue.request(new BlockRequest(0, 2 * BLOCK, 1))).isEqualTo(Verdict.OUTSIDE_PIECE);
  }

  @Test
  void holdsAtMost250RequestsHoweverManyArrive() {
    UploadQueue big = new UploadQueue(1, piece -> true, piece -> 1 << 30);
    big.unchoke();
    int queued = 0;
    for (int i = 0; i < 10_000; i++) {
      if (big.request(new BlockRequest(0, i * BLOCK, BLOCK)) == Verdict.QUEUED) {
        queued++;
      }
    }
    assertThat(queued).isEqualTo(UploadQueue.MAX_QUEUED);
    assertThat(big.size()).isEqualTo(250);
  }

  @Test
  void dropsACopyOfARequestAlreadyWaiting() {
    queue.unchoke();
    queue.request(new BlockRequest(0, 0, BLOCK));
    assertThat(queue.request(new BlockRequest(0, 0, BLOCK))).isEqualTo(Verdict.DUPLICATE);
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void aCancelledRequestIsNeverSent() {
    queue.unchoke();
    queue.request(new BlockRequest(0, 0, BLOCK));
    assertThat(queue.cancel(new BlockRequest(0, 0, BLOCK))).isTrue();
    assertThat(queue.next()).isNull();
    assertThat(queue.cancel(new BlockRequest(0, 0, BLOCK))).as("gone already").isFalse();
  }

  @Test
  void aChokeDropsEveryWaitingRequestAndReturnsThemToReject() {
    queue.unchoke();
    queue.request(new BlockRequest(0, 0, BLOCK));
    queue.request(new BlockRequest(2, 0, BLOCK));

    assertThat(queue.choke()).containsExactly(new BlockRequest(0, 0, BLOCK), new BlockRequest(2, 0, BLOCK));
    assertThat(queue.size()).isZero();
    assertThat(queue.request(new BlockRequest(0, 0, BLOCK))).isEqualTo(Verdict.CHOKED);
  }
}
