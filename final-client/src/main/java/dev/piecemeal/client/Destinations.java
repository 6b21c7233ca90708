package dev.piecemeal.client;

import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where the client may send: any address, or loopback only. Every kind of traffic asks it in the one
 * place that traffic goes out: the swarm before it queues an address to dial, the announcer before
 * it builds a tracker, the DHT node before it sends a packet. Tests and the demo run loopback-only,
 * so that a torrent naming public trackers or peers (the shared corpus is full of them) never makes
 * the machine talk to the internet.
 *
 * <p>Loopback-only never looks a host name up: {@code http://localhost/announce} and
 * {@code http://tracker.example.org/announce} are both refused, because asking DNS about a host is
 * already sending to the internet. Only the literals 127.0.0.0/8 and ::1 pass.
 */
public final class Destinations {

  /** Any address: what a user's download gets. */
  public static final Destinations ANY = new Destinations(false);
  /** 127.0.0.0/8 and ::1 only: tests and the demo. */
  public static final Destinations LOOPBACK_ONLY = new Destinations(true);

  private final boolean loopbackOnly;

  private Destinations(boolean loopbackOnly) {
    this.loopbackOnly = loopbackOnly;
  }

  /** {@link #LOOPBACK_ONLY} when asked, else {@link #ANY}. */
  public static Destinations of(boolean loopbackOnly) {
    return loopbackOnly ? LOOPBACK_ONLY : ANY;
  }

  /** Whether only loopback addresses may be contacted. */
  public boolean loopbackOnly() {
    return loopbackOnly;
  }

  /** Whether a peer (or a DHT node) at this address may be contacted. */
  public boolean allows(InetAddress address) {
    return !loopbackOnly || address.isLoopbackAddress();
  }

  /** Whether a peer at this address may be dialed. */
  public boolean allows(PeerAddress peer) {
    return allows(peer.address());
  }

  /** Whether a packet may go to this socket address; an unresolved one never passes loopback-only. */
  public boolean allows(InetSocketAddress address) {
    return !loopbackOnly || (!address.isUnresolved() && allows(address.getAddress()));
  }

  /**
   * Whether a tracker at this announce URL may be contacted. In loopback-only mode its host must be
   * a loopback IP literal ({@code 127.0.0.1}, {@code [::1]}); a name is refused without a lookup.
   */
  public boolean allowsTracker(String announceUrl) {
    if (!loopbackOnly) {
      return true;
    }
    String host;
    try {
      host = URI.create(announceUrl).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      // PeerAddress.of takes IP literals only: it never asks DNS.
      return allows(PeerAddress.of(host, 1).address());
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return loopbackOnly ? "Destinations[loopback only]" : "Destinations[any]";
  }
}
