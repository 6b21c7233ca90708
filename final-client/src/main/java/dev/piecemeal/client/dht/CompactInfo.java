package dev.piecemeal.client.dht;

import dev.piecemeal.tracker.PeerAddress;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 5's two compact formats, the same bytes a tracker's compact peer list uses (BEP 23), with
 * a node id in front for nodes:
 *
 * <pre>
 * compact peer info, 6 bytes:    c0 00 02 07 | 1a e1                     192.0.2.7:6881
 * compact node info, 26 bytes:   id (20) | c0 00 02 07 | 1a e1           a node at 192.0.2.7:6881
 * </pre>
 *
 * <p>A {@code nodes} string is compact node infos back to back, nothing between them; each peer of
 * a {@code values} list is one 6-byte string.
 */
public final class CompactInfo {
  /** Bytes of one compact peer: 4 address + 2 port. */
  public static final int PEER_LENGTH = 6;
  /** Bytes of one compact node: 20 id + 4 address + 2 port. */
  public static final int NODE_LENGTH = NodeId.LENGTH + PEER_LENGTH;

  private CompactInfo() {}

  /**
   * The peer in 6 bytes, or null when its port is 0: an address nobody can dial, dropped as
   * chapter 2 drops it from a tracker's list.
   *
   * @throws IllegalArgumentException when {@code bytes} is not 6 bytes long
   */
  public static PeerAddress peer(byte[] bytes) {
    if (bytes.length != PEER_LENGTH) {
      throw new IllegalArgumentException(
          "a compact peer is " + PEER_LENGTH + " bytes, not " + bytes.length);
    }
    int port = port(bytes, 4);
    return port == 0 ? null : new PeerAddress(ipv4(bytes, 0), port);
  }

  /** The 6 bytes of an IPv4 peer. */
  public static byte[] peerBytes(PeerAddress peer) {
    if (peer.isIpv6()) {
      throw new IllegalArgumentException("peer " + peer + " is not IPv4, which BEP 5 values hold");
    }
    byte[] out = new byte[PEER_LENGTH];
    System.arraycopy(peer.address().getAddress(), 0, out, 0, 4);
    out[4] = (byte) (peer.port() >>> 8);
    out[5] = (byte) peer.port();
    return out;
  }

  /**
   * The first {@code max} nodes of a {@code nodes} string; entries with port 0 are dropped. The
   * caller has checked that the length is a whole number of entries.
   */
  public static List<NodeInfo> nodes(byte[] bytes, int max) {
    if (bytes.length % NODE_LENGTH != 0) {
      throw new IllegalArgumentException("a nodes string of " + bytes.length
          + " bytes is not a whole number of " + NODE_LENGTH + "-byte nodes");
    }
    List<NodeInfo> nodes = new ArrayList<>();
    // The loop is bounded by max, whatever the length: a long string costs no more than a short one.
    for (int at = 0; at < bytes.length && nodes.size() < max; at += NODE_LENGTH) {
      byte[] id = new byte[NodeId.LENGTH];
      System.arraycopy(bytes, at, id, 0, NodeId.LENGTH);
      int port = port(bytes, at + 24);
      if (port != 0) {
        nodes.add(new NodeInfo(NodeId.fromBytes(id),
            new InetSocketAddress(ipv4(bytes, at + NodeId.LENGTH), port)));
      }
    }
    return nodes;
  }

  /** The {@code nodes} string of these nodes, 26 bytes each. */
  public static byte[] nodeBytes(List<NodeInfo> nodes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(nodes.size() * NODE_LENGTH);
    for (NodeInfo node : nodes) {
      out.writeBytes(node.id().bytes());
      out.writeBytes(node.address().getAddress().getAddress());
      out.write(node.address().getPort() >>> 8);
      out.write(node.address().getPort());
    }
    return out.toByteArray();
  }

  private static int port(byte[] bytes, int at) {
    return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
  }

  /** Four raw bytes as an address; {@link InetAddress#getByAddress} makes no DNS lookup. */
  private static Inet4Address ipv4(byte[] bytes, int at) {
    byte[] address = new byte[4];
    System.arraycopy(bytes, at, address, 0, 4);
    try {
      return (Inet4Address) InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes are always an address", e);
    }
  }
}
