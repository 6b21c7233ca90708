package dev.piecemeal.client.pex;

import dev.piecemeal.client.Destinations;
import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What we take from one peer's peer exchange messages (BEP 11): the {@code added} peers we may
 * contact ({@link Destinations}: loopback-only holds), at most {@value #MAX_PER_MESSAGE} from one
 * message and {@value #MAX_PER_PEER} from one peer in all. A peer that floods us with PEX messages,
 * or names ten thousand addresses, gets no more of our dials than an honest one that names a few
 * dozen; what it names beyond that is ignored, not queued.
 *
 * <p>Seeds are left out when we are seeding ourselves: two seeds have nothing to give each other.
 * {@code dropped} is read and ignored: a peer that one peer lost may still be reachable to us, and
 * an address we know already costs nothing to keep.
 *
 * <p>One owner: the peer's session thread.
 */
public final class PexReceiver {
  /** The most peers taken from one message: BEP 11's 50 per message. */
  public static final int MAX_PER_MESSAGE = 50;
  /** The most peers taken from one peer for as long as it is connected. */
  public static final int MAX_PER_PEER = 200;

  private final Destinations destinations;
  private int taken;

  public PexReceiver(Destinations destinations) {
    this.destinations = destinations;
  }

  /**
   * The peers of {@code message} worth dialing, within the bounds.
   *
   * @param seeding we have every piece: the peers flagged as seeds are of no use
   */
  public List<PeerAddress> take(PexMessage message, boolean seeding) {
    List<PeerAddress> peers = new ArrayList<>();
    for (PexMessage.Peer peer : message.added()) {
      if (peers.size() == MAX_PER_MESSAGE || taken == MAX_PER_PEER) {
        break;
      }
      if ((seeding && peer.isSeed()) || !destinations.allows(peer.address())) {
        continue;
      }
      peers.add(peer.address());
      taken++;
    }
    return peers;
  }

  /** How many peers were taken from this peer so far. */
  public int taken() {
    return taken;
  }
}
