package dev.piecemeal.client.dht;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * One k-bucket of the {@link RoutingTable}: at most {@value RoutingTable#K} nodes, a replacement
 * cache of at most {@value RoutingTable#REPLACEMENTS} more that answered while it was full, and
 * when its contents last changed (BEP 5, "routing table"). Which ids belong in it is the table's
 * business; a bucket only keeps its nodes. Owned by the table's thread.
 */
final class Bucket {

  /** What the table remembers of one node. Times are the table's clock, in nanoseconds. */
  static final class Entry {
    final NodeInfo node;
    long lastResponse;
    boolean hasQueriedUs;
    long lastQueriedUs;
    int failures;

    Entry(NodeInfo node, long now) {
      this.node = node;
      this.lastResponse = now;
    }

    NodeStatus status(long now) {
      if (failures >= RoutingTable.BAD_AFTER_FAILURES) {
        return NodeStatus.BAD;
      }
      boolean answeredLately = now - lastResponse < RoutingTable.GOOD_NANOS;
      boolean queriedLately = hasQueriedUs && now - lastQueriedUs < RoutingTable.GOOD_NANOS;
      return answeredLately || queriedLately ? NodeStatus.GOOD : NodeStatus.QUESTIONABLE;
    }

    /** The last sign of life, an answer or a query: "least recently seen" orders by this. */
    long lastSeen() {
      return hasQueriedUs ? Math.max(lastResponse, lastQueriedUs) : lastResponse;
    }
  }

  final List<Entry> nodes = new ArrayList<>(RoutingTable.K);
  /** Oldest first: the newest is the likeliest to be alive, so it is promoted first. */
  final Deque<Entry> replacements = new ArrayDeque<>(RoutingTable.REPLACEMENTS);
  long lastChanged;

  Bucket(long now) {
    this.lastChanged = now;
  }

  boolean isFull() {
    return nodes.size() >= RoutingTable.K;
  }

  Entry find(NodeId id) {
    for (Entry entry : nodes) {
      if (entry.node.id().equals(id)) {
        return entry;
      }
    }
    return null;
  }

  /** Takes the node with this id out of the replacement cache; null if it is not there. */
  Entry takeReplacement(NodeId id) {
    for (Iterator<Entry> it = replacements.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.node.id().equals(id)) {
        it.remove();
        return entry;
      }
    }
    return null;
  }

  /** Waits in the cache for a place; past the bound the oldest waiting node is forgotten. */
  void addReplacement(Entry entry) {
    if (replacements.size() >= RoutingTable.REPLACEMENTS) {
      replacements.removeFirst();
    }
    replacements.addLast(entry);
  }

  /** The first bad node, or null. */
  Entry firstBad(long now) {
    for (Entry entry : nodes) {
      if (entry.status(now) == NodeStatus.BAD) {
        return entry;
      }
    }
    return null;
  }

  /** Puts {@code replacement} in the place of {@code bad}. */
  void replace(Entry bad, Entry replacement, long now) {
    nodes.set(nodes.indexOf(bad), replacement);
    lastChanged = now;
  }

  /** Fills free places from the cache, newest first. */
  void fillFromReplacements(long now) {
    while (!isFull() && !replacements.isEmpty()) {
      nodes.add(replacements.removeLast());
      lastChanged = now;
    }
  }
}
