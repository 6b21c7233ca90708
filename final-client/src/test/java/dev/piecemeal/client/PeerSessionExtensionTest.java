package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.magnet.ExtendedHandshake;
import dev.piecemeal.client.magnet.MetadataAssembler;
import dev.piecemeal.client.magnet.MetadataMessage;
import dev.piecemeal.client.magnet.MetadataVerdict;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension protocol (BEP 10) in the engine: scripted peers ({@link ScriptedPeer}) that set
 * its bit and send an extended handshake, and what the engine does with it: keeps no more
 * requests out than the peer's {@code reqq}, and serves its info dictionary by ut_metadata (BEP 9).
 */
class PeerSessionExtensionTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Extensions FAST_AND_EXTENDED = Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL);
  /** The id our scripted peer asks ut_metadata to be sent to it under: its own choice (BEP 10). */
  private static final int PEERS_UT_METADATA = 7;

  @TempDir Path folder;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
  }

  private ScriptedPeer peer(BackgroundDownload engine, Metainfo metainfo) throws Exception {
    ScriptedPeer peer = ScriptedPeer.connect(engine.address(), metainfo, FAST_AND_EXTENDED);
    running.add(0, peer); // closed before the engine
    return peer;
  }

  @Test
  void answersWithItsOwnExtendedHandshake() throws Exception {
    byte[] data = TestData.bytes(100_000, 3);
    Files.write(folder.resolve("hello.bin"), data);
    Metainfo metainfo = TestData.singleFile("hello.bin", data, 32 * 1024, null);
    BackgroundDownload seeder = BackgroundDownload.seeder(metainfo,
        DownloadOptions.builder(folder).listen(LOOPBACK, 0));
    running.add(seeder);
    ScriptedPeer peer = peer(seeder, metainfo);

    assertThat(peer.theirs().extensions().has(Extension.EXTENSION_PROTOCOL)).as("the engine's reserved bit").isTrue();
    ExtendedHandshake theirs = ExtendedHandshake.decode(awaitExtended(peer, ExtendedHandshake.EXTENDED_ID).payload());
    assertThat(theirs.idOf("ut_metadata")).hasValue(PeerSession.UT_METADATA_ID);
    assertThat(theirs.metadataSize()).hasValue(metainfo.infoBytes().length);
    assertThat(theirs.requestQueue()).hasValue(UploadQueue.MAX_QUEUED);
    assertThat(theirs.listenPort()).hasValue(seeder.address().port());
    assertThat(theirs.yourIp()).contains(LOOPBACK);
    assertThat(theirs.client()).hasValueSatisfying(v -> assertThat(v).startsWith("Piecemeal "));
  }

  /**
   * The peer queues 2 requests. After each message it sends a probe, a request for a block the
   * engine lacks, which the engine rejects (BEP 6) once it has read it: whatever it sent before the
   * reject is all it sent in answer to that message, so a third request out would show there.
   * Pieces of 8 blocks, so that one piece alone would fill a pipeline of 4 (its least depth).
   */
  @Test
  void keepsNoMoreRequestsOutThanThePeersReqq() throws Exception {
    int pieceLength = 8 * BlockRequest.MAX_LENGTH;
    byte[] data = TestData.bytes(2 * pieceLength, 11);
    Metainfo metainfo = TestData.singleFile("capped.bin", data, pieceLength, null);
    BackgroundDownload downloader = BackgroundDownload.start(metainfo,
        DownloadOptions.builder(folder).listen(LOOPBACK, 0));
    running.add(downloader);
    ScriptedPeer seeder = peer(downloader, metainfo);
    Message probe = new Message.Request(new BlockRequest(0, 0, BlockRequest.MAX_LENGTH));

    seeder.send(
        ExtendedHandshake.of(Map.of()).withRequestQueue(2).message(), // d 1:m de 4:reqq i2e e
        new Message.HaveAll(),
        new Message.Unchoke(),
        probe);
    Deque<BlockRequest> out = new ArrayDeque<>();
    int most = 0;
    int blocks = data.length / BlockRequest.MAX_LENGTH;
    for (int served = 0; served < blocks; served++) {
      Message message;
      while (!((message = seeder.next()) instanceof Message.RejectRequest)) {
        if (message instanceof Message.Request request) {
          out.add(request.block());
          most = Math.max(most, out.size());
          assertThat(out).as("requests out to a peer whose reqq is 2").hasSizeLessThanOrEqualTo(2);
        }
      }
      assertThat(out).as("requests out after %d blocks served", served).isNotEmpty();
      BlockRequest block = out.poll();
      int at = block.pieceIndex() * pieceLength + block.begin();
      seeder.send(Message.Piece.of(block.pieceIndex(), block.begin(),
          Arrays.copyOfRange(data, at, at + block.length())), probe);
    }
    assertThat(most).as("the most requests out at once").isEqualTo(2);
  }

  /**
   * A peer that came with only a magnet link asks for every piece of the info dictionary, and one
   * past the end; the pieces it gets back hash to the info-hash, and the one past the end is refused.
   */
  @Test
  void servesItsInfoDictionaryByUtMetadata() throws Exception {
    // 938 pieces of 32 bytes: 18,760 bytes of piece hashes, so the info dictionary is 2 metadata pieces
    byte[] data = TestData.bytes(30_000, 5);
    Files.write(folder.resolve("meta.bin"), data);
    Metainfo metainfo = TestData.singleFile("meta.bin", data, 32, null);
    BackgroundDownload seeder = BackgroundDownload.seeder(metainfo,
        DownloadOptions.builder(folder).listen(LOOPBACK, 0));
    running.add(seeder);
    ScriptedPeer peer = peer(seeder, metainfo);
    ExtendedHandshake theirs = ExtendedHandshake.decode(awaitExtended(peer, ExtendedHandshake.EXTENDED_ID).payload());
    int theirId = theirs.idOf("ut_metadata").orElseThrow();
    int size = theirs.metadataSize().orElseThrow();
    MetadataAssembler<String> assembler = new MetadataAssembler<>(metainfo.infoHash(), size);
    assertThat(assembler.pieceCount()).as("metadata pieces").isEqualTo(2);

    peer.send(ExtendedHandshake.of(Map.of("ut_metadata", PEERS_UT_METADATA)).message());
    // the first request spelled out: an extended message under the id the engine gave ut_metadata
    byte[] request = ascii("d8:msg_typei0e5:piecei0ee");
    peer.sendRaw(
        "0000001b",                         // length: 27 = 1 id + 1 extended id + 25 payload
        "14",                               // id: extended (20)
        String.format("%02x", theirId),     // the engine's id for ut_metadata
        HexFormat.of().formatHex(request)); // d 8:msg_type i0e 5:piece i0e e
    peer.send(new MetadataMessage.Request(1).message(theirId), new MetadataMessage.Request(2).message(theirId));

    List<MetadataMessage> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(MetadataMessage.decode(awaitExtended(peer, PEERS_UT_METADATA).payload()).orElseThrow());
    }
    assertThat(answers.get(2)).as("piece 2 of 2").isEqualTo(new MetadataMessage.Reject(2));
    for (MetadataMessage answer : answers.subList(0, 2)) {
      assertThat(answer).isInstanceOf(MetadataMessage.Data.class);
      assembler.add("seeder", (MetadataMessage.Data) answer);
    }
    assertThat(assembler.isComplete()).isTrue();
    MetadataVerdict<String> verdict = assembler.verify(List.of());
    assertThat(verdict).as("SHA-1 of the assembled metadata against the info-hash")
        .isInstanceOf(MetadataVerdict.Accepted.class);
    assertThat(((MetadataVerdict.Accepted<String>) verdict).metainfo().infoHash()).isEqualTo(metainfo.infoHash());
  }

  /** Reads until an extended message with this extended id, passing over the rest (have all, keep-alives). */
  private static Message.Extended awaitExtended(ScriptedPeer peer, int extendedId) throws Exception {
    while (true) {
      Message.Extended extended = peer.await(Message.Extended.class);
      if (extended.extendedId() == extendedId) {
        return extended;
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
