package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.tracker.PeerAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BanListTest {
  private final PeerAddress a = PeerAddress.parse("127.0.0.1:6881");
  private final PeerAddress b = PeerAddress.parse("127.0.0.1:6882");
  private final PeerAddress c = PeerAddress.parse("127.0.0.1:6883");
  private final BanList bans = new BanList();

  @Test
  void bansTheSoleSenderOfAFailedPieceAtOnce() {
    assertThat(bans.pieceFailed(Set.of(a))).containsExactly(a);
    assertThat(bans.isBanned(a)).isTrue();
  }

  @Test
  void suspectsButDoesNotBanPeersSharingOneFailedPiece() {
    assertThat(bans.pieceFailed(Set.of(a, b))).isEmpty();
    assertThat(bans.isBanned(a)).isFalse();
  }

  @Test
  void bansAPeerInTwoFailedPieces() {
    bans.pieceFailed(Set.of(a, b));
    assertThat(bans.pieceFailed(Set.of(a, c))).containsExactly(a);
    assertThat(bans.banned()).containsExactly(a);
  }

  @Test
  void reportsABanOnlyOnce() {
    bans.pieceFailed(Set.of(a));
    assertThat(bans.pieceFailed(Set.of(a))).isEmpty();
  }
}
