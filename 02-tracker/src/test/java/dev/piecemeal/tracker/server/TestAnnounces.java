package dev.piecemeal.tracker.server;

import static dev.piecemeal.testing.Hex.hex;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.tracker.AnnounceEvent;
import dev.piecemeal.tracker.PeerId;
import dev.piecemeal.tracker.PercentEncoding;
import java.util.OptionalInt;

/** Torrents, peers and announces made in code, so that a test shows every field it relies on. */
final class TestAnnounces {
  private TestAnnounces() {}

  /** A torrent whose info-hash has bytes that need encoding, and some that do not. */
  static final InfoHash TORRENT = InfoHash.fromBytes(hex("123456789abcdef123456789abcdef123456789a"));
  /** A second torrent. */
  static final InfoHash OTHER_TORRENT = InfoHash.fromBytes(hex("00112233445566778899aabbccddeeff00112233"));

  /** Peer {@code n}'s id: "-PM0100-" then 11 zero bytes and the byte n. */
  static PeerId peerId(int n) {
    byte[] id = hex("2d504d303130302d", "0000000000000000000000", "00");
    id[19] = (byte) n;
    return PeerId.fromBytes(id);
  }

  /** Peer {@code n} (listening on port 6880 + n) announcing {@code torrent}, compact, no numwant. */
  static AnnounceQuery announce(InfoHash torrent, int n, long left, AnnounceEvent event) {
    return new AnnounceQuery(torrent, peerId(n), 6880 + n, 0, 0, left, event, OptionalInt.empty(), true);
  }

  /** A valid raw query for peer 1 announcing {@link #TORRENT}, with {@code extra} appended. */
  static String rawQuery(String extra) {
    return "info_hash=" + PercentEncoding.encode(TORRENT.bytes())
        + "&peer_id=" + PercentEncoding.encode(peerId(1).bytes())
        + "&port=6881&uploaded=0&downloaded=0&left=1000" + extra;
  }
}
