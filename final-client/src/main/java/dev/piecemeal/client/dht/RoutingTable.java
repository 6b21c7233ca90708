package dev.piecemeal.client.dht;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The nodes we know, kept the way BEP 5 ("routing table") describes: the 160-bit id space cut into
 * k-buckets of {@value #K} nodes each, many buckets near our own id and few far from it, so that
 * any id has known nodes close to it and the whole table stays small.
 *
 * <pre>
 * our id  0110 1...
 *
 * bucket 0   ids starting 1...        half the id space, 8 nodes
 * bucket 1   ids starting 00...       a quarter, 8 nodes
 * bucket 2   ids starting 010...      an eighth, 8 nodes
 * bucket 3   ids starting 0111...     ...
 * bucket 4   ids starting 0110...     the last bucket: the one that holds our own id
 * </pre>
 *
 * Bucket {@code i} holds the nodes whose id shares exactly {@code i} leading bits with ours; the
 * last holds every id that shares at least as many. BEP 5 starts with one bucket for the whole
 * space and splits a full bucket in two only when our own id falls in it; here that is always the
 * last bucket, and splitting it adds one bucket after it. At most {@value #MAX_BUCKETS} buckets of
 * {@value #K} nodes and {@value #REPLACEMENTS} replacements: 2,560 entries at the very most.
 *
 * <p>A node enters the table only when it has answered one of our queries ({@link #responded}),
 * so every node in it has proved it can be reached. When its bucket is full and cannot split:
 * <ol>
 *   <li>a bad node in the bucket is replaced by the newcomer at once;
 *   <li>otherwise the newcomer waits in the bucket's replacement cache, and {@link #nodesToPing}
 *       names the least recently seen questionable node, whose silence (three failed queries,
 *       {@link #failed}) makes it bad and gives its place to the newest node waiting.
 * </ol>
 *
 * <p>Time is the clock passed in, so the 15-minute rules are tested without waiting. Ids for
 * refreshing buckets come from the {@code Random} passed in ({@code SecureRandom} in the client,
 * a seeded one in tests). The table does no I/O: it says which buckets need a lookup and which
 * nodes need a ping, and the DHT node sends them. Not thread-safe: one owner, the node's loop.
 *
 * <p>Simplified: no limit on nodes per IP address. libtorrent keeps one node per IP per table by
 * default and one per /24 per bucket, against an attacker who fills a table with ids of its
 * choosing from one machine; the chapter's lab runs every node on 127.0.0.1, where that rule
 * would leave one node in the table.
 *
 * <p>Simplified: any id is accepted from any address. BEP 42 derives a node's id from its IP so
 * that nobody can choose where to sit, and libtorrent prefers such nodes when a bucket splits;
 * BEP 42 exempts local addresses such as the lab's 127.0.0.1, so the check would change nothing
 * the chapter can show.
 *
 * <p>Simplified: a node that queries us but is not in the table stays out; the caller may ping it
 * to let it in. libtorrent adds such a node as unconfirmed; letting in only nodes that answered
 * keeps one way into the table.
 */
public final class RoutingTable {
  /** BEP 5's k: nodes per bucket, and how many nodes a lookup converges on. */
  public static final int K = 8;
  /** Replacement cache per bucket; libtorrent's is as big as the bucket. */
  public static final int REPLACEMENTS = 8;
  /** One bucket per bit of the id at the very most. */
  public static final int MAX_BUCKETS = NodeId.BITS;
  /**
   * Queries in a row a node may leave unanswered before it is bad. BEP 5 says "multiple queries
   * in a row"; three is jech/dht's number (the DHT of Transmission). libtorrent replaces a node
   * after one failure when a replacement waits and drops it after 20 when none does.
   */
  public static final int BAD_AFTER_FAILURES = 3;
  /** BEP 5's 15 minutes: how long an answer or a query keeps a node good. */
  public static final long GOOD_NANOS = TimeUnit.MINUTES.toNanos(15);
  /** BEP 5's 15 minutes: a bucket unchanged for this long is refreshed. */
  public static final long REFRESH_NANOS = TimeUnit.MINUTES.toNanos(15);

  private final NodeId ownId;
  private final LongSupplier nanos;
  private final Random random;
  private final List<Bucket> buckets = new ArrayList<>();

  /**
   * An empty table: one bucket for the whole id space.
   *
   * @param ownId our node id
   * @param nanos the clock, in nanoseconds ({@code System::nanoTime})
   * @param random where refresh targets come from
   */
  public RoutingTable(NodeId ownId, LongSupplier nanos, Random random) {
    this.ownId = Objects.requireNonNull(ownId, "ownId");
    this.nanos = Objects.requireNonNull(nanos, "nanos");
    this.random = Objects.requireNonNull(random, "random");
    buckets.add(new Bucket(nanos.getAsLong()));
  }

  /** Our own id. */
  public NodeId ownId() {
    return ownId;
  }

  /**
   * {@code node} answered one of our queries: it is good now. A node new to the table is added, or
   * replaces a bad one, or waits in its bucket's replacement cache. An id we know at another
   * address is ignored: libtorrent does the same, since the node at the old address is not shown
   * to be gone and the new address may be lying.
   */
  public void responded(NodeInfo node) {
    if (node.id().equals(ownId)) {
      return;
    }
    long now = nanos.getAsLong();
    Bucket bucket = bucketFor(node.id());
    Bucket.Entry known = bucket.find(node.id());
    if (known != null) {
      if (known.node.address().equals(node.address())) {
        known.lastResponse = now;
        known.failures = 0;
        bucket.lastChanged = now;
      }
      return;
    }
    Bucket.Entry waiting = bucket.takeReplacement(node.id());
    if (waiting != null && !waiting.node.address().equals(node.address())) {
      bucket.addReplacement(waiting);
      return;
    }
    insert(new Bucket.Entry(node, now), now);
  }

  /** {@code node} sent us a query: a node we know stays good for another 15 minutes. */
  public void queriedUs(NodeInfo node) {
    Bucket.Entry known = bucketFor(node.id()).find(node.id());
    if (known != null && known.node.address().equals(node.address())) {
      known.hasQueriedUs = true;
      known.lastQueriedUs = nanos.getAsLong();
    }
  }

  /**
   * A query to {@code node} went unanswered. After {@value #BAD_AFTER_FAILURES} in a row the node
   * is bad, and the newest node waiting in the bucket's replacement cache takes its place; a
   * waiting node that fails is forgotten.
   */
  public void failed(NodeInfo node) {
    long now = nanos.getAsLong();
    Bucket bucket = bucketFor(node.id());
    Bucket.Entry known = bucket.find(node.id());
    if (known == null) {
      Bucket.Entry waiting = bucket.takeReplacement(node.id());
      if (waiting != null && !waiting.node.address().equals(node.address())) {
        bucket.addReplacement(waiting);
      }
      return;
    }
    if (!known.node.address().equals(node.address())) {
      return;
    }
    known.failures++;
    if (known.status(now) == NodeStatus.BAD && !bucket.replacements.isEmpty()) {
      bucket.replace(known, bucket.replacements.removeLast(), now);
    }
  }

  /** The status of the node with this id, if it is in the table (not the replacement cache). */
  public Optional<NodeStatus> status(NodeId id) {
    Bucket.Entry known = bucketFor(id).find(id);
    return known == null ? Optional.empty() : Optional.of(known.status(nanos.getAsLong()));
  }

  /** True when the node with this id is in the table. */
  public boolean contains(NodeId id) {
    return bucketFor(id).find(id) != null;
  }

  /**
   * Up to {@code count} nodes closest to {@code target}, closest first; bad nodes left out. This
   * answers {@code find_node} and {@code get_peers}, and starts our own lookups.
   */
  public List<NodeInfo> closest(NodeId target, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("a count of " + count + " nodes");
    }
    long now = nanos.getAsLong();
    List<NodeInfo> alive = new ArrayList<>();
    for (Bucket bucket : buckets) {
      for (Bucket.Entry entry : bucket.nodes) {
        if (entry.status(now) != NodeStatus.BAD) {
          alive.add(entry.node);
        }
      }
    }
    alive.sort((a, b) -> target.closerTo(a.id(), b.id()));
    return List.copyOf(alive.subList(0, Math.min(count, alive.size())));
  }

  /**
   * A random id in each bucket that has not changed for 15 minutes: the caller runs a {@code
   * find_node} lookup for each (BEP 5: "refreshed"), and the nodes that answer fill the bucket.
   * Each bucket named counts as changed now, so it is not named again for 15 minutes, whatever
   * the lookup finds.
   */
  public List<NodeId> refreshTargets() {
    long now = nanos.getAsLong();
    List<NodeId> targets = new ArrayList<>();
    for (int i = 0; i < buckets.size(); i++) {
      Bucket bucket = buckets.get(i);
      if (now - bucket.lastChanged >= REFRESH_NANOS) {
        targets.add(randomIdIn(i));
        bucket.lastChanged = now;
      }
    }
    return targets;
  }

  /**
   * In each bucket where a node waits for a place, the questionable node seen longest ago: ping
   * it, and call {@link #responded} or {@link #failed} with the outcome. Meant for a periodic
   * tick (once a minute, say): a node that stays silent is bad after three ticks.
   */
  public List<NodeInfo> nodesToPing() {
    long now = nanos.getAsLong();
    List<NodeInfo> toPing = new ArrayList<>();
    for (Bucket bucket : buckets) {
      if (bucket.replacements.isEmpty()) {
        continue;
      }
      Bucket.Entry stalest = null;
      for (Bucket.Entry entry : bucket.nodes) {
        if (entry.status(now) == NodeStatus.QUESTIONABLE
            && (stalest == null || entry.lastSeen() < stalest.lastSeen())) {
          stalest = entry;
        }
      }
      if (stalest != null) {
        toPing.add(stalest.node);
      }
    }
    return toPing;
  }

  /** Every node in the table that is not bad, for saving; the replacement caches are not saved. */
  public SavedTable saved() {
    return new SavedTable(ownId, closest(ownId, MAX_BUCKETS * K));
  }

  /** The number of nodes in the table, replacement caches not counted. */
  public int size() {
    int size = 0;
    for (Bucket bucket : buckets) {
      size += bucket.nodes.size();
    }
    return size;
  }

  /** The number of buckets, 1 to {@value #MAX_BUCKETS}. */
  public int bucketCount() {
    return buckets.size();
  }

  /** The nodes of bucket {@code index}, for tests and a status line. */
  List<NodeInfo> bucketNodes(int index) {
    return buckets.get(index).nodes.stream().map(entry -> entry.node).toList();
  }

  /** The replacement cache of bucket {@code index}, oldest first. */
  List<NodeInfo> replacementNodes(int index) {
    return buckets.get(index).replacements.stream().map(entry -> entry.node).toList();
  }

  private void insert(Bucket.Entry entry, long now) {
    NodeId id = entry.node.id();
    while (true) {
      Bucket bucket = bucketFor(id);
      // 1. room in its bucket: in it goes
      if (!bucket.isFull()) {
        bucket.nodes.add(entry);
        bucket.lastChanged = now;
        return;
      }
      // 2. full, but it is the bucket that holds our own id: split it, and try again
      if (bucket == last() && buckets.size() < MAX_BUCKETS) {
        split(now);
        continue;
      }
      // 3. full of nodes that are not all good: a bad one makes way at once
      Bucket.Entry bad = bucket.firstBad(now);
      if (bad != null) {
        bucket.replace(bad, entry, now);
        return;
      }
      // 4. full of good and questionable nodes: wait for a place
      bucket.addReplacement(entry);
      return;
    }
  }

  /** The last bucket (every id sharing at least {@code n} bits with ours) becomes two. */
  private void split(long now) {
    int depth = buckets.size() - 1;
    Bucket old = last();
    Bucket deeper = new Bucket(now);
    buckets.add(deeper);
    // Nodes sharing more than `depth` bits with us move to the new last bucket.
    for (var it = old.nodes.iterator(); it.hasNext(); ) {
      Bucket.Entry entry = it.next();
      if (ownId.commonPrefixLength(entry.node.id()) > depth) {
        it.remove();
        deeper.nodes.add(entry);
      }
    }
    for (var it = old.replacements.iterator(); it.hasNext(); ) {
      Bucket.Entry entry = it.next();
      if (ownId.commonPrefixLength(entry.node.id()) > depth) {
        it.remove();
        deeper.replacements.addLast(entry);
      }
    }
    old.fillFromReplacements(now);
    deeper.fillFromReplacements(now);
  }

  private Bucket bucketFor(NodeId id) {
    return buckets.get(Math.min(ownId.commonPrefixLength(id), buckets.size() - 1));
  }

  private Bucket last() {
    return buckets.get(buckets.size() - 1);
  }

  /**
   * A random id that falls in bucket {@code index}: it shares exactly {@code index} leading bits
   * with our id (then differs in the next), or at least that many for the last bucket.
   */
  private NodeId randomIdIn(int index) {
    if (index == buckets.size() - 1) {
      return NodeId.randomWithPrefix(ownId, index, random);
    }
    return NodeId.randomWithPrefix(ownId.withBitFlipped(index), index + 1, random);
  }
}
