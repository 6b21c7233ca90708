package dev.piecemeal.client.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lookup driven through a scripted network: fifty fake nodes, each knowing its eight nearest
 * neighbours and a few others at random, answer in the order they were asked. Nothing is sent;
 * the test plays every node, and checks the lookup against the answer worked out by brute force.
 */
class LookupTest {
  private static final NodeId OURS = NodeId.fromHex("0000000000000000000000000000000000000000");

  /** Fifty nodes that answer with the nodes they know closest to the target. */
  private static final class FakeNetwork {
    final List<NodeInfo> nodes = new ArrayList<>();
    final Map<NodeId, List<NodeInfo>> knows = new HashMap<>();
    final Set<NodeId> silent = new HashSet<>();
    final Map<NodeId, List<PeerAddress>> peersHeld = new HashMap<>();
    int maxInFlight;

    FakeNetwork(int size, long seed) {
      Random random = new Random(seed);
      for (int n = 1; n <= size; n++) {
        nodes.add(new NodeInfo(NodeId.random(random), new InetSocketAddress("127.0.0.1", 20_000 + n)));
      }
      for (NodeInfo node : nodes) {
        List<NodeInfo> known = new ArrayList<>(closestOf(nodes, node.id(), RoutingTable.K + 1));
        known.remove(node);
        for (int i = 0; i < 4; i++) {
          known.add(nodes.get(random.nextInt(size)));
        }
        knows.put(node.id(), known);
      }
    }

    /** Runs the lookup to the end, answering each query in turn; returns it. */
    Lookup run(Lookup lookup) {
      Deque<NodeInfo> asked = new ArrayDeque<>();
      while (!lookup.isDone()) {
        asked.addAll(lookup.nextQueries());
        maxInFlight = Math.max(maxInFlight, lookup.inFlight());
        NodeInfo node = asked.poll();
        assertThat(node).as("a lookup not done has a query in flight").isNotNull();
        if (silent.contains(node.id())) {
          lookup.failed(node);
        } else {
          List<NodeInfo> answer = closestOf(knows.get(node.id()), lookup.target(), RoutingTable.K);
          lookup.answered(node, answer, peersHeld.getOrDefault(node.id(), List.of()),
              Optional.of(Token.fromBytes(new byte[] {(byte) node.address().getPort()})));
        }
      }
      return lookup;
    }

    List<NodeInfo> alive() {
      return nodes.stream().filter(n -> !silent.contains(n.id())).toList();
    }
  }

  private static List<NodeInfo> closestOf(List<NodeInfo> nodes, NodeId target, int count) {
    return nodes.stream().distinct()
        .sorted(Comparator.comparing(NodeInfo::id, NodeId.byDistanceTo(target)))
        .limit(count).toList();
  }

  private static List<NodeInfo> nodesOf(Lookup lookup) {
    return lookup.closest().stream().map(Lookup.Closest::node).toList();
  }

  private static NodeInfo node(NodeId id, int port) {
    return new NodeInfo(id, new InetSocketAddress("127.0.0.1", port));
  }

