package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.messages.BlockRequest;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RequestPipelineTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long QUEUE_TIME = 3 * SECOND;
  private static final int BLOCK = BlockRequest.MAX_LENGTH;

  /** Feeds {@code blocks} blocks spread evenly over {@code seconds}, starting at 0. */
  private static long feed(RequestPipeline pipeline, int blocks, double seconds) {
    long now = 0;
    for (int i = 0; i < blocks; i++) {
      now = (long) (i * seconds * SECOND / blocks);
      BlockRequest block = new BlockRequest(i, 0, BLOCK);
      pipeline.sent(block, now);
      pipeline.received(block, now);
    }
    return now;
  }

  @Nested
  class Depth {
    @Test
    void startsAtTheMinimumBeforeAnyBlockArrives() {
      RequestPipeline pipeline = RequestPipeline.adaptive(QUEUE_TIME, 0);
      assertThat(pipeline.depth(0)).isEqualTo(RequestPipeline.MIN_DEPTH);
      assertThat(pipeline.wanted(0)).isEqualTo(4);
    }

    @Test
    void holdsThreeSecondsOfTheMeasuredRate() {
      RequestPipeline pipeline = RequestPipeline.adaptive(QUEUE_TIME, 0);
      // 64 blocks over 2 s: 512 KiB/s, so 3 s of it is 1.5 MiB = 96 blocks
      long now = feed(pipeline, 64, 2.0);
      assertThat(pipeline.bytesPerSecond(now)).isBetween(500_000.0, 560_000.0);
      assertThat(pipeline.depth(now)).isBetween(94, 99);
    }

    @Test
    void staysAtTheMinimumForASlowPeer() {
      RequestPipeline pipeline = RequestPipeline.adaptive(QUEUE_TIME, 0);
      long now = feed(pipeline, 2, 4.0); // 2 blocks in 2 s, 16 KiB/s: 3 s of it is 3 blocks
      assertThat(pipeline.depth(now)).isEqualTo(RequestPipeline.MIN_DEPTH);
    }

    @Test
    void isCappedAt500ForAVeryFastPeer() {
      RequestPipeline pipeline = RequestPipeline.adaptive(QUEUE_TIME, 0);
      long now = feed(pipeline, 20_000, 1.0); // 312 MiB/s
      assertThat(pipeline.depth(now)).isEqualTo(RequestPipeline.MAX_DEPTH);
    }

    @Test
    void neverExceedsThePeersOwnLimit() {
      RequestPipeline pipeline = RequestPipeline.adaptive(QUEUE_TIME, 0);
      pipeline.limitTo(250);
      long now = feed(pipeline, 20_000, 1.0);
      assertThat(pipeline.depth(now)).isEqualTo(250);
    }

    @Test
    void fallsAgainWhenThePeerSlowsDown() {
      RequestPipeline pipeline = RequestPipeline.adaptive(QUEUE_TIME, 0);
      long now = feed(pipeline, 20_000, 1.0);
      assertThat(pipeline.depth(now + 10 * SECOND)).as("ten quiet seconds later").isEqualTo(RequestPipeline.MIN_DEPTH);
    }

    @Test
    void aFixedPipelineIgnoresTheRate() {
      RequestPipeline pipeline = RequestPipeline.fixed(5, 0);
      long now = feed(pipeline, 20_000, 1.0);
      assertThat(pipeline.depth(now)).isEqualTo(5);
    }

    @Test
    void wantedIsTheDepthLessWhatIsOut() {
      RequestPipeline pipeline = RequestPipeline.fixed(5, 0);
      pipeline.sent(new BlockRequest(0, 0, BLOCK), 0);
      pipeline.sent(new BlockRequest(0, BLOCK, BLOCK), 0);
      assertThat(pipeline.wanted(0)).isEqualTo(3);
    }
  }

  @Nested
  class Answers {
    private final RequestPipeline pipeline = RequestPipeline.fixed(5, 0);
    private final BlockRequest a = new BlockRequest(3, 0, BLOCK);
    private final BlockRequest b = new BlockRequest(3, BLOCK, BLOCK);

    @Test
    void aBlockWeAskedForAnswersItsRequest() {
      pipeline.sent(a, 0);
      assertThat(pipeline.isUnasked(a)).isFalse();
      assertThat(pipeline.received(a, 1)).isTrue();
      assertThat(pipeline.outstanding()).isZero();
    }

    @Test
    void aBlockWeNeverAskedForIsUnasked() {
      pipeline.sent(a, 0);
      assertThat(pipeline.isUnasked(b)).isTrue();
    }

    @Test
    void aBlockDroppedByAChokeMayStillArrive() {
      pipeline.sent(a, 0);
      pipeline.sent(b, 0);
      List<BlockRequest> dropped = pipeline.clear();
      assertThat(dropped).containsExactly(a, b);
      assertThat(pipeline.isUnasked(a)).isFalse();
      assertThat(pipeline.received(a, 1)).as("answers no request of ours any more").isFalse();
      assertThat(pipeline.isUnasked(a)).as("but only once").isTrue();
    }

    /** The same block asked three times across two chokes: each of the three answers is ours. */
    @Test
    void everyCopyOfABlockWeAskedForRepeatedlyMayArrive() {
      for (int round = 0; round < 3; round++) {
        pipeline.sent(a, round);
        pipeline.clear(); // a choke; the peer ignored it and will answer every request
      }
      for (int copy = 0; copy < 3; copy++) {
        assertThat(pipeline.isUnasked(a)).as("copy %d", copy + 1).isFalse();
        pipeline.received(a, 10 + copy);
      }
      assertThat(pipeline.isUnasked(a)).as("a fourth copy was never asked for").isTrue();
    }

    @Test
    void aCancelledBlockMayStillArrive() {
      pipeline.sent(a, 0);
      assertThat(pipeline.remove(a)).isTrue();
      assertThat(pipeline.outstanding()).isZero();
      assertThat(pipeline.isUnasked(a)).isFalse();
    }
  }

  @Nested
  class Stalls {
    @Test
    void countsTheWaitFromTheFirstRequestAfterAnEmptyPipeline() {
      RequestPipeline pipeline = RequestPipeline.fixed(5, 0);
      pipeline.sent(new BlockRequest(0, 0, BLOCK), 100 * SECOND);
      assertThat(pipeline.waitingNanos(130 * SECOND)).isEqualTo(30 * SECOND);
    }

    @Test
    void aBlockArrivingRestartsTheWait() {
      RequestPipeline pipeline = RequestPipeline.fixed(5, 0);
      BlockRequest first = new BlockRequest(0, 0, BLOCK);
      pipeline.sent(first, 0);
      pipeline.sent(new BlockRequest(0, BLOCK, BLOCK), 0);
      pipeline.received(first, 40 * SECOND);
      assertThat(pipeline.waitingNanos(50 * SECOND)).isEqualTo(10 * SECOND);
    }

    @Test
    void nothingOutIsNoWait() {
      RequestPipeline pipeline = RequestPipeline.fixed(5, 0);
      assertThat(pipeline.waitingNanos(500 * SECOND)).isZero();
    }
  }
}
