package dev.piecemeal.client.magnet;

import static dev.piecemeal.client.magnet.Payloads.ascii;
import static dev.piecemeal.client.magnet.Payloads.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.testing.TestTorrents;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataServerTest {

  /** 34,256 bytes, each its offset's low byte: pieces 0 and 1 of 16,384 bytes, piece 2 of 1,488. */
  private static final byte[] INFO = counting(34_256);

  private final MetadataServer server = MetadataServer.fromInfoBytes(INFO).orElseThrow();

  @Test
  void cutsTheInfoDictionaryIntoSixteenKibibytePiecesTheLastHoldingTheRest() {
    assertThat(server.totalSize()).isEqualTo(34_256);
    assertThat(server.pieceCount()).isEqualTo(3);
    assertThat(server.piece(0).bytes()).isEqualTo(Arrays.copyOfRange(INFO, 0, 16384));
    assertThat(server.piece(1).bytes()).isEqualTo(Arrays.copyOfRange(INFO, 16384, 32768));
    assertThat(server.piece(2).bytes()).isEqualTo(Arrays.copyOfRange(INFO, 32768, 34256));
  }

  @Test
  void answersARequestWithItsPieceInADataMessage() {
    MetadataMessage answer = server.answer(new MetadataMessage.Request(2));
    assertThat(answer.encode()).isEqualTo(bytes(
        ascii("d"),
        ascii("8:msg_type", "i1e"),          // 1: data
        ascii("5:piece", "i2e"),             // piece 2
        ascii("10:total_size", "i34256e"),
        ascii("e"),
        Arrays.copyOfRange(INFO, 32768, 34256)));
  }

  @Test
  void rejectsARequestForAPieceItDoesNotHave() {
    assertThat(server.answer(new MetadataMessage.Request(3))).isEqualTo(new MetadataMessage.Reject(3));
    assertThat(server.answer(new MetadataMessage.Request(Integer.MAX_VALUE))).isEqualTo(new MetadataMessage.Reject(Integer.MAX_VALUE));
  }

  @Test
  void servesATorrentsOwnInfoBytes() throws Exception {
    Metainfo metainfo = Metainfo.fromBytes(TestTorrents.singleFile("a.txt", new byte[100], 16384));
    MetadataServer ours = MetadataServer.of(metainfo).orElseThrow();
    assertThat(ours.totalSize()).isEqualTo(metainfo.infoBytes().length);
    assertThat(ours.piece(0).bytes()).isEqualTo(metainfo.infoBytes());
  }

  @Test
  void offersNothingItsPeersWouldRefuse() {
    assertThat(MetadataServer.fromInfoBytes(new byte[0])).isEmpty();
    assertThat(MetadataServer.fromInfoBytes(new byte[MetadataMessage.MAX_TOTAL_SIZE + 1])).isEmpty();
    assertThat(MetadataServer.fromInfoBytes(new byte[MetadataMessage.MAX_TOTAL_SIZE])).isPresent();
  }

  @Test
  void aPieceOutOfRangeIsACallersMistake() {
    assertThatThrownBy(() -> server.piece(3)).isInstanceOf(IllegalArgumentException.class).hasMessage("piece 3 outside 0..2");
  }

  /** Both sides without a socket: our server's messages, through encode and decode, into an assembler. */
  @Test
  void whatItSendsAnAssemblerAccepts() throws Exception {
    Metainfo seeded = Metainfo.fromBytes(TestTorrents.singleFileInfo("big.iso", 3000L * 16384, 16384).torrent());
    MetadataServer ours = MetadataServer.of(seeded).orElseThrow();
    MetadataAssembler<String> theirs = new MetadataAssembler<>(seeded.infoHash(), ours.totalSize());
    for (int piece : theirs.missingPieces()) {
      byte[] payload = ours.answer(new MetadataMessage.Request(piece)).message(3).payload();
      theirs.add("us", (MetadataMessage.Data) MetadataMessage.decode(payload).orElseThrow());
    }
    MetadataVerdict<String> verdict = theirs.verify(List.of());
    assertThat(((MetadataVerdict.Accepted<String>) verdict).metainfo().infoHash()).isEqualTo(seeded.infoHash());
  }

  private static byte[] counting(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }
}
