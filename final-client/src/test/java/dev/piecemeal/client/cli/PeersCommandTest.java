package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.BencodeDecoder;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.TestTracker;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageLimits;
import dev.piecemeal.messages.MessageReader;
import dev.piecemeal.messages.MessageWriter;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.testing.TestTorrents;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code piecemeal peers} against scripted peers on 127.0.0.1: each one answers the handshake,
 * then plays its part of the conversation message by message, as a seeder, a peer that never
 * unchokes, a peer with nothing, a peer that sends the wrong bytes.
 */
class PeersCommandTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** 40,000 bytes: pieces of 16 KiB are 16384, 16384 and 7232 bytes; of 32 KiB, 32768 and 7232. */
  private static final byte[] CONTENT = content(40_000);

  @TempDir Path folder;

  private final PeerId peerId = PeerId.fromBytes("-TR3000-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
  private final CountDownLatch testDone = new CountDownLatch(1);
  private final List<Message> received = new ArrayList<>();
  private PeerListener peer;

  @BeforeEach
  void startAPeer() throws IOException {
    peer = PeerListener.bind(LOOPBACK, 0, 4, ConnectionTimeouts.all(Duration.ofSeconds(5)));
    Files.write(folder.resolve("data.bin"), CONTENT);
  }

  @AfterEach
  void stopThePeer() {
    testDone.countDown();
    peer.close();
  }

  private static byte[] content(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + i / 251);
    }
    return bytes;
  }

  /** A torrent of {@link #CONTENT} with pieces of {@code pieceLength}, in the temp folder. */
  private String torrent(int pieceLength) throws IOException {
    Path file = folder.resolve("data-" + pieceLength + ".torrent");
    Files.write(file, TestTorrents.singleFile("data.bin", CONTENT, pieceLength));
    return file.toString();
  }

  /** What a scripted peer does after the handshake. */
  interface Script {
    void play(MessageReader reader, MessageWriter writer) throws IOException, ProtocolException;
  }

  /** Answer the handshake for {@code torrent} with {@code extensions}, then play {@code script}. */
  private void serve(String torrent, Extensions extensions, Script script) throws Exception {
    Metainfo metainfo = Metainfo.fromFile(Path.of(torrent));
    Handshaker handshaker = new Handshaker(peerId, extensions);
    peer.serve(connection -> {
      try {
        handshaker.respond(connection, metainfo.infoHash()::equals);
        MessageReader reader = new MessageReader(connection.in(), MessageLimits.forPieces(metainfo.pieceCount()));
        script.play(reader, new MessageWriter(connection.out()));
        // Stay until the command hangs up, as a real peer would.
        while (true) {
          reader.read();
        }
      } catch (IOException | ProtocolException e) {
        // the command hung up: the conversation is over
      }
    });
  }

  /** Reads until a message of {@code type} arrives, keeping everything read in {@link #received}. */
  private <M extends Message> M readUntil(MessageReader reader, Class<M> type) throws IOException, ProtocolException {
    while (true) {
      Message message = reader.read();
      synchronized (received) {
        received.add(message);
      }
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
  }

  /** A seeder: all pieces, unchokes after interested, answers the request with {@code block}. */
  private Script seeder(byte[] bitfield, BlockAnswer answer) {
    return (reader, writer) -> {
      readUntil(reader, Message.Extended.class); // after our have none
      writer.write(new Message.Bitfield(bitfield));
      writer.flush();
      readUntil(reader, Message.Interested.class);
      writer.write(new Message.Unchoke());
      writer.flush();
      Message.Request request = readUntil(reader, Message.Request.class);
      writer.write(answer.to(request.block()));
      writer.flush();
    };
  }

  interface BlockAnswer {
    Message to(BlockRequest block);
  }

  /** The piece message a good seeder sends: the bytes of {@link #CONTENT} the request names. */
  private static Message honest(BlockRequest block, int pieceLength) {
    int start = block.pieceIndex() * pieceLength + block.begin();
    return Message.Piece.of(block.pieceIndex(), block.begin(), Arrays.copyOfRange(CONTENT, start, start + block.length()));
  }

  private static final Extensions FAST_AND_BEP10 = Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL);

  private String facts(int have, int of, boolean unchoked) {
    return peer.localAddress() + "  peer id -TR3000-abcdefghijkl  client Transmission 3.00  has " + have + "/" + of
        + " pieces (" + (100 * have / of) + "%)  unchoked us: " + (unchoked ? "yes" : "no") + "  ";
  }

  @Nested
  class CheckingTheBlock {

    @Test
    void aBlockThatIsAWholePieceIsCheckedAgainstThePieceHash() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xe0}, block -> honest(block, 16384)));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.err()).isEmpty();
      assertThat(result.out()).isEqualTo(
          facts(3, 3, true) + "ok: block 0:0+16384 intact (its SHA-1 is piece 0's hash)\n");
    }

    @Test
    void aBlockWhoseSha1IsWrongIsAFailure() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10,
          seeder(new byte[] {(byte) 0xe0}, block -> Message.Piece.of(0, 0, new byte[16384])));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.out()).isEqualTo(
          facts(3, 3, true) + "failed: block 0:0+16384 corrupt (its SHA-1 is not piece 0's hash)\n");
      assertThat(result.errLines()).containsExactly("error: no peer sent the block we asked for (one peer tried)");
    }

    @Test
    void aBlockOfALargerPieceIsComparedWithTheCopyGivenByData() throws Exception {
      String torrent = torrent(32768);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xc0}, block -> honest(block, 32768)));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString(), "--data", folder.toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.out()).isEqualTo(
          facts(2, 2, true) + "ok: block 0:0+16384 intact (equal to the copy in " + folder + ")\n");
    }

    @Test
    void aBlockThatDiffersFromTheCopySaysWhere() throws Exception {
      String torrent = torrent(32768);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xc0}, block -> {
        byte[] bytes = Arrays.copyOfRange(CONTENT, 0, 16384);
        bytes[1000] ^= 1;
        return Message.Piece.of(0, 0, bytes);
      }));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString(), "--data", folder.toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.out()).isEqualTo(
          facts(2, 2, true) + "failed: block 0:0+16384 corrupt (differs from the copy in " + folder + " at byte 1000)\n");
    }

    @Test
    void withoutACopyABlockOfALargerPieceArrivesUnchecked() throws Exception {
      String torrent = torrent(32768);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xc0}, block -> honest(block, 32768)));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.out()).isEqualTo(facts(2, 2, true) + "ok: block 0:0+16384 arrived, not checked"
          + " (piece 0 is 32768 bytes, hashed only whole; --data DIR compares the block)\n");
    }

    @Test
    void asksForTheFirstPieceThePeerHasAndNoMoreThanThePieceHolds() throws Exception {
      String torrent = torrent(16384);
      // Only piece 2, the short last one: 7232 bytes.
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0x20}, block -> honest(block, 16384)));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.out()).isEqualTo(
          facts(1, 3, true) + "ok: block 2:0+7232 intact (its SHA-1 is piece 2's hash)\n");
    }
  }

  @Nested
  class Trace {

    @Test
    void printsEveryMessageInBothDirectionsInOrder() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xe0}, block -> honest(block, 16384)));
      String address = peer.localAddress().toString();

      CliRunner.Result result = CliRunner.run("peers", torrent, address, "--trace");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      String hash = Metainfo.fromFile(Path.of(torrent)).infoHash().hex();
      List<String> lines = result.out().lines().toList();
      assertThat(lines).hasSize(10);
      assertThat(lines.get(0)).matches(address.replace(".", "\\.") + " -> handshake info hash " + hash
          + "  peer id -PM0100-.* \\(Piecemeal .*\\)  extensions BEP6-fast, BEP10-extension-protocol");
      assertThat(lines.subList(1, 10)).containsExactly(
          address + " <- handshake info hash " + hash
              + "  peer id -TR3000-abcdefghijkl (Transmission 3.00)  extensions BEP6-fast, BEP10-extension-protocol",
          address + " -> have none",
          address + " -> extended id 0 (handshake), 52 bytes {m: {}, reqq: 16, v: \"Piecemeal (development build)\"}",
          address + " <- bitfield 3/3 pieces",
          address + " -> interested",
          address + " <- unchoke",
          address + " -> request piece 0 begin 0 length 16384",
          address + " <- piece piece 0 begin 0 length 16384",
          facts(3, 3, true) + "ok: block 0:0+16384 intact (its SHA-1 is piece 0's hash)");
    }

    @Test
    void withoutTheFastExtensionWeSendNoHaveNoneAndWithoutBep10NoExtensionHandshake() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, Extensions.none(), (reader, writer) -> {
        writer.write(new Message.Bitfield(new byte[] {(byte) 0xe0}));
        writer.flush();
        readUntil(reader, Message.Interested.class);
        writer.write(new Message.Unchoke());
        writer.flush();
        Message.Request request = readUntil(reader, Message.Request.class);
        writer.write(honest(request.block(), 16384));
        writer.flush();
      });

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString(), "--trace");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.out()).doesNotContain("have none", "extended");
      synchronized (received) {
        assertThat(received).containsExactly(
            new Message.Interested(), new Message.Request(new BlockRequest(0, 0, 16384)));
      }
    }
  }

  @Nested
  class PeersThatDoNotDeliver {

    @Test
    void aPeerThatNeverUnchokesIsReportedAfterTheWait() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, (reader, writer) -> {
        writer.write(new Message.HaveAll());
        writer.flush();
        readUntil(reader, Message.Interested.class);
      });

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString(), "--wait", "1");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.out()).isEqualTo(
          facts(3, 3, false) + "failed: did not unchoke us within 1 s of our interested\n");
    }

    @Test
    void aPeerWithNoPieceIsNotAskedForAny() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, (reader, writer) -> {
        writer.write(new Message.HaveNone());
        writer.flush();
      });

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.out()).isEqualTo(facts(0, 3, false) + "failed: has no piece to ask for\n");
    }

    @Test
    void aPeerThatSaysNothingAboutItsPiecesTimesOut() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, Extensions.none(), (reader, writer) -> awaitQuietly(testDone));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString(), "--timeout", "1");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.out()).isEqualTo(peer.localAddress() + "  peer id -TR3000-abcdefghijkl  client Transmission 3.00"
          + "  has ? pieces (said nothing)  unchoked us: no  failed: sent no bitfield, have all or have none within 1 s\n");
    }

    @Test
    void aRejectedRequestIsAFailure() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xe0}, Message.RejectRequest::new));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.out()).isEqualTo(facts(3, 3, true) + "failed: rejected our request for block 0:0+16384\n");
    }

    @Test
    void aBlockWeDidNotAskForBreaksTheProtocol() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xe0}, block -> honest(new BlockRequest(1, 0, 16384), 16384)));

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(result.out()).isEqualTo(facts(3, 3, true)
          + "failed: sent block 1:0+16384, which we did not ask for (peer " + peer.localAddress() + ")\n");
    }

    @Test
    void aRequestFromThePeerIsRejectedUnderTheFastExtension() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, (reader, writer) -> {
        writer.write(new Message.HaveAll());
        writer.write(new Message.Request(new BlockRequest(1, 0, 16384)));
        writer.flush();
        readUntil(reader, Message.RejectRequest.class);
        writer.write(new Message.Unchoke());
        writer.flush();
        Message.Request request = readUntil(reader, Message.Request.class);
        writer.write(honest(request.block(), 16384));
        writer.flush();
      });

      CliRunner.Result result = CliRunner.run("peers", torrent, peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      synchronized (received) {
        assertThat(received).contains(new Message.RejectRequest(new BlockRequest(1, 0, 16384)));
      }
    }

    @Test
    void oneGoodPeerAmongRefusedOnesIsSuccess() throws Exception {
      String torrent = torrent(16384);
      serve(torrent, FAST_AND_BEP10, seeder(new byte[] {(byte) 0xe0}, block -> honest(block, 16384)));
      PeerAddress nobody = closedPort();

      CliRunner.Result result = CliRunner.run("peers", torrent, nobody.toString(), peer.localAddress().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.out().lines())
          .containsExactlyInAnyOrder(
              nobody + "  failed: connection refused by " + nobody,
              facts(3, 3, true) + "ok: block 0:0+16384 intact (its SHA-1 is piece 0's hash)");
    }
  }

  /**
   * Without addresses the peers come from the torrent's tracker (a tiny HTTP tracker made with the
   * JDK's HttpServer), which hears "stopped" when we are done.
   */
  @Nested
  class FromTheTracker {
    private TestTracker tracker;

    @BeforeEach
    void startTheTracker() throws IOException {
      tracker = new TestTracker(List.of(peer.localAddress())); // the compact form, our scripted peer alone
    }

    @AfterEach
    void stopTheTracker() {
      tracker.close();
    }

    @Test
    void fetchesABlockFromThePeersTheTrackerReturnsThenSaysStopped() throws Exception {
      byte[] info = BencodeEncoder.encode(BencodeDictionary.builder()
          .put("length", CONTENT.length)
          .put("name", "data.bin")
          .put("piece length", 16384)
          .put("pieces", TestTorrents.pieceHashes(CONTENT, 16384))
          .build());
      Path torrent = folder.resolve("tracked.torrent");
      Files.write(torrent, BencodeEncoder.encode(BencodeDictionary.builder()
          .put("announce", tracker.announceUrl())
          .put("info", BencodeDecoder.decode(info))
          .build()));
      serve(torrent.toString(), FAST_AND_BEP10, seeder(new byte[] {(byte) 0xe0}, block -> honest(block, 16384)));

      CliRunner.Result result = CliRunner.run("peers", torrent.toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.err()).isEmpty();
      assertThat(result.out()).isEqualTo(facts(3, 3, true) + "ok: block 0:0+16384 intact (its SHA-1 is piece 0's hash)\n");
      assertThat(tracker.queries()).hasSize(2);
      assertThat(tracker.queries().get(0)).contains("&event=started&");
      assertThat(tracker.queries().get(1)).as("the goodbye").contains("&event=stopped&");
    }
  }

  @Nested
  class BadInput {

    @Test
    void aWaitOfZeroIsABadArgument() throws Exception {
      CliRunner.Result result = CliRunner.run("peers", torrent(16384), "127.0.0.1:1", "--wait", "0");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).containsExactly("error: --wait 0 is not in 1..3600 seconds");
    }

    @Test
    void dataThatIsNotAFolderIsABadArgument() throws Exception {
      Path notAFolder = folder.resolve("data.bin");

      CliRunner.Result result = CliRunner.run("peers", torrent(16384), "127.0.0.1:1", "--data", notAFolder.toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).containsExactly("error: " + notAFolder + ": not a folder (--data)");
    }

    @Test
    void aMalformedAddressIsABadArgument() throws Exception {
      CliRunner.Result result = CliRunner.run("peers", torrent(16384), "127.0.0.1");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.errLines()).hasSize(1).allMatch(line -> line.startsWith("error: "));
    }
  }

  @Nested
  class OurExtensionHandshake {

    @Test
    void oursIsBencodedWithAnEmptyMessageMap() throws Exception {
      assertThat(BencodeOneLine.of(BencodeDecoder.decode(PeersCommand.ourExtensionHandshake())))
          .isEqualTo("{m: {}, reqq: 16, v: \"Piecemeal (development build)\"}");
    }
  }

  private static PeerAddress closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return new PeerAddress(LOOPBACK, socket.getLocalPort());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