  private static PeerAddress peer(int n) {
    try {
      return new PeerAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) n}), 6881);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void convergesOnTheEightClosestNodesOfAFiftyNodeNetwork() {
    for (long seed = 1; seed <= 20; seed++) {
      FakeNetwork network = new FakeNetwork(50, seed);
      NodeId target = NodeId.random(new Random(seed * 1000));
      // Start from the three nodes farthest from the target: the lookup must walk there.
      List<NodeInfo> start = closestOf(network.nodes, target, 50).subList(47, 50);

      Lookup lookup = network.run(new Lookup(target, OURS, start));

      assertThat(nodesOf(lookup)).as("seed %d", seed)
          .containsExactlyElementsOf(closestOf(network.nodes, target, 8));
      assertThat(network.maxInFlight).as("α").isLessThanOrEqualTo(Lookup.ALPHA);
      assertThat(lookup.queriesSent()).as("queries, seed %d: not the whole network", seed).isLessThan(25);
    }
  }

  @Test
  void convergesOnTheEightClosestThatAnswerWhenSomeAreSilent() {
    FakeNetwork network = new FakeNetwork(50, 7);
    NodeId target = NodeId.random(new Random(70));
    List<NodeInfo> byDistance = closestOf(network.nodes, target, 50);
    for (int i : new int[] {0, 2, 5, 11, 20, 30}) {   // the closest of all among them
      network.silent.add(byDistance.get(i).id());
    }

    Lookup lookup = network.run(new Lookup(target, OURS, byDistance.subList(40, 50)));

    assertThat(nodesOf(lookup)).containsExactlyElementsOf(closestOf(network.alive(), target, 8));
  }

  @Test
  void collectsThePeersAndTheTokensOfTheClosestNodes() {
    FakeNetwork network = new FakeNetwork(50, 11);
    NodeId infoHash = NodeId.random(new Random(110));
    List<NodeInfo> closest = closestOf(network.nodes, infoHash, 8);
    network.peersHeld.put(closest.get(0).id(), List.of(peer(1), peer(2)));
    network.peersHeld.put(closest.get(3).id(), List.of(peer(2), peer(3)));

    Lookup lookup = network.run(new Lookup(infoHash, OURS, network.nodes.subList(0, 3)));

    assertThat(lookup.peers()).containsExactlyInAnyOrder(peer(1), peer(2), peer(3));
    assertThat(lookup.closest()).hasSize(8).allSatisfy(c -> assertThat(c.token()).isPresent());
    assertThat(lookup.closest().get(0).token()).map(Token::hex)
        .hasValue(String.format("%02x", closest.get(0).address().getPort() & 0xff));
  }

  @Test
  void keepsThreeQueriesInFlightAndNoMore() {
    Random random = new Random(5);
    List<NodeInfo> start = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      start.add(node(NodeId.random(random), n));
    }
    Lookup lookup = new Lookup(NodeId.random(random), OURS, start);

    List<NodeInfo> first = lookup.nextQueries();
    assertThat(first).hasSize(3);
    assertThat(lookup.nextQueries()).as("all three slots taken").isEmpty();
    lookup.failed(first.get(1));
    assertThat(lookup.nextQueries()).as("one slot freed").hasSize(1);
  }

  @Test
  void readsNoMoreThanSixteenNodesOfAnAnswerOf10000AndKeepsAtMost100Candidates() {
    Random random = new Random(9);
    NodeInfo liar = node(NodeId.random(random), 1);
    Lookup lookup = new Lookup(NodeId.random(random), OURS, List.of(liar));
    assertThat(lookup.nextQueries()).containsExactly(liar);

    List<NodeInfo> flood = new ArrayList<>();
    for (int n = 0; n < 10_000; n++) {
      flood.add(node(NodeId.random(random), 1 + n % 65_000));
    }
    lookup.answered(liar, flood, List.of(), Optional.empty());
    assertThat(lookup.candidateCount()).isEqualTo(1 + Response.MAX_NODES);

    // Every node answers with 16 new nodes: the candidates stay at 100, the queries at 200.
    Deque<NodeInfo> asked = new ArrayDeque<>();
    while (!lookup.isDone()) {
      asked.addAll(lookup.nextQueries());
      NodeInfo next = asked.poll();
      List<NodeInfo> fresh = new ArrayList<>();
      for (int n = 0; n < Response.MAX_NODES; n++) {
        fresh.add(node(NodeId.random(random), 1 + random.nextInt(65_000)));
      }
      lookup.answered(next, fresh, List.of(), Optional.empty());
      assertThat(lookup.candidateCount()).isLessThanOrEqualTo(Lookup.MAX_CANDIDATES);
    }
    assertThat(lookup.queriesSent()).isLessThanOrEqualTo(Lookup.MAX_QUERIES);
  }

  @Test
  void ignoresAnAnswerFromANodeItDidNotAsk() {
    Random random = new Random(4);
    NodeInfo asked = node(NodeId.random(random), 1);
    Lookup lookup = new Lookup(NodeId.random(random), OURS, List.of(asked));
    lookup.nextQueries();

    NodeInfo stranger = node(NodeId.random(random), 2);
    lookup.answered(stranger, List.of(node(NodeId.random(random), 3)), List.of(peer(1)), Optional.empty());
    lookup.answered(new NodeInfo(asked.id(), new InetSocketAddress("127.0.0.1", 9)),
        List.of(), List.of(peer(2)), Optional.empty());

    assertThat(lookup.peers()).isEmpty();
    assertThat(lookup.inFlight()).isEqualTo(1);
  }

  @Test
  void anAnswerUnderAnotherIdCountsAsAFailure() {
    Random random = new Random(6);
    NodeInfo asked = node(NodeId.random(random), 1);
    Lookup lookup = new Lookup(NodeId.random(random), OURS, List.of(asked));
    lookup.nextQueries();
    lookup.answered(asked, new Response.IdResponse(NodeId.random(random)));
    assertThat(lookup.isDone()).isTrue();
    assertThat(lookup.closest()).isEmpty();
  }

  @Test
  void neverQueriesUs() {
    Random random = new Random(8);
    NodeInfo asked = node(NodeId.random(random), 1);
    Lookup lookup = new Lookup(NodeId.random(random), OURS, List.of(asked));
    lookup.nextQueries();
    lookup.answered(asked, List.of(node(OURS, 6881)), List.of(), Optional.empty());
    assertThat(lookup.nextQueries()).isEmpty();
    assertThat(lookup.isDone()).isTrue();
    assertThat(nodesOf(lookup)).containsExactly(asked);
  }

  @Test
  void isDoneAtOnceWithNobodyToAsk() {
    Lookup lookup = new Lookup(OURS, OURS, List.of());
    assertThat(lookup.isDone()).isTrue();
    assertThat(lookup.nextQueries()).isEmpty();
    assertThat(lookup.closest()).isEmpty();
  }
}
