package dev.piecemeal.client.dht;

import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One iterative lookup of BEP 5 ("routing table"; Kademlia's node lookup): ask the nodes closest
 * to a target, which answer with nodes closer still, and ask those, until the {@value #K} closest
 * nodes heard of have all answered. With {@code get_peers} the answers also carry peers and the
 * tokens to announce with; with {@code find_node}, only nodes.
 *
 * <pre>
 * candidates, closest to the target first:
 *   A answered   B answered   C in flight   D new   E new   F failed   G new ...
 *                             └ α = 3 queries in flight at most; D is asked when C answers or fails
 * done when the first 8 candidates that have not failed have all answered
 * </pre>
 *
 * <p>A pure state machine, with no socket and no clock: the caller sends the queries {@link
 * #nextQueries} names, and tells it each outcome ({@link #answered}, {@link #failed} when a query
 * times out or gets an error), then asks for the next queries, until {@link #isDone}. Driven only
 * by those calls, it does the same thing every time, which is how its tests script a network.
 *
 * <p>Bounds, whatever the nodes answer: the first {@value Response#MAX_NODES} nodes of an answer
 * are read; at most {@value #MAX_CANDIDATES} candidates are kept (the farthest dropped), as
 * libtorrent keeps 100; at most {@value #MAX_QUERIES} queries are sent; at most {@value #MAX_PEERS}
 * peers are kept. Not thread-safe: one owner, the node's loop.
 *
 * <p>Simplified: no limit on candidates per IP address. libtorrent keeps one per /24 in a lookup
 * (its {@code dht_restrict_search_ips}), so that one machine cannot answer with a crowd of fake
 * close nodes that all point back to it; the chapter's lab runs every node on 127.0.0.1.
 *
 * <p>Simplified: a slow node holds its place in the α until the caller gives up on it. libtorrent
 * opens another slot after a short timeout of 2 s and still takes the late answer; one timeout,
 * chosen by the caller, keeps the lookup a machine of four states per node.
 */
public final class Lookup {
  /** Kademlia's α: queries in flight at once (libtorrent's default {@code search_branching} is 5). */
  public static final int ALPHA = 3;
  /** The lookup converges on this many closest nodes that answered. */
  public static final int K = RoutingTable.K;
  /** Candidates kept, closest first: libtorrent keeps 100. */
  public static final int MAX_CANDIDATES = 100;
  /**
   * Queries one lookup may send. A lookup narrows the distance about one bit per round, so among
   * ten million nodes it takes some twenty rounds of three; 200 bounds a lookup that a hostile
   * network keeps feeding ever closer fake nodes. libtorrent has no such bound.
   */
  public static final int MAX_QUERIES = 200;
  /** Peers kept: as many as the swarm queues for dialing. */
  public static final int MAX_PEERS = 500;

  /** Where a candidate stands. */
  private enum State {
    NEW,
    IN_FLIGHT,
    ANSWERED,
    FAILED
  }

  private static final class Candidate {
    final NodeInfo node;
    State state = State.NEW;
    Optional<Token> token = Optional.empty();

    Candidate(NodeInfo node) {
      this.node = node;
    }
  }

  /**
   * One of the closest nodes that answered, with the token it gave (a {@code get_peers} lookup),
   * to send {@code announce_peer} to.
   */
  public record Closest(NodeInfo node, Optional<Token> token) {
    public Closest {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(token, "token");
    }
  }

  private final NodeId target;
  private final NodeId ownId;
  /** Sorted closest to the target first; at most MAX_CANDIDATES. */
  private final List<Candidate> candidates = new ArrayList<>();
  /** The candidates above, by id, to tell a node heard of again. */
  private final Map<NodeId, Candidate> byId = new HashMap<>();
  /** Every node ever queried, even one since dropped from the candidates: at most MAX_QUERIES. */
  private final Map<NodeId, Candidate> queried = new HashMap<>();
  private final Set<PeerAddress> peers = new LinkedHashSet<>();
  private int inFlight;

  /**
   * A lookup for {@code target}, starting from {@code start} (the routing table's closest nodes,
   * or the saved ones after a restart).
   *
   * @param ownId our id: a node that names us is not queried
   */
  public Lookup(NodeId target, NodeId ownId, Collection<NodeInfo> start) {
    this.target = Objects.requireNonNull(target, "target");
    this.ownId = Objects.requireNonNull(ownId, "ownId");
    for (NodeInfo node : start) {
      consider(node);
    }
  }

  /** What the lookup looks for. */
  public NodeId target() {
    return target;
  }

  /**
   * The nodes to query now, closest first; each is in flight from now on, until {@link #answered}
   * or {@link #failed}. Empty when α queries are already in flight, or nothing is left to ask.
   */
  public List<NodeInfo> nextQueries() {
    List<NodeInfo> next = new ArrayList<>();
    int answered = 0;
    for (Candidate candidate : candidates) {
      if (answered >= K || inFlight >= ALPHA || queried.size() >= MAX_QUERIES) {
        break;
      }
      if (candidate.state == State.ANSWERED) {
        answered++;
      } else if (candidate.state == State.NEW) {
        candidate.state = State.IN_FLIGHT;
        queried.put(candidate.node.id(), candidate);
        inFlight++;
        next.add(candidate.node);
      }
    }
    return next;
  }

  /**
   * {@code node} answered: {@code nodes} are the nodes it knows closest to the target, {@code
   * values} peers of the torrent, {@code token} what to announce to it with. An answer from a node
   * not in flight (never asked, or already answered or given up on) is ignored: it could be forged.
   */
  public void answered(
      NodeInfo node, List<NodeInfo> nodes, List<PeerAddress> values, Optional<Token> token) {
    Candidate candidate = inFlight(node);
    if (candidate == null) {
      return;
    }
    candidate.state = State.ANSWERED;
    candidate.token = Objects.requireNonNull(token, "token");
    inFlight--;
    for (PeerAddress peer : values) {
      if (peers.size() >= MAX_PEERS) {
        break;
      }
      peers.add(peer);
    }
    // A KRPC answer holds at most MAX_NODES nodes; a longer list counts for no more.
    for (NodeInfo heard : nodes.subList(0, Math.min(nodes.size(), Response.MAX_NODES))) {
      consider(heard);
    }
  }

  /**
   * {@code node} answered with {@code response}: the nodes, peers and token it holds. An answer
   * whose id is not the id we asked counts as a failure: the node we meant is not there.
   */
  public void answered(NodeInfo node, Response response) {
    if (!response.sender().equals(node.id())) {
      failed(node);
    } else if (response instanceof Response.GetPeersResponse peersFound) {
      answered(node, peersFound.nodes(), peersFound.values(), peersFound.token());
    } else if (response instanceof Response.FindNodeResponse found) {
      answered(node, found.nodes(), List.of(), Optional.empty());
    } else {
      answered(node, List.of(), List.of(), Optional.empty());
    }
  }

  /** The query to {@code node} timed out or was answered with an error: the next node is asked. */
  public void failed(NodeInfo node) {
    Candidate candidate = inFlight(node);
    if (candidate != null) {
      candidate.state = State.FAILED;
      inFlight--;
    }
  }

  /**
   * True when the first {@value #K} candidates that have not failed have all answered, or when
   * every candidate has answered or failed, or no query may be sent and none is in flight.
   */
  public boolean isDone() {
    int answered = 0;
    for (Candidate candidate : candidates) {
      if (answered >= K) {
        return true;
      }
      switch (candidate.state) {
        case ANSWERED -> answered++;
        case IN_FLIGHT -> {
          return false;
        }
        case NEW -> {
          if (queried.size() < MAX_QUERIES) {
            return false;
          }
        }
        case FAILED -> { }
      }
    }
    return inFlight == 0 || answered >= K;
  }

  /** The peers found so far, in the order they came, at most {@value #MAX_PEERS}. */
  public List<PeerAddress> peers() {
    return List.copyOf(peers);
  }

  /** The closest nodes that answered, at most {@value #K}, closest first, with their tokens. */
  public List<Closest> closest() {
    List<Closest> closest = new ArrayList<>();
    for (Candidate candidate : candidates) {
      if (closest.size() >= K) {
        break;
      }
      if (candidate.state == State.ANSWERED) {
        closest.add(new Closest(candidate.node, candidate.token));
      }
    }
    return closest;
  }

  /** Queries sent and not yet answered or failed. */
  public int inFlight() {
    return inFlight;
  }

  /** Queries sent so far. */
  public int queriesSent() {
    return queried.size();
  }

  /** Candidates held, for tests of the bound. */
  int candidateCount() {
    return candidates.size();
  }

  /** The in-flight query to this node (same id, same address), or null. */
  private Candidate inFlight(NodeInfo node) {
    Candidate candidate = queried.get(node.id());
    boolean same = candidate != null && candidate.node.address().equals(node.address());
    return same && candidate.state == State.IN_FLIGHT ? candidate : null;
  }

  /** A node heard of: a new candidate in its place by distance, unless known, ours, or too far. */
  private void consider(NodeInfo node) {
    NodeId id = node.id();
    if (id.equals(ownId) || byId.containsKey(id) || queried.containsKey(id)) {
      return;
    }
    int at = insertionPoint(id);
    if (at >= MAX_CANDIDATES) {
      return;
    }
    Candidate candidate = new Candidate(node);
    candidates.add(at, candidate);
    byId.put(id, candidate);
    if (candidates.size() > MAX_CANDIDATES) {
      byId.remove(candidates.remove(candidates.size() - 1).node.id());
    }
  }

  /** Where a node of this id goes in the sorted candidates: a binary search by distance. */
  private int insertionPoint(NodeId id) {
    int low = 0;
    int high = candidates.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (target.closerTo(candidates.get(middle).node.id(), id) < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
}
