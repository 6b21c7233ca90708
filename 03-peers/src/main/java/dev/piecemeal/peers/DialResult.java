package dev.piecemeal.peers;

import dev.piecemeal.tracker.PeerAddress;
import java.util.Objects;

/**
 * How one dial ended: {@link Connected} with an open connection, or {@link Failed} with the peer's
 * address, the kind of failure and a message for a person. A dial never throws: failing is the
 * normal fate of most addresses a tracker hands out, so it is a value, not an exception.
 */
public sealed interface DialResult permits DialResult.Connected, DialResult.Failed {

  /** The peer that was dialed. */
  PeerAddress address();

  /** The peer accepted; the connection has its read and write timeouts set. */
  record Connected(PeerConnection connection) implements DialResult {
    public Connected {
      Objects.requireNonNull(connection, "connection");
    }

    @Override
    public PeerAddress address() {
      return connection.remote();
    }
  }

  /** The dial failed; {@code message} names the peer, e.g. {@code connection refused by 127.0.0.1:6881}. */
  record Failed(PeerAddress address, ConnectionFailure kind, String message) implements DialResult {
    public Failed {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
