package dev.piecemeal.client.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The store of announced peers on a clock moved by hand, and under floods of announces. */
class PeerStoreTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final InfoHash TORRENT = torrent(0);

  private long now;
  private final PeerStore store = new PeerStore(() -> now);

  private static InfoHash torrent(int n) {
    byte[] hash = new byte[20];
    hash[16] = (byte) (n >>> 24);
    hash[17] = (byte) (n >>> 16);
    hash[18] = (byte) (n >>> 8);
    hash[19] = (byte) n;
    return InfoHash.fromBytes(hash);
  }

  private static PeerAddress peer(int n) {
    try {
      return new PeerAddress(InetAddress.getByAddress(
          new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}), 6881);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void handsOutTheAnnouncedPeersNewestFirst() {
    store.announce(TORRENT, peer(1));
    now = MINUTE;
    store.announce(TORRENT, peer(2));
    assertThat(store.peers(TORRENT, 50)).containsExactly(peer(2), peer(1));
    assertThat(store.peers(torrent(9), 50)).isEmpty();
  }

  @Test
  void forgetsAPeerThirtyMinutesAfterItsLastAnnounce() {
    store.announce(TORRENT, peer(1));
    store.announce(TORRENT, peer(2));
    now = 20 * MINUTE;
    store.announce(TORRENT, peer(2));   // announces again
    now = 30 * MINUTE;
    assertThat(store.peers(TORRENT, 50)).containsExactly(peer(2));
    now = 50 * MINUTE;
    assertThat(store.peers(TORRENT, 50)).isEmpty();
    assertThat(store.torrentCount()).isZero();
  }

  @Test
  void aFloodOfAnnouncesForDistinctTorrentsStaysWithinTheCap() {
    int stored = 0;
    for (int n = 0; n < 100_000; n++) {
      if (store.announce(torrent(n), peer(n))) {
        stored++;
      }
    }
    assertThat(stored).isEqualTo(PeerStore.MAX_TORRENTS);
    assertThat(store.torrentCount()).isEqualTo(PeerStore.MAX_TORRENTS);
    assertThat(store.isFull(torrent(100_001))).as("withhold the token").isTrue();
    assertThat(store.isFull(torrent(0))).as("a stored torrent has room").isFalse();
  }

  @Test
  void aFloodOfPeersForOneTorrentStaysWithinTheCapAndKnownPeersStillRefresh() {
    for (int n = 0; n < 10_000; n++) {
      store.announce(TORRENT, peer(n));
    }
    assertThat(store.peerCount()).isEqualTo(PeerStore.MAX_PEERS_PER_TORRENT);
    assertThat(store.isFull(TORRENT)).isTrue();
    now = MINUTE;
    assertThat(store.announce(TORRENT, peer(0))).as("a stored peer announcing again").isTrue();
    assertThat(store.peers(TORRENT, 1)).containsExactly(peer(0));
  }

  @Test
  void roomComesBackWhenStoredPeersExpire() {
    for (int n = 0; n < PeerStore.MAX_TORRENTS; n++) {
      store.announce(torrent(n), peer(n));
    }
    assertThat(store.announce(torrent(5_000), peer(1))).isFalse();
    now = 31 * MINUTE;
    assertThat(store.announce(torrent(5_000), peer(1))).as("the sweep freed the old ones").isTrue();
    assertThat(store.torrentCount()).isEqualTo(1);
  }
}
