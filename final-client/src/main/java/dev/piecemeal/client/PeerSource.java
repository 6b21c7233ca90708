package dev.piecemeal.client;

import dev.piecemeal.tracker.PeerAddress;
import java.util.List;

/**
 * Somewhere peer addresses come from: the trackers today ({@link Announcer}); the DHT and peer
 * exchange later. A source never calls into the swarm. It keeps what it found until the engine's
 * turn {@linkplain #takeFound takes} it and hands it to {@code Swarm.addCandidates}, the one door
 * every address comes in by; and when the swarm {@linkplain Swarm#wantsPeers wants peers}, the turn
 * asks each source to {@linkplain #lookForMore look for more}.
 *
 * <pre>
 * engine's turn:  swarm.addCandidates(source.takeFound())
 *                 if swarm.wantsPeers(): source.lookForMore()
 * </pre>
 */
interface PeerSource {

  /** The addresses found since the last call (none: an empty list). Never blocks. */
  List<PeerAddress> takeFound();

  /** The swarm is short of peers: look for more as soon as the source's own rules allow. */
  void lookForMore();
}
