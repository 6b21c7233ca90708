package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.magnet.ExtendedHandshake;
import dev.piecemeal.client.magnet.MetadataFetch;
import dev.piecemeal.client.magnet.MetadataMessage;
import dev.piecemeal.client.magnet.MetadataServer;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.messages.Message;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.tracker.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metadata phase's fetch ({@link MetadataFetch}, package {@code magnet}) against scripted
 * peers over raw sockets ({@link ScriptedPeer.Listening}): the fetch dials them, and each test
 * says what the peer answers. In this package because the scripted peers are.
 */
class MetadataFetchTest {
  private static final Extensions FAST_AND_EXTENDED = Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL);
  /** The id our scripted peers ask ut_metadata to be sent to them under: theirs to choose (BEP 10). */
  private static final int PEERS_UT_METADATA = 3;

  /** The fetch's clock, stepped by hand: request timeouts without a wait. */
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
  }

  /** Pieces of 32 bytes make a long info dictionary: about {@code metadataPieces} of 16 KiB. */
  private static Metainfo torrentOf(int metadataPieces) throws Exception {
    int pieces = metadataPieces * MetadataMessage.PIECE_LENGTH / 20 - 100;
    return TestData.singleFile("meta.bin", TestData.bytes(pieces * 32, metadataPieces), 32, null);
  }

  private MetadataFetch fetch(Metainfo metainfo) {
    MetadataFetch fetch = new MetadataFetch(new MetadataFetch.Settings(metainfo.infoHash(), List.of(),
        new Handshaker(PeerId.random(), FAST_AND_EXTENDED),
        ExtendedHandshake.of(Map.of("ut_metadata", MetadataFetch.UT_METADATA_ID)), 10,
        new ConnectionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30)),
        Duration.ofSeconds(30), Destinations.LOOPBACK_ONLY, null, clock::get, WireTrace.NONE, log::add));
    running.add(0, fetch);
    return fetch;
  }

  private ScriptedPeer.Listening listening() throws Exception {
    ScriptedPeer.Listening port = ScriptedPeer.Listening.open();
    running.add(port);
    return port;
  }

  /**
   * Accepts the fetch's dial, reads what it says first (HAVE NONE, its extended handshake) and
   * answers with an extended handshake that offers {@code size} bytes of metadata.
   */
  private ScriptedPeer offering(ScriptedPeer.Listening port, Metainfo metainfo, int size) throws Exception {
    ScriptedPeer peer = port.accept(metainfo, FAST_AND_EXTENDED);
    running.add(0, peer);
    assertThat(peer.next()).as("BEP 6: the first message after the handshake").isEqualTo(new Message.HaveNone());
    ExtendedHandshake ours = ExtendedHandshake.decode(((Message.Extended) peer.next()).payload());
    assertThat(ours.idOf("ut_metadata")).hasValue(MetadataFetch.UT_METADATA_ID);
    assertThat(ours.metadataSize()).as("a peer without metadata says no metadata_size").isEmpty();
    peer.send(ExtendedHandshake.of(Map.of("ut_metadata", PEERS_UT_METADATA)).withMetadataSize(size).message());
    return peer;
  }

  /** Reads until the fetch asks for a piece of metadata, and returns which. */
  private static int nextRequest(ScriptedPeer peer) throws Exception {
    while (true) {
      Message.Extended extended = peer.await(Message.Extended.class);
      if (extended.extendedId() == PEERS_UT_METADATA) {
        return ((MetadataMessage.Request) MetadataMessage.decode(extended.payload()).orElseThrow()).piece();
      }
    }
  }

  private static void serve(ScriptedPeer peer, MetadataServer server, int piece) throws Exception {
    peer.send(server.piece(piece).message(MetadataFetch.UT_METADATA_ID));
  }

  private static Metainfo await(MetadataFetch fetch) throws Exception {
    return fetch.awaitMetainfo(ScriptedPeer.READ_TIMEOUT.toMillis()).orElseThrow(
        () -> new AssertionError("no metadata: " + fetch.tried()));
  }

  @Test
  void fetchesMetadataInManyPiecesSpreadOverSeveralPeers() throws Exception {
    Metainfo metainfo = torrentOf(6);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    assertThat(server.pieceCount()).as("metadata pieces").isEqualTo(6);
    ScriptedPeer.Listening[] ports = {listening(), listening(), listening()};
    MetadataFetch fetch = fetch(metainfo);
    List<ScriptedPeer> peers = new ArrayList<>();
    List<List<Integer>> asked = new ArrayList<>();
    // one peer at a time: each is asked for two pieces, and holds them, before the next is dialed
    for (ScriptedPeer.Listening port : ports) {
      fetch.addCandidates(List.of(port.address()));
      ScriptedPeer peer = offering(port, metainfo, server.totalSize());
      peers.add(peer);
      asked.add(List.of(nextRequest(peer), nextRequest(peer)));
    }
    assertThat(asked).as("pieces asked of each peer, while the others held theirs")
        .allSatisfy(pieces -> assertThat(pieces).hasSize(MetadataFetch.PIECES_AT_ONCE));
    assertThat(asked.stream().flatMap(List::stream).sorted().toList()).containsExactly(0, 1, 2, 3, 4, 5);
    for (int i = 0; i < peers.size(); i++) {
      for (int piece : asked.get(i)) {
        serve(peers.get(i), server, piece);
      }
    }
    assertThat(await(fetch).infoHash()).isEqualTo(metainfo.infoHash());
    assertThat(fetch.status().asked()).as("peers asked").isEqualTo(3);
    assertThat(fetch.status().piecesIn()).isEqualTo(6);
  }

  @Test
  void aRejectedPieceIsAskedOfAnotherPeer() throws Exception {
    Metainfo metainfo = torrentOf(2);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    ScriptedPeer.Listening first = listening();
    ScriptedPeer.Listening second = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(first.address()));
    ScriptedPeer refusing = offering(first, metainfo, server.totalSize());
    assertThat(List.of(nextRequest(refusing), nextRequest(refusing))).containsExactlyInAnyOrder(0, 1);
    fetch.addCandidates(List.of(second.address()));
    ScriptedPeer honest = offering(second, metainfo, server.totalSize());

    refusing.send(new MetadataMessage.Reject(0).message(MetadataFetch.UT_METADATA_ID));
    serve(refusing, server, 1);
    assertThat(nextRequest(honest)).as("the rejected piece, asked of the other peer").isEqualTo(0);
    serve(honest, server, 0);
    assertThat(await(fetch).infoHash()).isEqualTo(metainfo.infoHash());
  }

  @Test
  void aPieceUnansweredForTheTimeoutIsAskedOfAnotherPeer() throws Exception {
    Metainfo metainfo = torrentOf(2);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    ScriptedPeer.Listening first = listening();
    ScriptedPeer.Listening second = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(first.address()));
    ScriptedPeer silent = offering(first, metainfo, server.totalSize());
    assertThat(List.of(nextRequest(silent), nextRequest(silent))).containsExactlyInAnyOrder(0, 1);
    serve(silent, server, 1); // and never piece 0
    fetch.addCandidates(List.of(second.address()));
    ScriptedPeer honest = offering(second, metainfo, server.totalSize());

    clock.addAndGet(MetadataFetch.REQUEST_TIMEOUT.toNanos());
    assertThat(nextRequest(honest)).as("piece 0, given up on the silent peer").isEqualTo(0);
    serve(honest, server, 0);
    assertThat(await(fetch).infoHash()).isEqualTo(metainfo.infoHash());
    assertThat(log).anySatisfy(line -> assertThat(line).contains("metadata piece 0").contains("timed out"));
  }

  @Test
  void metadataWithAWrongHashIsDiscardedAndItsSenderDistrusted() throws Exception {
    Metainfo metainfo = torrentOf(2);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    byte[] forged = metainfo.infoBytes();
    forged[forged.length - 2] ^= 1; // one bit of the last piece hash: the same size, another torrent
    MetadataServer liar = MetadataServer.fromInfoBytes(forged).orElseThrow();
    ScriptedPeer.Listening lying = listening();
    ScriptedPeer.Listening honestPort = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(lying.address()));
    ScriptedPeer forger = offering(lying, metainfo, liar.totalSize());
    for (int i = 0; i < 2; i++) {
      serve(forger, liar, nextRequest(forger));
    }
    assertThat(forger.readUntilHungUp()).as("the forger is hung up on").isNotNull();

    fetch.addCandidates(List.of(honestPort.address(), lying.address()));
    ScriptedPeer honest = offering(honestPort, metainfo, server.totalSize());
    for (int i = 0; i < 2; i++) {
      serve(honest, server, nextRequest(honest));
    }
    assertThat(await(fetch).infoHash()).isEqualTo(metainfo.infoHash());
    assertThat(lying.connections()).as("dials to the forger").isEqualTo(1);
    assertThat(log).anySatisfy(line -> assertThat(line).contains("metadata from " + lying.address())
        .contains("not the link's " + metainfo.infoHash().hex()));
  }

  /**
   * A copy put together from a liar's piece and an honest peer's hashes wrong: neither is blamed
   * (the hash cannot say which lied), and from then on each copy comes from one peer alone. Both
   * peers serve whatever they are asked, on threads of their own; whichever goes first, the honest
   * peer is never hung up on, and the metadata ends up right.
   */
  @Test
  void aWrongCopyFromSeveralPeersBlamesNoOneAndIsFetchedFromOnePeerAtATime() throws Exception {
    Metainfo metainfo = torrentOf(2);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    byte[] forged = metainfo.infoBytes();
    forged[forged.length - 2] ^= 1; // in the last metadata piece
    MetadataServer liar = MetadataServer.fromInfoBytes(forged).orElseThrow();
    ScriptedPeer.Listening lying = listening();
    ScriptedPeer.Listening honestPort = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(honestPort.address()));
    ScriptedPeer honest = offering(honestPort, metainfo, server.totalSize());
    List<Integer> first = List.of(nextRequest(honest), nextRequest(honest));
    serve(honest, server, 0); // piece 1 held back: it goes to the liar
    honest.send(new MetadataMessage.Reject(1).message(MetadataFetch.UT_METADATA_ID));
    fetch.addCandidates(List.of(lying.address()));
    ScriptedPeer forger = offering(lying, metainfo, liar.totalSize());
    assertThat(first).containsExactlyInAnyOrder(0, 1);
    assertThat(nextRequest(forger)).as("the piece the honest peer refused").isEqualTo(1);
    serve(forger, liar, 1); // a copy from both: wrong

    clock.addAndGet(MetadataFetch.RETRY_AFTER.toNanos()); // the honest peer's reject is forgotten
    List<Thread> serving = List.of(servingThread(honest, server), servingThread(forger, liar));
    serving.forEach(Thread::start);
    assertThat(await(fetch).infoHash()).isEqualTo(metainfo.infoHash());
    assertThat(log).anySatisfy(line -> assertThat(line).contains("one of them lied"));
    assertThat(log).noneSatisfy(line -> assertThat(line).startsWith("metadata from " + honestPort.address() + " hashes"));
    assertThat(log).as("the honest peer is never blamed or dropped")
        .noneSatisfy(line -> assertThat(line).contains("dropped " + honestPort.address()));
  }

  /**
   * The first peer offers a size that is a lie and refuses every piece of it: once no peer of that
   * size will send anything, the other peer's size is tried, and it is the right one.
   */
  @Test
  void anotherPeersSizeIsTriedOnceNoPeerOfTheFirstSendsAnything() throws Exception {
    Metainfo metainfo = torrentOf(2);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    ScriptedPeer.Listening first = listening();
    ScriptedPeer.Listening second = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(first.address()));
    ScriptedPeer wrongSize = offering(first, metainfo, server.totalSize() + MetadataMessage.PIECE_LENGTH);
    List<Integer> asked = List.of(nextRequest(wrongSize), nextRequest(wrongSize));
    fetch.addCandidates(List.of(second.address()));
    ScriptedPeer honest = offering(second, metainfo, server.totalSize());
    for (int piece : asked) {
      wrongSize.send(new MetadataMessage.Reject(piece).message(MetadataFetch.UT_METADATA_ID));
    }
    int last = nextRequest(wrongSize); // its size has a third piece: refused too
    assertThat(last).isEqualTo(2);
    wrongSize.send(new MetadataMessage.Reject(last).message(MetadataFetch.UT_METADATA_ID));
    List<Integer> fromHonest = List.of(nextRequest(honest), nextRequest(honest));
    for (int piece : fromHonest) {
      serve(honest, server, piece);
    }
    assertThat(await(fetch).infoHash()).isEqualTo(metainfo.infoHash());
    assertThat(log).anySatisfy(line -> assertThat(line).contains("trying the " + server.totalSize() + " bytes"));
  }

  /** Answers every request of {@code peer} from {@code server} until it is hung up on or closed. */
  private Thread servingThread(ScriptedPeer peer, MetadataServer server) {
    Thread thread = new Thread(() -> {
      try {
        while (true) {
          serve(peer, server, nextRequest(peer));
        }
      } catch (Exception hungUp) {
        // closed by the fetch (a liar), or by the test
      }
    }, "test-serving");
    thread.setDaemon(true);
    running.add(0, () -> {
      peer.close();
      thread.join(5000);
    });
    return thread;
  }

  @Test
  void refusesAMetadataSizeOverSixteenMebibytesBeforeAllocatingIt() throws Exception {
    Metainfo metainfo = torrentOf(1);
    ScriptedPeer.Listening port = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(port.address()));
    ScriptedPeer peer = port.accept(metainfo, FAST_AND_EXTENDED);
    running.add(0, peer);
    peer.send(new Message.Extended(0, "d1:md11:ut_metadatai3ee13:metadata_sizei16777217ee"
        .getBytes(StandardCharsets.US_ASCII))); // 16 MiB and one byte
    peer.readUntilHungUp();
    assertThat(fetch.status().pieceCount()).as("metadata pieces made room for").isZero();
    assertThat(log).anySatisfy(line -> assertThat(line).contains("metadata_size 16777217"));
  }

  @Test
  void dropsAPeerWhoseDataContradictsItsMetadataSize() throws Exception {
    Metainfo metainfo = torrentOf(2);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    ScriptedPeer.Listening port = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(port.address()));
    ScriptedPeer peer = offering(port, metainfo, server.totalSize());
    int piece = nextRequest(peer);
    int otherSize = server.totalSize() + 3 * MetadataMessage.PIECE_LENGTH;
    peer.send(new MetadataMessage.Data(piece, otherSize, new byte[MetadataMessage.PIECE_LENGTH])
        .message(MetadataFetch.UT_METADATA_ID));
    peer.readUntilHungUp();
    assertThat(log).anySatisfy(line -> assertThat(line).contains("says total_size " + otherSize));
  }

  /**
   * A second peer says another size while the first's is being fetched: it is not asked (nor
   * dropped). It asks us for a piece first, and our reject shows its handshake was read; a piece
   * is free for it then, and it would be asked at once.
   */
  @Test
  void aPeerOfAnotherMetadataSizeIsNotAsked() throws Exception {
    Metainfo metainfo = torrentOf(3);
    MetadataServer server = MetadataServer.of(metainfo).orElseThrow();
    ScriptedPeer.Listening first = listening();
    ScriptedPeer.Listening second = listening();
    MetadataFetch fetch = fetch(metainfo);
    fetch.addCandidates(List.of(first.address()));
    ScriptedPeer honest = offering(first, metainfo, server.totalSize());
    List<Integer> held = List.of(nextRequest(honest), nextRequest(honest));
    fetch.addCandidates(List.of(second.address()));
    ScriptedPeer other = offering(second, metainfo, server.totalSize() + 1);
    other.send(new MetadataMessage.Request(0).message(MetadataFetch.UT_METADATA_ID));
    Message.Extended answer = other.await(Message.Extended.class);
    assertThat(MetadataMessage.decode(answer.payload())).as("we have no metadata to give")
        .contains(new MetadataMessage.Reject(0));
    for (int piece : held) {
      serve(honest, server, piece);
    }
    serve(honest, server, nextRequest(honest));
    assertThat(await(fetch).infoHash()).isEqualTo(metainfo.infoHash());
    assertThat(fetch.status().asked()).as("peers asked: only the one whose size is fetched").isEqualTo(1);
  }
}
