package dev.piecemeal.handshake;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Both sides of the handshake (BEP 3, "peer protocol"). The side that dialed {@linkplain #initiate
 * initiates}: it sends first, then checks the answer. The side that was dialed {@linkplain #respond
 * responds}: it reads first, checks that it serves the torrent asked for, and only then answers.
 *
 * <pre>
 * initiator                                   responder
 *    | -- 13 "BitTorrent protocol" ... ------&gt; |  reads 68 bytes; serves this info hash?
 *    | &lt;------ 13 "BitTorrent protocol" ... -- |  answers with the same info hash
 *  checks: same info hash? not our own id?
 * </pre>
 *
 * <p>Either side ends the connection with a {@link ProtocolException} that says why: a wrong
 * protocol, a wrong info hash, a connection to ourselves, a peer that hung up mid-handshake.
 *
 * <p>The whole handshake has one deadline, the connection's read timeout ({@link
 * DeadlineInputStream}), as libtorrent gives it its {@code handshake_timeout}: a peer that trickles
 * one byte per timeout cannot stretch it to 68 timeouts.
 */
public final class Handshaker {

  private final PeerId ourId;
  private final Extensions ourExtensions;

  /**
   * @param ourId our peer id for this run
   * @param ourExtensions what we advertise: only extensions we really implement, since a peer that
   *     sees a bit will use the messages it stands for
   */
  public Handshaker(PeerId ourId, Extensions ourExtensions) {
    this.ourId = Objects.requireNonNull(ourId, "ourId");
    this.ourExtensions = Objects.requireNonNull(ourExtensions, "ourExtensions");
  }

  /** The handshake we send for this torrent: our extensions, its info hash, our peer id. */
  public Handshake ours(InfoHash infoHash) {
    return new Handshake(ourExtensions, infoHash, ourId);
  }

  /**
   * Our side of a connection we dialed: send our handshake for {@code infoHash}, read the peer's,
   * and check it.
   *
   * @return the peer's handshake: its peer id and the extensions it supports
   * @throws ProtocolException when the answer is not a handshake for this torrent from another peer
   * @throws IOException when the connection fails (read timeout, reset); the message names the peer
   */
  public Handshake initiate(PeerConnection connection, InfoHash infoHash) throws IOException, ProtocolException {
    Duration perRead = connection.readTimeout();
    try {
      return initiate(withinDeadline(connection, perRead), connection.out(), connection.remote().toString(), infoHash);
    } finally {
      restore(connection, perRead);
    }
  }

  /**
   * Our side of a connection the peer dialed: read its handshake, check that {@code serves} the
   * info hash it asks for, answer with ours.
   *
   * @param serves answers whether we serve a torrent; a later session passes every torrent it has
   * @return the peer's handshake; its info hash says which torrent the connection is for
   */
  public Handshake respond(PeerConnection connection, Predicate<InfoHash> serves)
      throws IOException, ProtocolException {
    Duration perRead = connection.readTimeout();
    try {
      return respond(withinDeadline(connection, perRead), connection.out(), connection.remote().toString(), serves);
    } finally {
      restore(connection, perRead);
    }
  }

  /** The connection's input, with the read timeout as the deadline for the whole handshake. */
  private static InputStream withinDeadline(PeerConnection connection, Duration deadline) {
    return new DeadlineInputStream(connection.in(), deadline, "handshake from " + connection.remote(),
        connection::readTimeout, System::nanoTime);
  }

  /** Messages after the handshake get the usual timeout per read again. */
  private static void restore(PeerConnection connection, Duration perRead) {
    if (!connection.isClosed()) {
      try {
        connection.readTimeout(perRead);
      } catch (java.net.SocketException closedMeanwhile) {
        // the next read says so
      }
    }
  }

  // tag::initiate[]
  Handshake initiate(InputStream in, OutputStream out, String peer, InfoHash infoHash)
      throws IOException, ProtocolException {
    // 1. Send ours first: the peer may be serving many torrents and waits to hear which one.
    out.write(ours(infoHash).encode());

    // 2. Read theirs, exactly 68 bytes.
    Handshake theirs = readFrom(in, peer);

    // 3. It must be for the torrent we asked for...
    if (!theirs.infoHash().equals(infoHash)) {
      throw new ProtocolException(
          "peer answered for info hash " + theirs.infoHash().hex() + ", not the one we asked for ("
              + infoHash.hex() + ")" + from(peer));
    }
    // 4. ...and from someone else. A tracker lists us among the peers, and we may dial ourselves.
    refuseOurselves(theirs, peer);
    return theirs;
  }
  // end::initiate[]

  // tag::respond[]
  Handshake respond(InputStream in, OutputStream out, String peer, Predicate<InfoHash> serves)
      throws IOException, ProtocolException {
    // 1. Read theirs first: until we know the info hash, we do not know what to answer.
    Handshake theirs = readFrom(in, peer);

    // 2. Do we serve that torrent? If not, hang up without a word.
    if (!serves.test(theirs.infoHash())) {
      throw new ProtocolException(
          "peer asked for info hash " + theirs.infoHash().hex() + ", which we do not serve" + from(peer));
    }
    // 3. Is it us, having dialed our own listening port?
    refuseOurselves(theirs, peer);

    // 4. Answer with the same info hash and our own id.
    out.write(ours(theirs.infoHash()).encode());
    return theirs;
  }
  // end::respond[]

  private static Handshake readFrom(InputStream in, String peer) throws IOException, ProtocolException {
    try {
      return Handshake.read(in);
    } catch (ProtocolException e) {
      throw new ProtocolException(e.getMessage() + from(peer), e);
    }
  }

  private void refuseOurselves(Handshake theirs, String peer) throws ProtocolException {
    if (theirs.peerId().equals(ourId)) {
      throw new ProtocolException(
          "connected to ourselves: the peer's id " + theirs.peerId().printable() + " is our own" + from(peer));
    }
  }

  private static String from(String peer) {
    return " (peer " + peer + ")";
  }
}
