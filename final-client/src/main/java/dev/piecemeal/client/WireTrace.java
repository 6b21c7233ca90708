package dev.piecemeal.client;

import dev.piecemeal.messages.Message;
import dev.piecemeal.tracker.PeerAddress;

/**
 * Sees every message a peer session reads or writes, for {@code piecemeal download --trace}. Called
 * on the session's thread; an implementation that prints must serialize its own output.
 */
@FunctionalInterface
public interface WireTrace {

  /** Traces nothing. */
  WireTrace NONE = (peer, sent, message) -> {};

  /**
   * @param peer the other end
   * @param sent true for a message we wrote, false for one we read
   */
  void message(PeerAddress peer, boolean sent, Message message);
}
