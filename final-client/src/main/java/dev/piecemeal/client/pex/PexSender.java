package dev.piecemeal.client.pex;

import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What we last told one peer by peer exchange (BEP 11), and the next message to send it: the peers
 * connected now that it has not heard of from us ({@code added}), and those we told it of that are
 * gone ({@code dropped}). At most one message a minute, at most {@value #MAX_ADDED} added and
 * {@value #MAX_DROPPED} dropped in each; what does not fit waits for the next one.
 *
 * <pre>
 * told {A, B}      connected now {B, C, D}      → added C, D; dropped A      told {B, C, D}
 * 30 s later       connected now {B, C, D, E}   → nothing yet: less than a minute since the last
 * 60 s later       connected now {B, C, D, E}   → added E                    told {B, C, D, E}
 * </pre>
 *
 * <p>The first message may go at once; an empty one is never sent, and does not count as sent.
 * Pure, on a clock passed in ({@code nowNanos}); one owner, the engine's turn.
 *
 * <p>Simplified: a peer's flags are told once, with its first {@code added}. libtorrent sends a
 * peer again when its flags change (it became a seed); a stale flag costs the receiver one
 * unneeded dial at most.
 */
public final class PexSender {
  /** BEP 11: "no more than once a minute". */
  public static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** BEP 11: at most 50 added peers in one message. */
  public static final int MAX_ADDED = 50;
  /** And as many dropped. */
  public static final int MAX_DROPPED = 50;

  /** The peers this peer has heard of from us, in the order told; never more than we connect to. */
  private final Set<PeerAddress> told = new LinkedHashSet<>();
  private long lastSentNanos;
  private boolean sentBefore;

  /** Whether a message may go now: the first at once, then at most one a minute (BEP 11). */
  public boolean isDue(long nowNanos) {
    return !sentBefore || nowNanos - lastSentNanos >= INTERVAL_NANOS;
  }

  /**
   * The message to send now, if one is due and has something to say; what it says counts as told.
   *
   * @param connected the peers we are connected to now (by the addresses they accept connections
   *     on), without the one this sender is for
   */
  public Optional<PexMessage> next(Collection<PexMessage.Peer> connected, long nowNanos) {
    if (!isDue(nowNanos)) {
      return Optional.empty();
    }
    Map<PeerAddress, PexMessage.Peer> now = new LinkedHashMap<>();
    for (PexMessage.Peer peer : connected) {
      now.putIfAbsent(peer.address(), peer);
    }
    List<PexMessage.Peer> added = new ArrayList<>();
    for (PexMessage.Peer peer : now.values()) {
      if (added.size() == MAX_ADDED) {
        break;
      }
      if (!told.contains(peer.address())) {
        added.add(peer);
      }
    }
    List<PeerAddress> dropped = new ArrayList<>();
    for (PeerAddress peer : told) {
      if (dropped.size() == MAX_DROPPED) {
        break;
      }
      if (!now.containsKey(peer)) {
        dropped.add(peer);
      }
    }
    if (added.isEmpty() && dropped.isEmpty()) {
      return Optional.empty();
    }
    added.forEach(peer -> told.add(peer.address()));
    dropped.forEach(told::remove);
    lastSentNanos = nowNanos;
    sentBefore = true;
    return Optional.of(new PexMessage(added, dropped));
  }

  /** How many peers this peer has heard of from us (for tests). */
  int told() {
    return told.size();
  }
}
