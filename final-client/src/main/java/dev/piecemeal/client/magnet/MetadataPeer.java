package dev.piecemeal.client.magnet;

import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageLimits;
import dev.piecemeal.messages.MessageReader;
import dev.piecemeal.messages.MessageWriter;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.tracker.PeerAddress;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One peer of the metadata phase, on its own thread ({@code metadata-127.0.0.1:51413}), from the
 * handshake to the hand-off. {@link #run} reads top to bottom:
 *
 * <pre>
 * 1. handshake, with BEP 10's bit (and BEP 6's)             → their reserved bits
 * 2. HAVE NONE (BEP 6: one of have all, have none, bitfield comes first), then our extended
 *    handshake: ut_metadata, and no metadata_size, since we have none
 * 3. until the metadata is in: read a message, act on it, ask for metadata pieces (two at once)
 * 4. hand off: the connection, still open, and what the peer said (HandedOffPeer)
 * </pre>
 *
 * <p>Between messages the thread waits at most {@link #POLL} for the next one to begin, so that it
 * notices the end of the phase, and requests that timed out, without a read cut short: a read
 * timeout in the middle of a message would lose the bytes read so far, and with them the stream.
 * The wait peeks at the first byte (mark, read, reset) and so consumes nothing.
 *
 * <p>Not thread-safe: only its own thread touches it, and it is the only writer of its
 * connection until the hand-off. What the peers share goes through {@link MetadataFetch}.
 */
final class MetadataPeer {
  /** The longest wait for a message to begin before the thread looks up: the engine's turn. */
  static final Duration POLL = Duration.ofMillis(250);

  private final PeerConnection connection;
  private final MetadataFetch fetch;
  private MessageWriter writer;
  private boolean extended;
  private Handshake theirs;
  private ExtendedHandshake theirExtensions;
  /** The peer's last bitfield, have all or have none; null while it sent none. */
  private Message availability;
  /** The pieces the peer said HAVE for since that: bounded by the reader's piece bound. */
  private final BitSet haves = new BitSet();
  private boolean peerChoking = true;
  private boolean peerInterested;
  /** The metadata pieces asked of this peer and not answered yet: piece → when (nanoTime). */
  private final Map<Integer, Long> asked = new LinkedHashMap<>();

  MetadataPeer(PeerConnection connection, MetadataFetch fetch) {
    this.connection = connection;
    this.fetch = fetch;
  }

  PeerAddress address() {
    return connection.remote();
  }

  /** Closes the connection from another thread (a distrusted peer): its blocked read fails at once. */
  void close() {
    connection.close();
  }

  // tag::run[]
  /**
   * The peer's part of the phase.
   *
   * @return the peer, handed off, once the phase has its metadata
   * @throws ProtocolException the peer broke the protocol (or sent metadata that contradicts itself)
   * @throws IOException the peer hung up, or we closed it (it sent metadata with a wrong hash)
   */
  HandedOffPeer run() throws IOException, ProtocolException {
    // 1. the handshake: the extension protocol's bit is what ut_metadata needs
    theirs = fetch.handshaker().initiate(connection, fetch.infoHash());
    var ours = fetch.handshaker().ours(fetch.infoHash()).extensions();
    boolean fast = theirs.extensions().has(Extension.FAST) && ours.has(Extension.FAST);
    extended = theirs.extensions().has(Extension.EXTENSION_PROTOCOL) && ours.has(Extension.EXTENSION_PROTOCOL);
    fetch.shookHands();

    // 2. what we have (nothing, said once: PeerSession will not say it again), then our extended
    //    handshake, which offers ut_metadata but gives no metadata_size: we have no metadata yet
    writer = new MessageWriter(new BufferedOutputStream(connection.out(), 32 * 1024));
    if (fast) {
      write(new Message.HaveNone());
    }
    if (extended) {
      write(fetch.ourExtendedHandshake(connection.remote()).message());
    }
    writer.flush();

    // 3. messages until the metadata is in; piece counts are unknown, so only bounded
    MessageReader reader = new MessageReader(connection.in(), MessageLimits.beforeMetadata(MetadataFetch.MOST_PIECES));
    while (!fetch.handingOff()) {
      askForPieces();
      if (messageBegins()) {
        Message message = reader.read();
        fetch.trace().message(connection.remote(), false, message);
        handle(message);
      }
    }

    // 4. the hand-off: the connection stays open, and what the peer said goes with it
    return new HandedOffPeer(connection, theirs, Optional.ofNullable(theirExtensions), said());
  }
  // end::run[]

  /** Acts on one message: the metadata phase's dispatch, most messages only noted for later. */
  private void handle(Message message) throws IOException, ProtocolException {
    if (message instanceof Message.Extended extension && extended) {
      extendedMessage(extension);
    } else if (message instanceof Message.Bitfield || message instanceof Message.HaveAll
        || message instanceof Message.HaveNone) {
      availability = message; // replaces what came before, as PeerSession does
      haves.clear();
    } else if (message instanceof Message.Have have) {
      haves.set(have.pieceIndex()); // below the reader's bound of MOST_PIECES
    } else if (message instanceof Message.Choke) {
      peerChoking = true;
    } else if (message instanceof Message.Unchoke) {
      peerChoking = false;
    } else if (message instanceof Message.Interested) {
      peerInterested = true;
    } else if (message instanceof Message.NotInterested) {
      peerInterested = false;
    } else if (message instanceof Message.Piece piece) {
      throw new ProtocolException("peer sent " + piece.request() + " before we knew the torrent's pieces,"
          + " let alone asked for one");
    }
    // Simplified: a REQUEST for a block before we have the metadata goes unanswered. We said HAVE
    // NONE, so no peer should send one; BEP 6 would have it rejected, which a peer that does not
    // read HAVE NONE would not read either.
  }

  /**
   * An extended message: the peer's handshake (id 0), or ut_metadata under the id we gave it. A
   * request for a piece of our metadata is rejected: we have none yet (BEP 9).
   */
  private void extendedMessage(Message.Extended message) throws IOException, ProtocolException {
    if (message.extendedId() == ExtendedHandshake.EXTENDED_ID) {
      theirExtensions = ExtendedHandshake.decode(message.payload());
      fetch.offered(this, theirExtensions);
      return;
    }
    if (message.extendedId() != MetadataFetch.UT_METADATA_ID) {
      return; // an id we never gave out (BEP 10: ignored)
    }
    Optional<MetadataMessage> decoded = MetadataMessage.decode(message.payload());
    if (decoded.isEmpty()) {
      return; // a msg_type BEP 9 has us ignore
    }
    MetadataMessage metadata = decoded.get();
    if (metadata instanceof MetadataMessage.Data data) {
      asked.remove(data.piece());
      fetch.received(this, data);
    } else if (metadata instanceof MetadataMessage.Reject reject) {
      if (asked.remove(reject.piece()) != null) {
        fetch.rejected(this, reject.piece());
      }
    } else if (metadata instanceof MetadataMessage.Request request) {
      OptionalInt theirId = theirExtensions == null ? OptionalInt.empty()
          : theirExtensions.idOf(MetadataMessage.EXTENSION_NAME);
      if (theirId.isPresent()) {
        write(new MetadataMessage.Reject(request.piece()).message(theirId.getAsInt()));
        writer.flush();
      }
    }
  }

  /**
   * Requests unanswered for {@link MetadataFetch#REQUEST_TIMEOUT} go back, to be asked of another
   * peer; then new ones, up to {@link MetadataFetch#PIECES_AT_ONCE}, as the fetch hands them out.
   */
  private void askForPieces() throws IOException {
    long now = fetch.nanos();
    for (Iterator<Map.Entry<Integer, Long>> it = asked.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Long> request = it.next();
      if (now - request.getValue() >= MetadataFetch.REQUEST_TIMEOUT.toNanos()) {
        it.remove();
        fetch.timedOut(this, request.getKey());
      }
    }
    boolean wrote = false;
    while (asked.size() < MetadataFetch.PIECES_AT_ONCE) {
      OptionalInt piece = fetch.nextPiece(this, now);
      if (piece.isEmpty()) {
        break;
      }
      asked.put(piece.getAsInt(), now);
      // nextPiece hands out pieces only to a peer whose handshake gave ut_metadata an id
      int theirId = theirExtensions.idOf(MetadataMessage.EXTENSION_NAME).orElseThrow();
      write(new MetadataMessage.Request(piece.getAsInt()).message(theirId));
      wrote = true;
    }
    if (wrote) {
      writer.flush();
    }
  }

  /**
   * Waits at most {@link #POLL} for the first byte of a message, and leaves it unread: true when
   * one has begun. The connection's read timeout is shortened for that one read, then restored.
   */
  private boolean messageBegins() throws IOException {
    InputStream in = connection.in(); // buffered: mark and reset work
    if (in.available() > 0) {
      return true;
    }
    Duration usual = connection.readTimeout();
    connection.readTimeout(POLL);
    try {
      in.mark(1);
      if (in.read() < 0) {
        throw new EOFException(connection.remote() + " hung up");
      }
      in.reset();
      return true;
    } catch (SocketTimeoutException nothingYet) {
      return false;
    } finally {
      if (!connection.isClosed()) {
        connection.readTimeout(usual);
      }
    }
  }

  /**
   * What the peer said, in the order the session replays it: its pieces, then its haves since,
   * then an unchoke and an interested if that was its last word.
   */
  private List<Message> said() {
    List<Message> said = new ArrayList<>();
    if (availability != null) {
      said.add(availability);
    }
    for (int piece = haves.nextSetBit(0); piece >= 0; piece = haves.nextSetBit(piece + 1)) {
      said.add(new Message.Have(piece));
    }
    if (!peerChoking) {
      said.add(new Message.Unchoke());
    }
    if (peerInterested) {
      said.add(new Message.Interested());
    }
    return said;
  }

  private void write(Message message) throws IOException {
    fetch.trace().message(connection.remote(), true, message);
    writer.write(message);
  }

  @Override
  public String toString() {
    return "MetadataPeer[" + connection.remote() + "]";
  }
}
