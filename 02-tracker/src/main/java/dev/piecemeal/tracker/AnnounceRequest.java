package dev.piecemeal.tracker;

import dev.piecemeal.bencode.InfoHash;
import java.util.Objects;

/**
 * What a client tells a tracker in an announce (BEP 3, "trackers"): which torrent, who we are, where
 * we listen, how far we got, and how many peers we would like back. The same request goes to every
 * tracker of a torrent; what belongs to one tracker (its {@code trackerid}, a UDP connection id) is
 * kept by that tracker's client.
 *
 * @param infoHash the torrent
 * @param peerId our peer id for this run
 * @param port the TCP port we accept peers on, 1..65535
 * @param uploaded bytes sent to peers since the {@code started} event
 * @param downloaded bytes received from peers since the {@code started} event
 * @param left bytes we still need; 0 makes us a seeder in the tracker's eyes
 * @param event why we announce
 * @param numwant how many peers we ask for, 0..{@link AnnounceResponse#MAX_PEERS}
 * @param key a number that stays the same for the whole run, so that the tracker can tell it is
 *     still us when our IP address changes
 */
public record AnnounceRequest(
    InfoHash infoHash,
    PeerId peerId,
    int port,
    long uploaded,
    long downloaded,
    long left,
    AnnounceEvent event,
    int numwant,
    int key) {

  public AnnounceRequest {
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(event, "event");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("listen port " + port + " is not in 1..65535");
    }
    if (uploaded < 0 || downloaded < 0 || left < 0) {
      throw new IllegalArgumentException(
          "uploaded, downloaded and left must not be negative: "
              + uploaded + ", " + downloaded + ", " + left);
    }
    if (numwant < 0 || numwant > AnnounceResponse.MAX_PEERS) {
      throw new IllegalArgumentException(
          "numwant " + numwant + " is not in 0.." + AnnounceResponse.MAX_PEERS);
    }
  }

  /** The first announce of a download: nothing sent or received yet, {@code left} bytes to go. */
  public static AnnounceRequest started(
      InfoHash infoHash, PeerId peerId, int port, long left, int numwant, int key) {
    return new AnnounceRequest(
        infoHash, peerId, port, 0, 0, left, AnnounceEvent.STARTED, numwant, key);
  }

  /** The same request with another event. */
  public AnnounceRequest withEvent(AnnounceEvent newEvent) {
    return new AnnounceRequest(
        infoHash, peerId, port, uploaded, downloaded, left, newEvent, numwant, key);
  }
}
