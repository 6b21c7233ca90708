package dev.piecemeal.client.seed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Who we upload to: BEP 3's choking algorithm ("choking and optimistic unchoking"), tit-for-tat
 * as the reference client and libtorrent run it. A few peers get a regular upload slot for
 * uploading to us fastest (or, when we seed, for taking our data fastest); one more gets the
 * optimistic slot whatever its rate, so that a new peer can earn a regular one.
 *
 * <pre>
 *  t = 0 s    round: the 4 fastest interested peers unchoked, and optimistic peer A
 *  t = 10 s   round: the 4 fastest again (rates of the last 10 s); A stays
 *  t = 20 s   round
 *  t = 30 s   round, and the optimistic slot moves on: A to the back of the line, B unchoked
 *  ...
 *  a peer silent for 60 s while we want its data is snubbed: no regular slot until it sends a block
 * </pre>
 *
 * <p>The rules, each round:
 * <ol>
 *   <li>Only a peer that is interested can hold a slot; every other peer is choked.
 *   <li>While we download, the {@code uploadSlots} regular slots go to the interested peers that
 *       sent us the most bytes in the last round, leaving out the snubbed: a peer we are
 *       interested in that has sent us no block for 60 s. While we seed, they go to the peers we
 *       sent the most; a peer we had choked counts 0 there, as libtorrent counts it, so that the
 *       blocks still in flight when we choked it do not win its slot back.
 *   <li>Ties go to a peer already unchoked (a choke and an unchoke cost both peers a message and
 *       TCP's ramp-up, the "fibrillation" BEP 3 rounds of 10 s avoid), then to the peer connected
 *       longer, then to the order of the snapshot.
 *   <li>The optimistic slot is kept for 30 s, then moves on to another interested peer without a
 *       regular slot; it moves at once when its peer leaves, loses interest, or earns a regular
 *       slot. The next one is the peer that has waited longest: a peer never unchoked before any
 *       peer that has been (the oldest connection first among them), then the one whose last
 *       unchoke is longest ago. That is our preference for new peers, deterministic where the
 *       reference client draws at random with new peers three times as likely; libtorrent also
 *       picks the peer optimistically unchoked longest ago.
 * </ol>
 * A snubbed peer can still get the optimistic slot (BEP 3's "anti-snubbing"). {@code uploadSlots}
 * 0 means no upload at all: no regular slot and no optimistic one, as libtorrent does.
 *
 * <p>Pure: it is given the peers and a clock, and answers; it does no I/O and takes no lock. The
 * engine calls {@link #decide} from its own turn as often as it likes: a round is computed only
 * when 10 s have passed since the last one, and between rounds the standing decision is returned,
 * without the peers that have left or lost interest. Not thread-safe: one owner, the engine's turn.
 *
 * <p>Simplified: a peer that is not interested is choked. BEP 3's reference client leaves such a
 * peer unchoked when it uploads to us faster than the slowest slot holder, so it can start at once
 * when it becomes interested; libtorrent chokes it, as we do: then "unchoked" means "holds a slot",
 * and a peer that becomes interested waits at most one round.
 *
 * <p>Between rounds, a free regular slot (too few interested peers at the last round, or its peer
 * left or lost interest) goes at once to an interested peer that has none, oldest connection
 * first, as libtorrent unchokes a peer as soon as a slot is free: a newcomer to a quiet swarm need
 * not wait up to 10 s for the next round. The next round then ranks it like everyone else.
 *
 * <p>Simplified: one optimistic slot, whatever the number of regular ones. libtorrent has one per
 * five slots; with the default of 4 slots that is one too.
 *
 * <p>Simplified: while seeding, the slots go to the peers that take our data fastest, the reference
 * client's rule. libtorrent's default for a seed is round robin, each peer served a quota of pieces
 * before the next one's turn, which spreads a seed's upload more evenly; one rule for both modes
 * keeps the choker one idea.
 */
public final class Choker<K> {
  /** BEP 3's reference client unchokes four peers; libtorrent's default is 8 for its whole session. */
  public static final int DEFAULT_UPLOAD_SLOTS = 4;
  /** A regular round every 10 s, as BEP 3 says (libtorrent's default is 15 s). */
  public static final long ROUND_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** The optimistic slot moves on every 30 s: every third round. */
  public static final long OPTIMISTIC_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** A peer we want data from that has sent us no block for a minute is snubbed. */
  public static final long SNUB_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** Whether we still download the torrent or have all of it: which way the slots are earned. */
  public enum Mode {
    /** Slots go to the peers that send us the most: tit-for-tat. */
    DOWNLOADING,
    /** We need nothing: slots go to the peers that take the most from us. */
    SEEDING
  }

  /** What the choker remembers of one peer from round to round. Forgotten when the peer leaves. */
  private static final class Remembered {
    /** The running totals at the last round, to take the next round's bytes from. */
    long bytesReceived;
    long bytesSent;
    /** When a round last gave this peer a slot, regular or optimistic; unset if none ever has. */
    boolean everUnchoked;
    long lastUnchokedAt;
  }

  private final int uploadSlots;
  private final LongSupplier nanos;
  private final Map<K, Remembered> remembered = new HashMap<>();
  private ChokeDecision<K> standing = ChokeDecision.none();
  private boolean anyRound;
  private long lastRoundAt;
  private long optimisticSince;

  /**
   * A choker with {@code uploadSlots} regular slots (0: upload to nobody).
   *
   * @param nanos the clock, in nanoseconds ({@code System::nanoTime}); tests pass one they move by hand
   */
  public Choker(int uploadSlots, LongSupplier nanos) {
    if (uploadSlots < 0) {
      throw new IllegalArgumentException("upload slots " + uploadSlots + " is negative");
    }
    this.uploadSlots = uploadSlots;
    this.nanos = Objects.requireNonNull(nanos, "nanos");
  }

  /**
   * The peers to unchoke now, given every connected peer; a peer not in {@code peers} has left
   * and is forgotten.
   *
   * @throws IllegalArgumentException when two peers have the same key
   */
  public ChokeDecision<K> decide(Collection<ChokerPeer<K>> peers, Mode mode) {
    Objects.requireNonNull(mode, "mode");
    long now = nanos.getAsLong();
    Map<K, ChokerPeer<K>> present = new LinkedHashMap<>();
    for (ChokerPeer<K> peer : peers) {
      if (present.put(peer.key(), peer) != null) {
        throw new IllegalArgumentException("peer " + peer.key() + " is in the snapshot twice");
      }
    }
    remembered.keySet().retainAll(present.keySet());
    if (uploadSlots == 0) {
      return ChokeDecision.none();
    }
    if (!anyRound || now - lastRoundAt >= ROUND_NANOS) {
      standing = round(present, mode, now);
      anyRound = true;
      lastRoundAt = now;
    } else {
      standing = standing.keepOnly(key -> present.containsKey(key) && present.get(key).peerInterested());
      standing = fillFreeSlots(present, mode, now);
    }
    return standing;
  }

  /** Between rounds: free regular slots to interested peers without one, oldest connection first. */
  private ChokeDecision<K> fillFreeSlots(Map<K, ChokerPeer<K>> present, Mode mode, long now) {
    if (standing.regular().size() >= uploadSlots) {
      return standing;
    }
    List<ChokerPeer<K>> waiting = new ArrayList<>();
    for (ChokerPeer<K> peer : present.values()) {
      if (peer.peerInterested() && !standing.isUnchoked(peer.key())
          && !(mode == Mode.DOWNLOADING && snubbed(peer, now))) {
        waiting.add(peer);
      }
    }
    waiting.sort(Comparator.comparingLong(ChokerPeer::connectedAt));
    Set<K> regular = new LinkedHashSet<>(standing.regular());
    for (ChokerPeer<K> peer : waiting) {
      if (regular.size() >= uploadSlots) {
        break;
      }
      regular.add(peer.key());
      Remembered memory = remembered.computeIfAbsent(peer.key(), key -> new Remembered());
      memory.everUnchoked = true;
      memory.lastUnchokedAt = now;
    }
    return new ChokeDecision<>(regular, standing.optimistic());
  }

  // tag::round[]
  /** One regular round: measure the last round, fill the regular slots, then the optimistic one. */
  private ChokeDecision<K> round(Map<K, ChokerPeer<K>> present, Mode mode, long now) {
    // 1. what each peer moved in the last round, from the running totals
    Map<K, Long> lastRound = new HashMap<>();
    for (ChokerPeer<K> peer : present.values()) {
      lastRound.put(peer.key(), bytesThisRound(peer, mode));
    }

    // 2. the regular slots: interested peers, not snubbed, the most bytes first
    List<ChokerPeer<K>> ranked = new ArrayList<>();
    for (ChokerPeer<K> peer : present.values()) {
      if (peer.peerInterested() && !(mode == Mode.DOWNLOADING && snubbed(peer, now))) {
        ranked.add(peer);
      }
    }
    ranked.sort(Comparator.<ChokerPeer<K>>comparingLong(peer -> lastRound.get(peer.key())).reversed()
        .thenComparing(peer -> !standing.isUnchoked(peer.key())) // false first: already unchoked
        .thenComparingLong(ChokerPeer::connectedAt));
    Set<K> regular = new LinkedHashSet<>();
    for (ChokerPeer<K> peer : ranked.subList(0, Math.min(uploadSlots, ranked.size()))) {
      regular.add(peer.key());
    }

    // 3. the optimistic slot: kept for 30 s unless its peer left, lost interest or is now regular
    Optional<K> optimistic = standing.optimistic()
        .filter(key -> present.containsKey(key) && present.get(key).peerInterested())
        .filter(key -> !regular.contains(key))
        .filter(key -> now - optimisticSince < OPTIMISTIC_NANOS);
    if (optimistic.isEmpty()) {
      optimistic = longestWaiting(present, regular);
      optimisticSince = now;
    }

    // 4. remember this round: the totals the next one is measured from, who was unchoked when
    ChokeDecision<K> decision = new ChokeDecision<>(regular, optimistic);
    for (ChokerPeer<K> peer : present.values()) {
      Remembered memory = remembered.computeIfAbsent(peer.key(), key -> new Remembered());
      memory.bytesReceived = peer.bytesReceived();
      memory.bytesSent = peer.bytesSent();
      if (decision.isUnchoked(peer.key())) {
        memory.everUnchoked = true;
        memory.lastUnchokedAt = now;
      }
    }
    return decision;
  }
  // end::round[]

  /**
   * The bytes that count for {@code peer} this round: those it sent us while we download, those
   * we sent it while we seed (0 if we had choked it). A peer seen for the first time counts its
   * whole total; a total lower than last round's is a new connection under the same key.
   */
  private long bytesThisRound(ChokerPeer<K> peer, Mode mode) {
    Remembered memory = remembered.get(peer.key());
    long total = mode == Mode.DOWNLOADING ? peer.bytesReceived() : peer.bytesSent();
    long before = memory == null ? 0 : mode == Mode.DOWNLOADING ? memory.bytesReceived : memory.bytesSent;
    if (mode == Mode.SEEDING && !standing.isUnchoked(peer.key())) {
      return 0;
    }
    return total >= before ? total - before : total;
  }

  /** Snubbed: we want its data and it has sent us no block for 60 s (nor, if none yet, since it connected). */
  private static boolean snubbed(ChokerPeer<?> peer, long now) {
    return peer.amInterested() && now - peer.lastHeardFrom() >= SNUB_NANOS;
  }

  /**
   * The next optimistic peer: interested, without a regular slot, and waiting longest: never
   * unchoked before unchoked once (oldest connection first), then the longest since its last unchoke.
   */
  private Optional<K> longestWaiting(Map<K, ChokerPeer<K>> present, Set<K> regular) {
    List<ChokerPeer<K>> candidates = new ArrayList<>();
    for (ChokerPeer<K> peer : present.values()) {
      if (peer.peerInterested() && !regular.contains(peer.key())) {
        candidates.add(peer);
      }
    }
    candidates.sort(Comparator.<ChokerPeer<K>, Boolean>comparing(peer -> everUnchoked(peer.key()))
        .thenComparingLong(peer -> everUnchoked(peer.key())
            ? remembered.get(peer.key()).lastUnchokedAt
            : peer.connectedAt()));
    return candidates.stream().findFirst().map(ChokerPeer::key);
  }

  private boolean everUnchoked(K key) {
    Remembered memory = remembered.get(key);
    return memory != null && memory.everUnchoked;
  }
}
