package dev.piecemeal.client.magnet;

import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.messages.Message;
import dev.piecemeal.peers.PeerConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer connected during the metadata phase, handed to the download with its connection still
 * open, so that it is not dialed again: what it told us comes with it.
 *
 * <pre>
 * metadata phase (MetadataPeer)                      download (PeerSession)
 *   handshake, HAVE NONE, extended handshake   ──►   no handshake, no bitfield: those went out
 *   their handshake, extended handshake        ──►   kept as the session's
 *   their bitfield / have all / have none / haves ─► said(): replayed through handle(), where
 *   unchoke, interested                              the piece count is known and checks them
 * </pre>
 *
 * <p>The messages in {@link #said} are as the peer sent them, not checked against a piece count
 * (there was none yet): at most one bitfield, have all or have none, then the haves that came
 * after it (at most {@link MetadataPeer#MAX_HAVES}, each index once), then an unchoke and an
 * interested if the peer's last word was that. The session checks them as it would have checked
 * them on the wire.
 *
 * @param connection open, its next byte the first of a message
 * @param theirs the peer's handshake (its peer id, its reserved bits)
 * @param theirExtensions the peer's extended handshake, if it sent one (BEP 10)
 * @param said what the peer said about its pieces and its choking, to replay in this order
 */
public record HandedOffPeer(
    PeerConnection connection,
    Handshake theirs,
    Optional<ExtendedHandshake> theirExtensions,
    List<Message> said) {

  public HandedOffPeer {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(theirs, "theirs");
    Objects.requireNonNull(theirExtensions, "theirExtensions");
    said = List.copyOf(said);
  }
}
