package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse of the uploader: scripted peers ({@link ScriptedPeer}, raw sockets and chapters 4 and 5)
 * ask a running engine for what it must not give, in ways it must survive, and each test checks
 * what came back on the wire. BEP 6 decides what a refusal looks like: our handshake advertises
 * the fast extension, so a peer that sets the bit too gets a REJECT REQUEST for every request we
 * will not serve, and a peer that does not gets silence (BEP 3 lets a peer ignore such requests).
 *
 * <p>Silence is shown by order, not by waiting: after a refused request the peer sends one we
 * must serve, and the PIECE for that one is the next thing the engine says (it serves its queue
 * oldest first, so a refused request that had been queued would have come first).
 *
 * <p>Some tests wait for the choker to unchoke a scripted peer: it gives a free upload slot at
 * once, so the wait is short.
 */
class PeerSessionUploadTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PIECE = 32 * 1024;
  private static final int BLOCK = BlockRequest.MAX_LENGTH;

  @TempDir Path folder;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
  }

  /** 3 pieces of 32 KiB and a last one of 10,000 bytes. */
  private final byte[] data = TestData.bytes(3 * PIECE + 10_000, 51);

  private Metainfo torrent(String name, byte[] content, int pieceLength) throws Exception {
    Files.write(folder.resolve(name), content);
    return TestData.singleFile(name, content, pieceLength, null);
  }

  private BackgroundDownload seeder(Metainfo metainfo) throws Exception {
    return seeder(metainfo, ConnectionTimeouts.DEFAULTS);
  }

  private BackgroundDownload seeder(Metainfo metainfo, ConnectionTimeouts timeouts) throws Exception {
    BackgroundDownload seeder = BackgroundDownload.seeder(metainfo,
        DownloadOptions.builder(folder).listen(LOOPBACK, 0).timeouts(timeouts));
    running.add(seeder);
    return seeder;
  }

  private ScriptedPeer peer(BackgroundDownload engine, Metainfo metainfo, boolean fast) throws Exception {
    ScriptedPeer peer = ScriptedPeer.connect(engine.address(), metainfo, fast);
    running.add(0, peer); // closed before the engine
    return peer;
  }

  /** What the engine says, up to and including the PIECE message for {@code block}. */
  private static List<Message> untilPieceOf(ScriptedPeer peer, BlockRequest block) throws Exception {
    List<Message> said = new ArrayList<>();
    while (true) {
      Message message = peer.next();
      said.add(message);
      if (message instanceof Message.Piece piece && piece.request().equals(block)) {
        return said;
      }
    }
  }

  private static List<BlockRequest> rejected(List<Message> said) {
    return said.stream().filter(Message.RejectRequest.class::isInstance)
        .map(m -> ((Message.RejectRequest) m).block()).toList();
  }

  private static List<BlockRequest> served(List<Message> said) {
    return said.stream().filter(Message.Piece.class::isInstance).map(m -> ((Message.Piece) m).request()).toList();
  }

  @Nested
  class WhileChoking {
    @Test
    void ignoresARequestFromAPeerWithoutTheFastExtension() throws Exception {
      Metainfo metainfo = torrent("choked.bin", data, PIECE);
      BackgroundDownload seeder = seeder(metainfo);
      ScriptedPeer peer = peer(seeder, metainfo, false);
      BlockRequest early = new BlockRequest(0, 0, BLOCK);
      BlockRequest later = new BlockRequest(1, 0, BLOCK);

      peer.send(new Message.Request(early)); // before we said interested: we are choked
      peer.interestedUntilUnchoked();
      peer.send(new Message.Request(later));
      List<Message> said = untilPieceOf(peer, later);

      assertThat(served(said)).as("the request sent while choked was dropped, not queued").containsExactly(later);
      assertThat(rejected(said)).isEmpty();
    }

    @Test
    void rejectsARequestFromAPeerThatSpeaksTheFastExtension() throws Exception {
      Metainfo metainfo = torrent("choked-fast.bin", data, PIECE);
      BackgroundDownload seeder = seeder(metainfo);
      ScriptedPeer peer = peer(seeder, metainfo, true);
      BlockRequest early = new BlockRequest(0, 0, BLOCK);

      peer.send(new Message.Request(early));

      assertThat(peer.theirs().extensions().has(Extension.FAST)).as("our handshake sets BEP 6's bit").isTrue();
      assertThat(peer.await(Message.RejectRequest.class).block()).isEqualTo(early);
    }
  }

  @Nested
  class WhatWeCannotServe {
    /** Blocks that run past the end of their piece: the last piece is only 10,000 bytes. */
    private final List<BlockRequest> outside = List.of(
        new BlockRequest(0, PIECE - 100, BLOCK),     // starts inside piece 0, ends 16,284 bytes past it
        new BlockRequest(1, 1 << 30, BLOCK),         // starts a gibibyte into a 32 KiB piece
        new BlockRequest(3, 0, BLOCK),               // the whole block length, in a piece of 10,000
        new BlockRequest(3, 9_999, 2));              // one byte inside, one past the end
    private final BlockRequest good = new BlockRequest(3, 0, 10_000);

    @Test
    void rejectsBlocksOutsideTheirPieceWithTheFastExtension() throws Exception {
      Metainfo metainfo = torrent("outside.bin", data, PIECE);
      ScriptedPeer peer = peer(seeder(metainfo), metainfo, true);
      peer.interestedUntilUnchoked();

      peer.request(outside);
      peer.send(new Message.Request(good));
      List<Message> said = untilPieceOf(peer, good);

      assertThat(rejected(said)).containsExactlyElementsOf(outside);
      assertThat(served(said)).containsExactly(good);
    }

    @Test
    void ignoresBlocksOutsideTheirPieceWithoutIt() throws Exception {
      Metainfo metainfo = torrent("outside-plain.bin", data, PIECE);
      ScriptedPeer peer = peer(seeder(metainfo), metainfo, false);
      peer.interestedUntilUnchoked();

      peer.request(outside);
      peer.send(new Message.Request(good));
      List<Message> said = untilPieceOf(peer, good);

      assertThat(served(said)).containsExactly(good);
      assertThat(rejected(said)).isEmpty();
      assertThat(((Message.Piece) said.get(said.size() - 1)).block())
          .isEqualTo(ByteBuffer.wrap(data, 3 * PIECE, 10_000));
    }

    /** A downloader that has piece 0 only: asked for piece 2, it refuses; piece 0 it serves. */
    @Test
    void refusesPiecesItDoesNotHaveYet() throws Exception {
      Metainfo metainfo = TestData.singleFile("half.bin", data, PIECE, null);
      byte[] onDisk = new byte[data.length];
      System.arraycopy(data, 0, onDisk, 0, PIECE); // piece 0 right, the rest zeros: not verified
      Files.write(folder.resolve("half.bin"), onDisk);
      BackgroundDownload downloading = BackgroundDownload.start(metainfo,
          DownloadOptions.builder(folder).listen(LOOPBACK, 0).giveUpAfter(Duration.ofSeconds(60)));
      running.add(downloading);
      ScriptedPeer fast = peer(downloading, metainfo, true);
      ScriptedPeer plain = peer(downloading, metainfo, false);
      BlockRequest lacking = new BlockRequest(2, 0, BLOCK);
      BlockRequest held = new BlockRequest(0, BLOCK, BLOCK);

      fast.send(new Message.HaveNone());
      ScriptedPeer.interestedUntilUnchoked(fast, plain);
      fast.request(List.of(lacking, held));
      plain.request(List.of(lacking, held));
      List<Message> toFast = untilPieceOf(fast, held);
      List<Message> toPlain = untilPieceOf(plain, held);

      assertThat(rejected(toFast)).containsExactly(lacking);
      assertThat(served(toFast)).containsExactly(held);
      assertThat(rejected(toPlain)).isEmpty();
      assertThat(served(toPlain)).containsExactly(held);
    }
  }

  @Nested
  class ProtocolBreakers {
    @Test
    void dropsAPeerThatAsksForAOneMebibyteBlockAndServesTheNextOne() throws Exception {
      Metainfo metainfo = torrent("huge.bin", data, PIECE);
      BackgroundDownload seeder = seeder(metainfo);
      ScriptedPeer greedy = peer(seeder, metainfo, true);

      greedy.sendRaw(
          "0000000d",   // length: 13 = 1 id + 4 index + 4 begin + 4 length
          "06",         // id: request
          "00000000",   // index 0
          "00000000",   // begin 0
          "00100000");  // length 1,048,576: 64 times the 16 KiB every client uses
      greedy.readUntilHungUp();

      assertThat(seeder.awaitLog(line -> line.equals("dropped " + greedy.local() + ": block length 1048576 in a"
          + " request message outside 1..16384 bytes; not dialed again"), Duration.ofSeconds(10))).isTrue();
      ScriptedPeer next = peer(seeder, metainfo, true);
      assertThat(next.await(Message.HaveAll.class)).as("the engine still serves others").isNotNull();
    }

    @Test
    void dropsAPeerThatAsksForAPiecePastTheLast() throws Exception {
      Metainfo metainfo = torrent("past.bin", data, PIECE);
      BackgroundDownload seeder = seeder(metainfo);
      ScriptedPeer peer = peer(seeder, metainfo, false);

      peer.send(new Message.Request(new BlockRequest(4, 0, BLOCK))); // pieces are 0 to 3
      peer.readUntilHungUp();

      assertThat(seeder.awaitLog(line -> line.startsWith("dropped " + peer.local() + ": piece index 4 ")
          && line.endsWith("; not dialed again"), Duration.ofSeconds(10))).as(seeder.log().toString()).isTrue();
    }
  }

  @Nested
  class Floods {
    /**
     * 10,000 requests in one burst, each for another 64-byte block of a 1 MiB torrent: each one is
     * answered exactly once (a PIECE, or a REJECT REQUEST if the queue of 250 was full), with the
     * right bytes, and the engine goes on serving. The session serves up to 16 blocks after each
     * message it reads, so it reads requests only as fast as it sends, and the queue stays short;
     * UploadQueueTest shows the bound of 250 itself.
     */
    @Test
    void answersTenThousandRequestsAtOnceEachExactlyOnce() throws Exception {
      int pieceLength = 256 * 1024;
      byte[] mebibyte = TestData.bytes(4 * pieceLength, 52);
      Metainfo metainfo = torrent("flood.bin", mebibyte, pieceLength);
      BackgroundDownload seeder = seeder(metainfo);
      ScriptedPeer peer = peer(seeder, metainfo, true);
      peer.interestedUntilUnchoked();
      List<BlockRequest> flood = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        long offset = 64L * i;
        flood.add(new BlockRequest((int) (offset / pieceLength), (int) (offset % pieceLength), 64));
      }

      peer.request(flood);
      Set<BlockRequest> answered = new HashSet<>();
      int pieces = 0;
      int rejects = 0;
      while (pieces + rejects < flood.size()) {
        Message message = peer.next();
        if (message instanceof Message.Piece piece) {
          BlockRequest block = piece.request();
          assertThat(piece.block()).isEqualTo(ByteBuffer.wrap(mebibyte, block.pieceIndex() * pieceLength + block.begin(), 64));
          assertThat(answered.add(block)).as("answered once: " + block).isTrue();
          pieces++;
        } else if (message instanceof Message.RejectRequest reject) {
          assertThat(answered.add(reject.block())).as("answered once: " + reject.block()).isTrue();
          rejects++;
        }
      }

      assertThat(answered).containsExactlyInAnyOrderElementsOf(flood);
      assertThat(pieces).as("served").isPositive();
      assertThat(seeder.status().bytesUploaded()).isEqualTo(64L * pieces);
      BlockRequest after = new BlockRequest(0, 0, BLOCK);
      peer.send(new Message.Request(after));
      assertThat(served(untilPieceOf(peer, after))).as("the session is still up").containsExactly(after);
    }

    /**
     * A peer asks for 40 MiB and never reads: our writes to it block once the sockets' buffers
     * are full, and its connection's write timeout (2 s here) closes it; meanwhile another peer,
     * which reads, gets every block of the torrent from its own session.
     */
    @Test
    void closesAPeerThatNeverReadsAndServesAnotherMeanwhile() throws Exception {
      int pieceLength = 256 * 1024;
      byte[] content = TestData.bytes(8 * pieceLength, 53);
      Metainfo metainfo = torrent("stuck.bin", content, pieceLength);
      BackgroundDownload seeder = seeder(metainfo,
          new ConnectionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(2)));
      ScriptedPeer stuck = peer(seeder, metainfo, false);
      ScriptedPeer honest = peer(seeder, metainfo, true);
      ScriptedPeer.interestedUntilUnchoked(stuck, honest);
      List<BlockRequest> everyBlock = new ArrayList<>();
      for (int offset = 0; offset < content.length; offset += BLOCK) {
        everyBlock.add(new BlockRequest(offset / pieceLength, offset % pieceLength, BLOCK));
      }

      // 1. 20 times every block (40 MiB), in 2,560 requests (43 KiB): the engine reads them all
      //    before its writes to this peer fill the buffers, and then its writes block
      for (int round = 0; round < 20; round++) {
        stuck.request(everyBlock);
      }
      // 2. the honest peer downloads the whole torrent meanwhile
      honest.request(everyBlock);
      ByteBuffer received = ByteBuffer.allocate(content.length);
      for (int i = 0; i < everyBlock.size(); i++) {
        Message.Piece piece = honest.await(Message.Piece.class);
        received.position(piece.pieceIndex() * pieceLength + piece.begin());
        received.put(piece.block());
      }
      int connectedMeanwhile = seeder.status().peersConnected();
      // 3. the stuck peer is closed once the write timeout ends the blocked write
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seeder.status().peersConnected() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(50); // the status has no event to wait on
      }
      long got = stuck.readUntilClosed();

      assertThat(received.array()).isEqualTo(content);
      assertThat(connectedMeanwhile).as("the stuck peer was still connected while the honest one was served").isEqualTo(2);
      assertThat(seeder.status().peersConnected()).as("the stuck peer is closed").isEqualTo(1);
      assertThat(got).as("the stuck peer got a part of what it asked for at most, then the connection ended")
          .isLessThan(20L * content.length);
      assertThat(seeder.status().bytesUploaded()).as("blocks went to the stuck peer too, until its writes blocked")
          .isGreaterThan(content.length);
    }
  }
}
