package dev.piecemeal.client;

import dev.piecemeal.bitfield.Bitfield;
import dev.piecemeal.bitfield.PiecePicker;
import dev.piecemeal.handshake.Handshake;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.messages.Message;
import dev.piecemeal.messages.MessageLimits;
import dev.piecemeal.messages.MessageReader;
import dev.piecemeal.messages.MessageWriter;
import dev.piecemeal.peers.ConnectionFailure;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.client.magnet.ExtendedHandshake;
import dev.piecemeal.client.magnet.HandedOffPeer;
import dev.piecemeal.client.magnet.MetadataFetch;
import dev.piecemeal.client.magnet.MetadataMessage;
import dev.piecemeal.client.pex.PexMessage;
import dev.piecemeal.client.pex.PexReceiver;
import dev.piecemeal.client.pex.PexSender;
import dev.piecemeal.client.seed.ChokerPeer;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One peer, from handshake to goodbye, on the connection's own thread ({@code peer-127.0.0.1:51430}).
 * The peer wire protocol reads top to bottom in {@link #run}: handshake, join the swarm, say what we
 * have, then one loop that reads a message, acts on it ({@link #handle}, the one {@code instanceof}
 * chain of the client), and tops up our requests.
 *
 * <pre>
 * socket → MessageReader → handle(Piece) → RequestPipeline.received → PiecePicker.blockReceived
 *        → PiecesInFlight.add (copy into the piece) → last block? PieceHasher.submit → disk
 * </pre>
 *
 * <p>Threads: the session's thread reads, and is the only one that touches the reader. Writes go
 * through one {@link MessageWriter} over a buffered stream, guarded by {@link #writeLock}: the
 * session's thread writes requests after each message it read; the engine's loop ({@link
 * #maintain}) writes what others posted (HAVE, CANCEL) when the session is idle. Other threads
 * never write: they {@link #post} a message, which the next holder of the lock sends.
 *
 * <p>Uploading goes the other way on the same thread: a REQUEST from a peer we unchoke waits in its
 * {@link UploadQueue} and is served after each message read ({@link #serveUploads}): the block is
 * read from storage into the session's one 16 KiB buffer and written as a PIECE. Whether we
 * unchoke the peer is the choker's decision, taken on the engine's turn ({@link #uploadSlot}); the
 * CHOKE or UNCHOKE goes out through the outbox like any posted message, and the queue follows it
 * the moment it is written.
 *
 * <p>Simplified: messages other threads post (a HAVE after each verified piece, an endgame CANCEL)
 * wait for the session's own thread to finish its next message, or for the engine's next turn
 * (at most 250 ms). A production client with an event loop sends them at once; here a write from a
 * foreign thread could block that thread on a peer that stopped reading, which the hasher must
 * never do.
 */
final class PeerSession {
  /** Send a keep-alive when we have written nothing for this long (BEP 3: peers drop after 2 min). */
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(90);
  /** The most blocks served in one go before reading the next message: 256 KiB. */
  private static final int SERVE_AT_ONCE = 16;
  /** Flush after this many messages even if more input is waiting, so requests never sit long. */
  private static final int FLUSH_EVERY = 32;
  /** How much of the queue the pipeline's depth aims for: libtorrent's request_queue_time. */
  static final long QUEUE_TIME_NANOS = TimeUnit.SECONDS.toNanos(3);
  /** Close a peer that has sent nothing at all, not even a keep-alive, for this long. */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(180);
  /**
   * The id we ask peers to send ut_metadata (BEP 9) under, in our extended handshake's {@code m}:
   * ours to choose (BEP 10), any of 1..255.
   */
  static final int UT_METADATA_ID = MetadataFetch.UT_METADATA_ID;
  /** The id we ask peers to send ut_pex (BEP 11) under; offered unless the torrent is private. */
  static final int UT_PEX_ID = 2;
  /** The reason given when the whole download stops. */
  static final String STOPPED = "download stopped";

  private final PeerConnection connection;
  /** What the metadata phase learnt of the peer, when it connected it; null otherwise. */
  private final HandedOffPeer handedOff;
  private final SharedState shared;
  private final Swarm swarm;
  private final PiecePicker<PeerSession> picker;
  private final RequestPipeline pipeline;
  private final WireTrace trace;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Queue<Message> outbox = new ConcurrentLinkedQueue<>();
  private volatile MessageWriter writer; // set once; used under writeLock
  private int unflushed; // guarded by writeLock
  private long lastWriteNanos; // guarded by writeLock
  private volatile boolean amInterested;
  private volatile boolean peerChoking = true;
  private volatile boolean peerInterested;
  /** Both sides set the fast extension's bit (BEP 6): refused requests are answered, not ignored. */
  private volatile boolean fast;
  /** Both sides set the extension protocol's bit (BEP 10): extended messages may follow. */
  private volatile boolean extended;
  /** The peer's extended handshake (BEP 10), once it came; null before, or without BEP 10. */
  private volatile ExtendedHandshake theirExtensions;
  /** How many of the peer's ut_metadata requests we answer (BEP 9); the session's thread only. */
  private final MetadataRequestLimit metadataLimit = new MetadataRequestLimit(System.nanoTime());
  /** The peers this peer told us of by ut_pex, bounded; the session's thread only. */
  private final PexReceiver pexIn;
  /** What we told this peer by ut_pex, and when; the engine's turn only ({@link #exchangePeers}). */
  private final PexSender pexOut = new PexSender();
  /** Both sides set the DHT bit (BEP 5): we send our PORT, and pass on theirs. */
  private volatile boolean dht;
  /** The peer's first PORT message was passed on to our DHT node; later ones are ignored. */
  private boolean portPassedOn;
  /** What the engine's turn last decided: that the peer holds one of our upload slots. */
  private volatile boolean slotGranted;
  /** The peer's waiting requests; guarded by writeLock. */
  private final UploadQueue uploads;
  /** The one buffer blocks are read into for sending; guarded by writeLock. */
  private final java.nio.ByteBuffer uploadBuffer = java.nio.ByteBuffer.allocate(BlockRequest.MAX_LENGTH);
  /** Block bytes the peer sent us that we kept, and that we sent it: for the choker. */
  private volatile long bytesReceived;
  private volatile long bytesSent;
  private volatile PeerId peerId;
  /** Why we closed the connection ourselves, from any thread; null while we have not. */
  private volatile String closeReason;
  /** When the peer joined the swarm, last sent a message, last sent a block we kept (nanoTime). */
  private volatile long joinedNanos;
  private volatile long lastHeardNanos;
  private volatile long lastBlockNanos;
  /** How the peer broke the protocol (or met a bug of ours), on the session's thread; or null. */
  private volatile String violation;

  PeerSession(PeerConnection connection, SharedState shared, Swarm swarm) {
    this(connection, shared, swarm, null);
  }

  /**
   * A session for a peer the metadata phase connected (chapter 10): its handshake is done, and it
   * was told HAVE NONE (or nothing); what it said then is replayed before its next message is read.
   */
  PeerSession(PeerConnection connection, SharedState shared, Swarm swarm, HandedOffPeer handedOff) {
    this.handedOff = handedOff;
    this.connection = connection;
    this.shared = shared;
    this.swarm = swarm;
    this.picker = shared.picker();
    this.trace = shared.options().trace();
    long now = System.nanoTime();
    int fixed = shared.options().fixedPipelineDepth();
    this.pipeline = fixed > 0 ? RequestPipeline.fixed(fixed, now) : RequestPipeline.adaptive(QUEUE_TIME_NANOS, now);
    this.uploads = new UploadQueue(shared.metainfo().pieceCount(), picker::has, shared.metainfo()::pieceSize);
    this.pexIn = new PexReceiver(shared.options().destinations());
  }

  // tag::run[]
  /** The whole life of the connection; returns when it is over, never throws. */
  void run() {
    boolean registered = false;
    try {
      // 1. the handshake: we speak first if we dialed, they do if they dialed us; a peer from a
      //    magnet link's metadata phase shook hands there
      Handshake theirs = handedOff != null ? handedOff.theirs()
          : connection.isIncoming()
          ? shared.handshaker().respond(connection, shared.metainfo().infoHash()::equals)
          : shared.handshaker().initiate(connection, shared.metainfo().infoHash());
      peerId = theirs.peerId();
      var ours = shared.handshaker().ours(shared.metainfo().infoHash()).extensions();
      fast = theirs.extensions().has(Extension.FAST) && ours.has(Extension.FAST);
      extended = theirs.extensions().has(Extension.EXTENSION_PROTOCOL) && ours.has(Extension.EXTENSION_PROTOCOL);
      dht = theirs.extensions().has(Extension.DHT) && ours.has(Extension.DHT);

      // 2. join the swarm, which may say no (banned, full, the same peer twice)
      joinedNanos = System.nanoTime();
      lastHeardNanos = joinedNanos;
      registered = swarm.register(this);
      if (!registered) {
        return;
      }
      // 3. what we have: a bitfield, only if we have something (BEP 3 allows leaving it out); with
      //    the fast extension exactly one of have all, have none, bitfield (BEP 6). Then, with
      //    BEP 10, our extended handshake, in the same write: after the bitfield, because BEP 6
      //    wants that first; BEP 10 only asks that it come soon after the handshake.
      writer = new MessageWriter(new BufferedOutputStream(connection.out(), 32 * 1024));
      Bitfield have = picker.have();
      if (handedOff != null) {
        // the metadata phase said HAVE NONE (or nothing): what the disk holds goes as HAVEs,
        // which BEP 6 allows after it, where a second bitfield would break the protocol
        for (int piece = have.nextSetBit(0); piece >= 0; piece = have.nextSetBit(piece + 1)) {
          post(new Message.Have(piece));
        }
      } else if (fast && have.isComplete()) {
        post(new Message.HaveAll());
      } else if (fast && have.isEmpty()) {
        post(new Message.HaveNone());
      } else if (!have.isEmpty()) {
        post(new Message.Bitfield(have.toBytes()));
      }
      if (extended) {
        post(ourExtendedHandshake().message()); // after the phase's, now with metadata_size (BEP 10 updates)
      }
      if (handedOff != null) {
        replay(handedOff);
      }
      if (dht && shared.dht().ourPort() > 0) {
        post(new Message.Port(shared.dht().ourPort())); // BEP 5: to peers that set the DHT bit
      }
      sendWaiting(true);

      // 4. messages, until one side hangs up (each block is stored before the next read, so
      //    one block array serves them all)
      MessageReader reader = MessageReader.reusingBlockBuffer(connection.in(),
          MessageLimits.forPieces(shared.metainfo().pieceCount()));
      while (true) {
        Message message = reader.read();
        lastHeardNanos = System.nanoTime();
        trace.message(connection.remote(), false, message);
        handle(message);
        sendWaiting(connection.in().available() == 0);
      }
    } catch (ProtocolException e) {
      violation = e.getMessage(); // the swarm will not dial this peer again
    } catch (IOException e) {
      // the peer hung up, or we closed its socket: peers come and go
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // a bug of ours, met on this peer's data: it ends this peer, never the download
      violation = "internal error: " + e;
    } finally {
      // 5. whatever was on request from this peer goes back to the pool
      pipeline.clear();
      if (registered) {
        picker.peerGone(this);
      }
      swarm.ended(this, registered);
      connection.close();
      logDeparture();
    }
  }
  // end::run[]

  // tag::handle[]
  /** Acts on one message: the client's one dispatch over the message family. */
  private void handle(Message message) throws IOException, ProtocolException, InterruptedException {
    if (message instanceof Message.KeepAlive) {
      return;
    } else if (message instanceof Message.Choke) {
      // BEP 3: a choke discards our requests; they go back to the pool for other peers. Under the
      // write lock, so that the engine's turn cannot slip a request in between.
      writeLock.lock();
      try {
        peerChoking = true;
        pipeline.clear();
        picker.peerChoked(this);
      } finally {
        writeLock.unlock();
      }
    } else if (message instanceof Message.Unchoke) {
      peerChoking = false;
    } else if (message instanceof Message.Interested) {
      peerInterested = true; // the choker may give it a slot on the engine's next turn
    } else if (message instanceof Message.NotInterested) {
      peerInterested = false;
    } else if (message instanceof Message.Have have) {
      picker.peerHave(this, have.pieceIndex());
      updateInterest();
    } else if (message instanceof Message.Bitfield bitfield) {
      // Simplified: a bitfield is accepted at any time and replaces what the peer said before.
      // BEP 3 allows it only as the first message, and a strict client drops a peer that sends a
      // late one; accepting it costs nothing, and none of the clients we tried sends one late.
      picker.peerHas(this, Bitfield.fromBytes(bitfield.bytes(), shared.metainfo().pieceCount()));
      updateInterest();
    } else if (message instanceof Message.Request request) {
      requested(request.block());
    } else if (message instanceof Message.Cancel cancel) {
      cancelled(cancel.block());
    } else if (message instanceof Message.Piece piece) {
      blockArrived(piece);
    } else if (message instanceof Message.HaveAll) {
      picker.peerHaveAll(this);
      updateInterest();
    } else if (message instanceof Message.HaveNone) {
      picker.peerHaveNone(this);
      updateInterest();
    } else if (message instanceof Message.RejectRequest reject) {
      if (pipeline.remove(reject.block())) {
        picker.requestRejected(this, reject.block());
      }
    } else if (message instanceof Message.Extended extension && extended) {
      extendedMessage(extension);
    } else if (message instanceof Message.Port port && dht) {
      portReceived(port);
    }
    // SUGGEST and ALLOWED FAST (BEP 6) are hints we may ignore; PORT without both DHT bits, and
    // EXTENDED without both BEP 10 bits, were never agreed: ignored.
  }
  // end::handle[]

  /**
   * What a peer said in the metadata phase, before the piece count was known, acted on now as if
   * it had just arrived: its extended handshake, then its bitfield or haves (checked here against
   * the piece count, as the reader would have checked them) and its unchoke.
   */
  private void replay(HandedOffPeer peer) throws IOException, ProtocolException, InterruptedException {
    if (peer.theirExtensions().isPresent() && extended) {
      theirExtensions = peer.theirExtensions().get();
      theirExtensions.requestQueue().ifPresent(pipeline::limitTo);
    }
    for (Message said : peer.said()) {
      if (said instanceof Message.Have have && have.pieceIndex() >= shared.metainfo().pieceCount()) {
        throw new ProtocolException("peer said in the metadata phase it has piece " + have.pieceIndex()
            + ", past the torrent's last (" + (shared.metainfo().pieceCount() - 1) + ")");
      }
      handle(said); // traced when it arrived
    }
  }

  /**
   * What our extended handshake says (BEP 10): the extensions we speak, our name, how many
   * requests we queue ({@link UploadQueue#MAX_QUEUED}), our port, and the peer's address as we see
   * it. With ut_metadata (BEP 9) comes the size of our info dictionary.
   */
  private ExtendedHandshake ourExtendedHandshake() {
    var metadata = swarm.metadataServer();
    Map<String, Integer> m = new TreeMap<>();
    if (metadata.isPresent()) {
      m.put(MetadataMessage.EXTENSION_NAME, UT_METADATA_ID);
    }
    if (exchangesPeers()) {
      m.put(PexMessage.EXTENSION_NAME, UT_PEX_ID);
    }
    ExtendedHandshake ours = ExtendedHandshake.of(m)
        .withClient("Piecemeal " + version())
        .withRequestQueue(UploadQueue.MAX_QUEUED)
        .withYourIp(connection.remote().address());
    if (metadata.isPresent()) {
      ours = ours.withMetadataSize(metadata.get().totalSize());
    }
    OptionalInt port = swarm.listenPort();
    return port.isPresent() ? ours.withListenPort(port.getAsInt()) : ours;
  }

  /**
   * An extended message (BEP 10): id 0 is the peer's handshake, whose {@code reqq} caps how many
   * requests we keep out to it; {@link #UT_METADATA_ID} is ut_metadata, when we offered it; any
   * other id is one we never offered, and BEP 10 has it ignored.
   *
   * <p>A malformed handshake ends the session with a {@link ProtocolException}, like any other
   * broken message. {@link ExtendedHandshake#decode} already forgives what BEP 10 asks it to
   * (keys it does not know, an id of 0); what it refuses is a known key of the wrong type, and
   * guessing around it could send our messages under ids the peer never gave them, or keep out
   * more requests than it queues.
   *
   * <p>Simplified: a second handshake replaces the first. BEP 10 has later ones update the first
   * key by key; libtorrent merges them. Nothing we read from it (reqq, the ut_metadata id) is
   * one a peer needs to change mid-connection.
   */
  private void extendedMessage(Message.Extended message) throws IOException, ProtocolException {
    if (message.extendedId() == ExtendedHandshake.EXTENDED_ID) {
      ExtendedHandshake handshake = ExtendedHandshake.decode(message.payload());
      theirExtensions = handshake;
      handshake.requestQueue().ifPresent(pipeline::limitTo);
    } else if (message.extendedId() == UT_METADATA_ID && swarm.metadataServer().isPresent()) {
      var decoded = MetadataMessage.decode(message.payload());
      if (decoded.isPresent() && decoded.get() instanceof MetadataMessage.Request request) {
        metadataRequested(request);
      }
      // data and rejects answer requests we never send (we have the metadata): ignored
    } else if (message.extendedId() == UT_PEX_ID && exchangesPeers()) {
      pexReceived(PexMessage.decode(message.payload()));
    }
  }

  // tag::pex[]
  /**
   * Peer exchange is on for this torrent unless it is private (BEP 27: its peers come from its
   * trackers alone). Then ut_pex is not in our {@code m}, so an honest peer sends us none, and what
   * a peer sends anyway under our id is ignored.
   */
  private boolean exchangesPeers() {
    return !shared.metainfo().isPrivate();
  }

  /** A peer's ut_pex (BEP 11): the peers it added, bounded by {@link PexReceiver}, go to the swarm's door. */
  private void pexReceived(PexMessage message) {
    List<PeerAddress> peers = pexIn.take(message, picker.isComplete());
    if (!peers.isEmpty()) {
      shared.pex().offer(peers); // the engine's turn hands them to Swarm.addCandidates
    }
  }

  /**
   * The engine's turn: tells the peer, by ut_pex, of the peers we are connected to that it has not
   * heard of from us, and of those gone, at most once a minute ({@link PexSender}). Posted, never
   * written here: the engine's thread does no socket I/O for a session it does not hold.
   *
   * @param connected every peer of the swarm by the address it accepts connections on
   */
  void exchangePeers(List<PexMessage.Peer> connected, long nowNanos) {
    ExtendedHandshake handshake = theirExtensions;
    OptionalInt theirId = handshake == null ? OptionalInt.empty() : handshake.idOf(PexMessage.EXTENSION_NAME);
    if (theirId.isEmpty() || !exchangesPeers() || !pexOut.isDue(nowNanos)) {
      return; // checked first: the turn comes every 250 ms, a message at most once a minute
    }
    PeerAddress self = pexAddress();
    List<PexMessage.Peer> others = connected.stream().filter(peer -> !peer.address().equals(self)).toList();
    pexOut.next(others, nowNanos).ifPresent(message -> post(message.message(theirId.getAsInt())));
  }

  /**
   * Where others may dial this peer, for the PEX messages we send: the address we dialed, or for a
   * peer that dialed us, its IP and the port its extended handshake gave ({@code p}); null when we
   * do not know one.
   */
  PeerAddress pexAddress() {
    if (!connection.isIncoming()) {
      return connection.remote();
    }
    ExtendedHandshake handshake = theirExtensions;
    OptionalInt port = handshake == null ? OptionalInt.empty() : handshake.listenPort();
    return port.isPresent() ? new PeerAddress(connection.remote().address(), port.getAsInt()) : null;
  }
  // end::pex[]

  /**
   * A peer's PORT (BEP 5): its DHT node's UDP port, at the peer's IP. The first one goes to our node
   * (which pings it through its {@link Destinations}); a peer that repeats it is not heard again.
   */
  private void portReceived(Message.Port port) {
    if (portPassedOn || port.port() == 0) {
      return;
    }
    portPassedOn = true;
    shared.dht().heard(new InetSocketAddress(connection.remote().address(), port.port()));
  }

  /**
   * A peer asked for a piece of our info dictionary (BEP 9): the piece, or a reject when it is past
   * the end or the peer has asked too often ({@link MetadataRequestLimit}), sent under the id the
   * peer gave ut_metadata in its {@code m}. A peer that gave none has nowhere to be answered.
   */
  private void metadataRequested(MetadataMessage.Request request) throws IOException {
    ExtendedHandshake handshake = theirExtensions;
    OptionalInt theirId = handshake == null ? OptionalInt.empty() : handshake.idOf(MetadataMessage.EXTENSION_NAME);
    if (theirId.isEmpty()) {
      return;
    }
    MetadataMessage answer = metadataLimit.allow(System.nanoTime())
        ? swarm.metadataServer().orElseThrow().answer(request)
        : new MetadataMessage.Reject(request.piece());
    writeLock.lock();
    try {
      write(answer.message(theirId.getAsInt()));
    } finally {
      writeLock.unlock();
    }
  }

  /** The version in the jar's manifest, for our handshake's {@code v}. */
  static String version() {
    String version = PeerSession.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }

  // tag::block-arrived[]
  /** A block: check we asked for it, tell the picker, copy it into its piece, hash a full piece. */
  private void blockArrived(Message.Piece piece) throws ProtocolException, InterruptedException {
    BlockRequest block = piece.request();
    long now = System.nanoTime();
    if (pipeline.isUnasked(block)) {
      throw new ProtocolException("peer sent " + block + ", which we never asked it for");
    }
    pipeline.received(block, now);
    PiecePicker.Arrival<PeerSession> arrival = picker.blockReceived(this, block);
    for (PeerSession other : arrival.cancelFrom()) {
      other.cancel(block); // endgame: the others asked for the same block need not send it
    }
    if (!arrival.wanted()) {
      return; // the loser of an endgame race, or a block already in after a choke
    }
    lastBlockNanos = now;
    bytesReceived += block.length(); // only this thread writes it
    shared.progress().blockReceived(block.length(), now);
    swarm.used(connection.remote());
    var complete =
        shared.inFlight().add(connection.remote(), block.pieceIndex(), block.begin(), piece.block());
    if (complete != null) {
      shared.hasher().submit(complete); // hashing happens on the hasher's threads, not this one
    }
  }
  // end::block-arrived[]

  /**
   * Sends what waits to be sent: posted messages, then new requests up to the pipeline's depth.
   * Flushes when {@code flushNow} (nothing more to read right now) or when enough has piled up.
   */
  private void sendWaiting(boolean flushNow) throws IOException {
    writeLock.lock();
    try {
      drainOutbox();
      serveUploads();
      requestMore();
      if (unflushed > 0 && (flushNow || unflushed >= FLUSH_EVERY)) {
        flush();
      }
    } finally {
      writeLock.unlock();
    }
  }

  // tag::request-more[]
  /** Tops up the pipeline: as many new requests as its depth allows, chosen by the picker. */
  private void requestMore() throws IOException {
    if (peerChoking || !amInterested) {
      return;
    }
    long now = System.nanoTime();
    int wanted = pipeline.wanted(now);
    if (wanted == 0) {
      return;
    }
    for (BlockRequest block : picker.nextRequests(this, wanted)) {
      pipeline.sent(block, now);
      write(new Message.Request(block));
    }
  }
  // end::request-more[]

  /** Interested (BEP 3) exactly while the peer has a piece we lack. */
  private void updateInterest() {
    boolean interesting = picker.isInteresting(this);
    if (interesting != amInterested) {
      amInterested = interesting;
      post(interesting ? new Message.Interested() : new Message.NotInterested());
    }
  }

  /**
   * The engine's regular turn, on the engine's thread: drop a stalled peer, and if the session's
   * own thread is idle (waiting for a message), send what others posted, new requests (blocks
   * another peer gave back), and a keep-alive when we have been quiet.
   */
  void maintain(long nowNanos) {
    long waiting = pipeline.waitingNanos(nowNanos);
    if (waiting > shared.options().stallTimeout().toNanos()) {
      close("stalled: no block for " + describe(waiting) + " with " + pipeline.outstanding()
          + " requests out");
      return;
    }
    long silent = nowNanos - lastHeardNanos;
    if (joinedNanos != 0 && silent > IDLE_NANOS) {
      close("idle: nothing received for " + describe(silent));
      return;
    }
    if (writer == null || !writeLock.tryLock()) {
      return; // not started yet, or its own thread is writing right now
    }
    try {
      updateInterest();
      drainOutbox();
      serveUploads();
      requestMore();
      if (unflushed == 0 && nowNanos - lastWriteNanos > KEEP_ALIVE_NANOS) {
        write(new Message.KeepAlive());
      }
      if (unflushed > 0) {
        flush();
      }
    } catch (IOException e) {
      close(ConnectionFailure.describe(connection.remote(), e));
    } finally {
      writeLock.unlock();
    }
  }


  // tag::serve[]
  /** A peer asked for a block: queued if we can send it; with BEP 6, a refusal is said aloud. */
  private void requested(BlockRequest block) throws IOException {
    writeLock.lock();
    try {
      UploadQueue.Verdict verdict = uploads.request(block);
      if (verdict != UploadQueue.Verdict.QUEUED && verdict != UploadQueue.Verdict.DUPLICATE && fast) {
        write(new Message.RejectRequest(block));
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** The peer no longer wants a block; BEP 6 wants a reject for one we will not send now. */
  private void cancelled(BlockRequest block) throws IOException {
    writeLock.lock();
    try {
      if (uploads.cancel(block) && fast) {
        write(new Message.RejectRequest(block));
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Sends up to {@link #SERVE_AT_ONCE} waiting blocks, each read from storage into the one buffer
   * (positional reads, chapter 7) and written as a PIECE: no copy of a block is kept per request.
   * Under the write lock.
   */
  private void serveUploads() throws IOException {
    for (int i = 0; i < SERVE_AT_ONCE; i++) {
      BlockRequest block = uploads.next();
      if (block == null) {
        return;
      }
      uploadBuffer.clear();
      try {
        shared.storage().readBlock(block, uploadBuffer);
      } catch (StorageException e) {
        throw new IOException("cannot read " + block + " to send it: " + e.getMessage(), e);
      }
      write(new Message.Piece(block.pieceIndex(), block.begin(), uploadBuffer.flip()));
      bytesSent += block.length();
      shared.progress().blockSent(block.length(), System.nanoTime());
    }
  }
  // end::serve[]


  /**
   * The engine's turn decided whether the peer holds one of our upload slots (the choker). A
   * change goes out as CHOKE or UNCHOKE through the outbox; the upload queue follows it when it is
   * written ({@link #drainOutbox}).
   */
  void uploadSlot(boolean granted) {
    if (granted != slotGranted) {
      slotGranted = granted;
      post(granted ? new Message.Unchoke() : new Message.Choke());
    }
  }

  /** What the choker is told about this peer now. */
  ChokerPeer<PeerSession> chokerView() {
    long lastBlock = lastBlockNanos;
    return new ChokerPeer<>(this, peerInterested, amInterested, bytesReceived, bytesSent, joinedNanos,
        lastBlock == 0 ? OptionalLong.empty() : OptionalLong.of(lastBlock));
  }

  boolean isInterestedInUs() {
    return peerInterested;
  }

  /** Whether the choker gave the peer an upload slot (the UNCHOKE may still be on its way). */
  boolean isUnchokedByUs() {
    return slotGranted;
  }

  /** Queues a message from another thread; the next holder of the write lock sends it. */
  void post(Message message) {
    outbox.add(message);
  }

  /** Endgame: another peer sent this block first; tell this one not to send it. */
  void cancel(BlockRequest block) {
    if (pipeline.remove(block)) {
      post(new Message.Cancel(block));
    }
  }

  /** Ends the session from another thread: its blocked read fails at once. */
  void close(String reason) {
    closeReason = reason;
    connection.close();
  }

  PeerAddress address() {
    return connection.remote();
  }

  PeerId peerId() {
    return peerId;
  }

  boolean isChokingUs() {
    return peerChoking;
  }

  private void drainOutbox() throws IOException {
    Message message;
    while ((message = outbox.poll()) != null) {
      write(message);
      if (message instanceof Message.Choke) {
        // BEP 3: a choke drops what the peer asked for; BEP 6: each one is rejected
        for (BlockRequest dropped : uploads.choke()) {
          if (fast) {
            write(new Message.RejectRequest(dropped));
          }
        }
      } else if (message instanceof Message.Unchoke) {
        uploads.unchoke();
      }
    }
  }

  private void write(Message message) throws IOException {
    trace.message(connection.remote(), true, message);
    writer.write(message);
    unflushed++;
    lastWriteNanos = System.nanoTime();
  }

  private void flush() throws IOException {
    writer.flush();
    unflushed = 0;
  }

  /**
   * Only departures we caused (a stall, a ban, a broken protocol) are worth a line; peers come and
   * go all the time, and so do failed handshakes (encrypted ones, see {@link Swarm#ended}).
   */
  private void logDeparture() {
    String reason = closeReason;
    String broke = violation;
    if (broke != null && reason == null && joinedNanos != 0) {
      shared.options().log().accept("dropped " + connection.remote() + ": " + broke + "; not dialed again");
    } else if (reason != null && peerId != null && !reason.equals(STOPPED)) {
      shared.options().log().accept("dropped " + connection.remote() + ": " + reason);
    }
  }

  /**
   * Why this peer is of no use now, or null if it is (or has not had {@code graceNanos} to show it
   * yet): it wants nothing from us, and it has nothing we lack or has choked us and sent no block
   * for that long. A peer that wants our data is of use: we give back. The swarm closes a useless
   * peer when every slot is taken and an untried address waits.
   */
  String uselessness(long nowNanos, long graceNanos) {
    long since = nowNanos - joinedNanos;
    if (joinedNanos == 0 || since < graceNanos || peerInterested) {
      return null;
    }
    if (!picker.isInteresting(this)) {
      return "of no use: it has nothing we lack after " + describe(since);
    }
    long withoutBlock = nowNanos - Math.max(joinedNanos, lastBlockNanos);
    if (peerChoking && withoutBlock >= graceNanos) {
      return "of no use: it has choked us, with no block for " + describe(withoutBlock);
    }
    return null;
  }

  boolean isIncoming() {
    return connection.isIncoming();
  }

  /** How the peer broke the protocol, once the session has ended; null if it did not. */
  String violation() {
    return violation;
  }

  private static String describe(long nanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    return millis < 10_000 ? millis + " ms" : millis / 1000 + " s";
  }

  @Override
  public String toString() {
    return "PeerSession[" + connection.remote() + "]";
  }
}
