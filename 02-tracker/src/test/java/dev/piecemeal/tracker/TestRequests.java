package dev.piecemeal.tracker;

import static dev.piecemeal.testing.Hex.hex;

import dev.piecemeal.bencode.InfoHash;

/** Announce requests made in code, so that a test shows every field it relies on. */
final class TestRequests {
  private TestRequests() {}

  /** An info-hash with bytes that need encoding, and some that do not. */
  static final InfoHash INFO_HASH =
      InfoHash.fromBytes(hex("123456789abcdef123456789abcdef123456789a"));

  /** A peer id: "-PM0100-" then 12 bytes 0x00..0x0b. */
  static final PeerId PEER_ID =
      PeerId.fromBytes(hex("2d504d303130302d", "000102030405060708090a0b"));

  /** started, port 6881, 1 MiB left, numwant 50, key 0x1a2b3c4d. */
  static AnnounceRequest started() {
    return new AnnounceRequest(
        INFO_HASH, PEER_ID, 6881, 0, 0, 1_048_576, AnnounceEvent.STARTED, 50, 0x1a2b3c4d);
  }
}
