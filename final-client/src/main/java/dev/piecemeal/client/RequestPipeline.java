package dev.piecemeal.client;

import dev.piecemeal.messages.BlockRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requests we have sent one peer and not yet had answered, and how many there should be. A
 * peer sends only what we asked for, so the queue of requests on its side must never run dry: every
 * round trip spent waiting for our next REQUEST is time its upload sits idle. The right depth
 * depends on the peer's speed, so it is measured, not fixed (libtorrent's "request queue time"):
 *
 * <pre>
 * depth = rate × queue time / 16 KiB, between 4 and 500 (and the peer's own limit, BEP 10 reqq)
 *   a peer at  50 KiB/s, queue time 3 s:   150 KiB / 16 KiB =   10 requests out
 *   a peer at  40 MiB/s, queue time 3 s:   120 MiB / 16 KiB = 7680 → 500 requests out (8 MiB)
 * </pre>
 *
 * <p>A fixed depth of 5 (what many small clients use) allows 80 KiB in flight: at a 1 ms round trip
 * that caps a peer at 80 MB/s, at 50 ms at 1.6 MB/s, however fast the peer is. Deep enough for the
 * fastest peers, the depth stays shallow for slow ones, so a slow peer never holds many blocks that
 * others could have sent.
 *
 * <p>Blocks taken away without an answer (a CANCEL we sent, a CHOKE that dropped them) are
 * remembered for a while, with how many copies may still come: a block already on the wire may
 * still arrive, and is not a protocol error then. After a choke and an unchoke the same block can
 * be asked of the same peer again, and a peer that ignored the choke answers both requests; each
 * answer to a request we sent is counted, so a peer answering what we asked is never at fault.
 *
 * <p>Thread-safe: the peer's own thread sends and receives; another peer's thread may cancel a
 * block (endgame). Every method is {@code synchronized} on this small object and never blocks.
 */
final class RequestPipeline {

  /** The fewest requests kept out to a peer that unchoked us, whatever its rate. */
  static final int MIN_DEPTH = 4;
  /** The most requests kept out to one peer (libtorrent's default max_out_request_queue). */
  static final int MAX_DEPTH = DownloadOptions.MAX_PIPELINE_DEPTH;
  /** How many different blocks taken back are remembered as "may still arrive". */
  private static final int FORGIVEN_LIMIT = 2 * MAX_DEPTH;

  private final int fixedDepth;
  private final long queueTimeNanos;
  private final RateMeter rate;
  private final Set<BlockRequest> outstanding = new LinkedHashSet<>();
  /** Blocks taken back, and how many copies of each may still arrive; the oldest is forgotten first. */
  private final Map<BlockRequest, Integer> forgiven = new LinkedHashMap<>();
  private int peerLimit = MAX_DEPTH;
  private long lastActivity;

  private RequestPipeline(int fixedDepth, long queueTimeNanos, long nowNanos) {
    this.fixedDepth = fixedDepth;
    this.queueTimeNanos = queueTimeNanos;
    this.rate = new RateMeter(4_000_000_000L, nowNanos);
    this.lastActivity = nowNanos;
  }

  /** A pipeline whose depth follows the peer's rate: {@code queueTimeNanos} of data in flight. */
  static RequestPipeline adaptive(long queueTimeNanos, long nowNanos) {
    return new RequestPipeline(0, queueTimeNanos, nowNanos);
  }

  /** A pipeline of a fixed depth, for comparison in benchmarks and the chapter. */
  static RequestPipeline fixed(int depth, long nowNanos) {
    if (depth < 1) {
      throw new IllegalArgumentException("pipeline depth " + depth + " is not positive");
    }
    return new RequestPipeline(depth, 0, nowNanos);
  }

  /**
   * The peer said how many requests it queues (BEP 10 extension handshake, {@code reqq}): the
   * depth never goes above it, as libtorrent's never does. A peer that does not say keeps our own
   * cap of {@value #MAX_DEPTH}.
   */
  synchronized void limitTo(int reqq) {
    peerLimit = Math.max(1, Math.min(MAX_DEPTH, reqq));
  }

  // tag::depth[]
  /** How many requests should be out now: the peer's rate times the queue time, in blocks. */
  synchronized int depth(long nowNanos) {
    if (fixedDepth > 0) {
      return Math.min(fixedDepth, peerLimit);
    }
    double bytesInQueueTime = rate.bytesPerSecond(nowNanos) * queueTimeNanos / 1e9;
    long blocks = (long) Math.ceil(bytesInQueueTime / BlockRequest.MAX_LENGTH);
    return (int) Math.max(Math.min(MIN_DEPTH, peerLimit), Math.min(blocks, peerLimit));
  }
  // end::depth[]

  /** How many more requests to send now to bring the pipeline to its depth; 0 if it is full. */
  synchronized int wanted(long nowNanos) {
    return Math.max(0, depth(nowNanos) - outstanding.size());
  }

  /** A request went out. */
  synchronized void sent(BlockRequest block, long nowNanos) {
    if (outstanding.isEmpty()) {
      lastActivity = nowNanos; // the stall clock starts when the pipeline stops being empty
    }
    outstanding.add(block);
  }

  /**
   * A block arrived. True if it answers a request of ours that is still out; false if it is one we
   * took back (cancelled, dropped by a choke) and it was already on the wire. Ask {@link
   * #isUnasked} first.
   */
  synchronized boolean received(BlockRequest block, long nowNanos) {
    rate.add(block.length(), nowNanos);
    lastActivity = nowNanos;
    if (outstanding.remove(block)) {
      return true;
    }
    forgiven.computeIfPresent(block, (b, copies) -> copies == 1 ? null : copies - 1);
    return false;
  }

  /** True if this block was never asked of the peer (nor taken back): the peer broke the protocol. */
  synchronized boolean isUnasked(BlockRequest block) {
    return !outstanding.contains(block) && !forgiven.containsKey(block);
  }

  /** We cancelled this block (endgame) or the peer rejected it: no longer out. */
  synchronized boolean remove(BlockRequest block) {
    boolean removed = outstanding.remove(block);
    if (removed) {
      forgive(block);
    }
    return removed;
  }

  /** The peer choked us or went away: every request is dropped; returns them. */
  synchronized List<BlockRequest> clear() {
    List<BlockRequest> dropped = new ArrayList<>(outstanding);
    for (BlockRequest block : dropped) {
      forgive(block);
    }
    outstanding.clear();
    return dropped;
  }

  /** Requests out now. */
  synchronized int outstanding() {
    return outstanding.size();
  }

  /** The peer's rate over the last few seconds, in bytes per second. */
  synchronized double bytesPerSecond(long nowNanos) {
    return rate.bytesPerSecond(nowNanos);
  }

  /**
   * How long requests have been out with no block arriving, in nanoseconds; 0 when none is out. A
   * peer that keeps requests this long without answering has stalled.
   */
  synchronized long waitingNanos(long nowNanos) {
    return outstanding.isEmpty() ? 0 : nowNanos - lastActivity;
  }

  private void forgive(BlockRequest block) {
    forgiven.merge(block, 1, Integer::sum);
    if (forgiven.size() > FORGIVEN_LIMIT) {
      Iterator<BlockRequest> oldest = forgiven.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }
}
