package dev.piecemeal.client.dht;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A DHT node we can send a packet to: its id and its UDP address. On the wire this is BEP 5's
 * "compact node info" ({@link CompactInfo}), 26 bytes: the id, then the IPv4 address and the port.
 *
 * <p>Simplified: IPv4 only. BEP 32 runs a second DHT over IPv6, with 38-byte node entries in a
 * {@code nodes6} key; one address family keeps the chapter about Kademlia, not about addresses.
 *
 * @param id the node's id, as it told us or as another node reported it
 * @param address an IPv4 address (never a host name to look up) and a port in 1..65535
 */
public record NodeInfo(NodeId id, InetSocketAddress address) {
  public NodeInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved() || !(address.getAddress() instanceof Inet4Address)) {
      throw new IllegalArgumentException("node address " + address + " is not an IPv4 address");
    }
    if (address.getPort() < 1) {
      throw new IllegalArgumentException("node port " + address.getPort() + " is not in 1..65535");
    }
  }

  /** Short, for logs: {@code 1f00ab34…@192.0.2.7:6881}. */
  @Override
  public String toString() {
    return id.hex().substring(0, 8) + "…@" + address.getAddress().getHostAddress() + ":"
        + address.getPort();
  }
}
