package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.tracker.PeerAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BanListTest {
  private final PeerAddress a = PeerAddress.parse("127.0.0.1:6881");
  private final PeerAddress b = PeerAddress.parse("127.0.0.1:6882");
  private final PeerAddress c = PeerAddress.parse("127.0.0.1:6883");
  private final BanList bans = new BanList();

  private static List<byte[]> hashes(String... blocks) {
    return List.of(blocks).stream().map(block -> BanList.blockHashes(ByteBuffer.wrap(block.getBytes()), 100).get(0)).toList();
  }

  @Test
  void bansTheSoleSenderOfAFailedPieceAtOnce() {
    assertThat(bans.pieceFailed(7, List.of(a, a), hashes("x", "y"))).containsExactly(a);
    assertThat(bans.isBanned(a)).isTrue();
  }

  @Test
  void suspectsButDoesNotBanPeersSharingOneFailedPiece() {
    assertThat(bans.pieceFailed(7, List.of(a, b), hashes("good", "bad"))).isEmpty();
    assertThat(bans.isBanned(a)).isFalse();
    assertThat(bans.hasEvidence(7)).isTrue();
  }

  @Test
  void bansTheSenderWhoseBlockDiffersWhenThePiecePassesLater() {
    bans.pieceFailed(7, List.of(a, b), hashes("good", "bad"));

    assertThat(bans.pieceVerified(7, hashes("good", "right"))).containsExactly(b);
    assertThat(bans.isBanned(a)).as("its block was the good one").isFalse();
    assertThat(bans.hasEvidence(7)).isFalse();
  }

  @Test
  void neverBansForSharedFailuresAloneHoweverMany() {
    for (int piece = 0; piece < 10; piece++) {
      assertThat(bans.pieceFailed(piece, List.of(a, b), hashes("1", "2"))).isEmpty();
    }
    assertThat(bans.banned()).isEmpty();
  }

  @Test
  void namesALiarInAnEarlierFailedCopyToo() {
    bans.pieceFailed(7, List.of(a, b), hashes("good", "bad"));
    bans.pieceFailed(7, List.of(c, a), hashes("worse", "right"));

    assertThat(bans.pieceVerified(7, hashes("good", "right"))).containsExactlyInAnyOrder(b, c);
    assertThat(bans.isBanned(a)).isFalse();
  }

  @Test
  void reportsABanOnlyOnce() {
    bans.pieceFailed(7, List.of(a), hashes("x"));
    assertThat(bans.pieceFailed(8, List.of(a), hashes("y"))).isEmpty();
  }

  @Test
  void hashesEachBlockOfAPieceTheLastOneShort() {
    List<byte[]> hashes = BanList.blockHashes(ByteBuffer.wrap(new byte[250]), 100);
    assertThat(hashes).hasSize(3);
    assertThat(hashes.get(0)).isEqualTo(hashes.get(1)).isNotEqualTo(hashes.get(2));
  }
}
