package dev.piecemeal.client.dht;

import static dev.piecemeal.client.dht.Packets.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.client.Destinations;
import dev.piecemeal.tracker.PeerAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nodes on 127.0.0.1 that find each other, store an announce and answer through garbage. */
class DhtNodeTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final List<DhtNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws InterruptedException {
    for (DhtNode node : nodes) {
      node.close();
    }
  }

  private DhtNode node() throws Exception {
    DhtNode node = DhtNode.start(DhtNode.Settings.loopbackLab(new InetSocketAddress(LOOPBACK, 0)));
    nodes.add(node);
    return node;
  }

  /** A bounded wait (20 ms steps, 5 s) until {@code node}'s table holds {@code size} nodes. */
  private static boolean awaitTableSize(DhtNode node, int size) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (node.tableSize() < size && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return node.tableSize() >= size;
  }

  @Test
  void startsFromASavedTableUnderTheIdItSaved() throws Exception {
    DhtNode b = node();
    DhtNode a = node();
    assertThat(a.bootstrap(List.of(b.address())).awaitDone(5000)).isTrue();
    a.close();
    nodes.remove(a);
    SavedTable saved = a.saved();
    assertThat(saved.nodes()).as("what a kept at exit").extracting(NodeInfo::id).containsExactly(b.id());

    DhtNode again = DhtNode.start(DhtNode.Settings.loopbackLab(new InetSocketAddress(LOOPBACK, 0)),
        Optional.of(SavedTable.decode(saved.encode())));
    nodes.add(again);

    assertThat(again.id()).as("the id its neighbours know").isEqualTo(a.id());
    assertThat(again.bootstrap(List.of()).awaitDone(5000)).as("no bootstrap node: the saved ones").isTrue();
    assertThat(again.tableSize()).as("b answered the own-id lookup, so it is back in the table").isEqualTo(1);
  }

  @Test
  void aNodeHeardOfByPortIsPingedAndJoinsTheTable() throws Exception {
    DhtNode a = node();
    DhtNode b = node();

    a.addNode(b.address());

    assertThat(awaitTableSize(a, 1)).as("a pinged b, b answered").isTrue();
  }

  @Test
  void nodesFindEachOtherFromOneBootstrapNode() throws Exception {
    DhtNode b = node();
    DhtNode a = node();
    DhtNode c = node();
    assertThat(a.bootstrap(List.of(b.address())).awaitDone(5000)).as("a bootstrapped").isTrue();
    // b puts a in its table once a answers b's ping back, which may come after a's lookup ended
    assertThat(awaitTableSize(b, 1)).as("b knows a").isTrue();
    assertThat(c.bootstrap(List.of(b.address())).awaitDone(5000)).as("c bootstrapped").isTrue();

    assertThat(c.tableSize()).as("c knows b and, through b, a").isEqualTo(2);
  }

  @Test
  void aGetPeersLookupFindsThePeerAnotherNodeAnnounced() throws Exception {
    DhtNode b = node();
    DhtNode a = node();
    DhtNode c = node();
    assertThat(a.bootstrap(List.of(b.address())).awaitDone(5000)).isTrue();
    assertThat(c.bootstrap(List.of(b.address())).awaitDone(5000)).isTrue();
    InfoHash torrent = InfoHash.fromHex("d8f739cefb5c3a2b2f6c0e0b5a1d2e3f40516273");

    assertThat(a.getPeers(torrent, 51413).awaitDone(5000)).as("a announced").isTrue();
    DhtNode.Search found = c.getPeers(torrent, 0);
    assertThat(found.awaitDone(5000)).as("c's lookup ended").isTrue();

    assertThat(found.peers()).contains(new PeerAddress(LOOPBACK, 51413));
  }

  /** Time is a parameter: the node's clock is stepped by hand past the query timeout. */
  @Test
  void aBootstrapNodeThatNeverAnswersTimesOutOnTheNodesClock() throws Exception {
    AtomicLong now = new AtomicLong();
    DhtNode node = DhtNode.start(new DhtNode.Settings(new InetSocketAddress(LOOPBACK, 0),
        Destinations.LOOPBACK_ONLY, 1000, now::get, new Random(3), line -> {}));
    nodes.add(node);
    try (DatagramSocket silent = new DatagramSocket(0, LOOPBACK)) {
      DhtNode.Search search = node.bootstrap(List.of((InetSocketAddress) silent.getLocalSocketAddress()));
      assertThat(search.awaitDone(300)).as("not before the timeout").isFalse();

      now.addAndGet(DhtNode.QUERY_TIMEOUT_NANOS + 1);

      assertThat(search.awaitDone(5000)).as("over once the clock passed the timeout").isTrue();
      assertThat(node.tableSize()).isZero();
    }
  }

  @Test
  void neverSendsOutsideLoopbackWhenLoopbackOnly() throws Exception {
    DhtNode node = node();
    DhtNode.Search search = node.bootstrap(List.of(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 6881)));
    assertThat(search.awaitDone(5000)).as("nothing sent, nothing to wait for").isTrue();
    assertThat(node.tableSize()).isZero();
  }

  @Test
  void dropsMalformedPacketsAndKeepsAnswering() throws Exception {
    DhtNode node = node();
    try (DatagramSocket us = new DatagramSocket(0, LOOPBACK)) {
      us.setSoTimeout(2000);
      for (byte[] garbage : List.of(new byte[0], packet("not bencode"), packet("d1:y1:re"), new byte[1600])) {
        us.send(new DatagramPacket(garbage, garbage.length, node.address()));
      }
      TransactionId t = TransactionId.ofShort(7);
      byte[] ping = KrpcEncoder.encode(KrpcMessage.ours(t, new Query.Ping(NodeId.random(new Random(1)))));
      us.send(new DatagramPacket(ping, ping.length, node.address()));

      // The node may ping us back first (it does not know us yet): skip its queries.
      KrpcMessage message;
      do {
        byte[] buffer = new byte[1500];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        us.receive(answer);
        message = KrpcDecoder.decode(Arrays.copyOf(buffer, answer.getLength()),
            sent -> sent.equals(t) ? Optional.of(new Query.Ping(node.id())) : Optional.empty());
      } while (message.body() instanceof Query);
      assertThat(message.transaction()).isEqualTo(t);
      assertThat(message.body()).isEqualTo(new Response.IdResponse(node.id()));
    }
  }
}
