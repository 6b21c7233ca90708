package dev.piecemeal.tracker.server;

import dev.piecemeal.bencode.BencodeDictionary;
import dev.piecemeal.bencode.BencodeEncoder;
import dev.piecemeal.bencode.BencodeList;
import dev.piecemeal.bencode.BencodeValue;
import dev.piecemeal.tracker.PeerAddress;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the body of the tracker's answer, the bencoded dictionary that {@link
 * dev.piecemeal.tracker.AnnounceResponseParser} reads on the client's side (BEP 3, "tracker
 * responses"; BEP 23 compact peers; BEP 7 {@code peers6}).
 *
 * <pre>
 * compact=1:
 *   d8:completei1e10:incompletei1e8:intervali1800e12:min intervali900e
 *    5:peers6:  7f 00 00 01 1a e1          127.0.0.1:6881, 4 address bytes then 2 port bytes
 *   e
 * compact=0 (or absent):
 *   d8:completei1e10:incompletei1e8:intervali1800e12:min intervali900e
 *    5:peersl d2:ip9:127.0.0.17:peer id20:-PM0100-...4:porti6881ee e
 *   e
 * a refusal:
 *   d14:failure reason22:missing parameter porte
 * </pre>
 *
 * <p>In the compact form IPv4 peers go in {@code peers}, IPv6 peers in {@code peers6} (18 bytes
 * each), which is sent only when there are some; the dictionary form carries both in one list.
 * {@link BencodeEncoder} sorts the keys, as BEP 3 asks.
 */
public final class AnnounceResponseWriter {
  private AnnounceResponseWriter() {}

  /** The answer to an announce that was accepted. */
  public static byte[] answer(TrackedTorrents.Answer answer, TrackerSettings settings, boolean compact) {
    BencodeDictionary.Builder body = BencodeDictionary.builder()
        .put("complete", answer.complete())
        .put("incomplete", answer.incomplete())
        .put("interval", settings.interval())
        .put("min interval", settings.minInterval());
    if (compact) {
      List<PeerAddress> ipv4 = new ArrayList<>();
      List<PeerAddress> ipv6 = new ArrayList<>();
      for (TrackedPeer peer : answer.peers()) {
        (peer.address().isIpv6() ? ipv6 : ipv4).add(peer.address());
      }
      body.put("peers", compactPeers(ipv4));
      if (!ipv6.isEmpty()) {
        body.put("peers6", compactPeers(ipv6));
      }
    } else {
      List<BencodeValue> list = new ArrayList<>();
      for (TrackedPeer peer : answer.peers()) {
        list.add(BencodeDictionary.builder()
            .put("ip", peer.address().address().getHostAddress())
            .put("peer id", peer.peerId().bytes())
            .put("port", peer.address().port())
            .build());
      }
      body.put("peers", new BencodeList(list));
    }
    return BencodeEncoder.encode(body.build());
  }

  /** A refusal: the dictionary with only a {@code failure reason}. */
  public static byte[] failure(String reason) {
    return BencodeEncoder.encode(BencodeDictionary.builder().put("failure reason", reason).build());
  }

  /** Each peer as its address's 4 or 16 bytes, then its port in two bytes, big-endian. */
  static byte[] compactPeers(List<PeerAddress> peers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PeerAddress peer : peers) {
      out.writeBytes(peer.address().getAddress());
      out.write(peer.port() >> 8);
      out.write(peer.port() & 0xff);
    }
    return out.toByteArray();
  }
}
