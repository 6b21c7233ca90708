package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bitfield.PiecePicker;
import dev.piecemeal.client.dht.DhtNode;
import dev.piecemeal.client.magnet.MagnetLink;
import dev.piecemeal.client.magnet.MetadataFetch;
import dev.piecemeal.client.resume.ResumeData;
import dev.piecemeal.client.resume.ResumeSaver;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.messages.Message;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.storage.IncomingPiece;
import dev.piecemeal.storage.PieceVerdict;
import dev.piecemeal.storage.Recheck;
import dev.piecemeal.storage.RecheckResult;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One torrent downloaded from a swarm: chapters 1 to 7 put to work. {@link #run} reads like the
 * book's table of contents:
 *
 * <pre>
 * 0. from a magnet link: the metadata from peers first      (chapter 10: MetadataPhase)
 * 1. the files, and what an earlier run left in them       (chapter 7: TorrentStorage, Recheck;
 *                                                            chapter 11: resume data instead)
 * 2. the picker, the pieces in flight, the hasher           (chapters 6 and 7)
 * 3. listen for peers that dial us                          (chapter 3: PeerListener)
 * 4. announce, and dial the peers the trackers name         (chapters 2 and 3)
 *    each peer: handshake, bitfield, interested, requests   (chapters 4, 5, 6: PeerSession)
 * 5. wait until every piece is verified, or no progress is possible
 * 6. announce completed; on the way out, stopped
 * </pre>
 *
 * <p>Threads: the caller's thread runs {@code run()} and its loop (the engine's turn every 250 ms:
 * stalls, keep-alives, giving up); one thread per peer; {@code hasher-N} for SHA-1 and the disk;
 * {@code announcer}; {@code listener-…}. Every one of them is ended before {@code run()} returns.
 */
public final class Download {
  private static final long TURN_MILLIS = 250;
  /**
   * The turn's wait until the first block arrives, for at most {@link #FAST_TURNS_NANOS}: the
   * tracker's first peers are dialed within 20 ms of its answer, not 250 (chapter 11, the first
   * request). A turn with nothing to do costs a few microseconds.
   */
  private static final long FIRST_TURN_MILLIS = 20;
  private static final long FAST_TURNS_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The torrent; for a magnet link, null until its metadata is in. */
  private volatile Metainfo metainfo;
  /** The magnet link the download starts from, or null for a .torrent. */
  private final MagnetLink magnet;
  private final Consumer<Metainfo> metadataArrived;
  private final DownloadOptions options;
  private volatile MetadataPhase metadataPhase;
  private final Object turn = new Object();
  private volatile boolean stopRequested;
  private volatile StorageException diskFailure;
  private volatile long lastProgressNanos;
  private volatile Progress progress;
  private volatile Swarm swarm;
  private volatile SharedState shared;
  private volatile PeerAddress listening;
  /** The DHT as a peer source, once started; null with the DHT off. */
  private volatile DhtPeerSource dhtSource;
  /** Saves the resume data, and with it flushes the files; null when there is no state folder. */
  private volatile ResumeSaver resumeSaver;
  /** When seeding began (System.nanoTime), once every piece is verified; 0 until then. */
  private volatile long seedingSinceNanos;

  public Download(Metainfo metainfo, DownloadOptions options) {
    this.metainfo = metainfo;
    this.magnet = null;
    this.metadataArrived = m -> {};
    this.options = options;
  }

  /**
   * A download that starts from a magnet link (chapter 10): {@link #run} fetches the info
   * dictionary from peers first ({@link MetadataPhase}), then goes on as with a .torrent.
   *
   * @param metadataArrived told the torrent once its metadata is in and hashed right, before
   *     anything is created on disk (for {@code --save-torrent})
   */
  public Download(MagnetLink magnet, DownloadOptions options, Consumer<Metainfo> metadataArrived) {
    this.metainfo = null;
    this.magnet = magnet;
    this.metadataArrived = metadataArrived;
    this.options = options;
  }

  // tag::magnet[]
  /**
   * Downloads every missing piece, verified, into the output folder; with {@code seed}, then
   * uploads until the ratio or the time is reached. From a magnet link, the metadata phase comes
   * first, and its peers, listener, announcer and DHT node go on into the download.
   *
   * @return complete, or stopped by {@link #stop()}
   * @throws DownloadFailure nothing arrived for {@code giveUpAfter} (the metadata or a block), or
   *     {@code requireComplete} and pieces are missing; the message says why
   * @throws StorageException the output folder is unusable or the disk refused a write
   * @throws IOException we cannot listen on any port we tried
   */
  public DownloadResult run() throws DownloadFailure, StorageException, IOException, InterruptedException {
    if (magnet == null) {
      return run(null);
    }
    long started = System.nanoTime();
    try (MetadataPhase phase = new MetadataPhase(magnet, options)) {
      metadataPhase = phase;
      Optional<MetadataPhase.HandOver> handOver = phase.run(() -> stopRequested);
      if (handOver.isEmpty()) {
        return stoppedBeforeMetadata(started);
      }
      metainfo = handOver.get().metainfo();
      metadataArrived.accept(metainfo);
      return run(handOver.get());
    }
  }
  // end::magnet[]

  // tag::run[]
  /**
   * The download proper, of a torrent whose metainfo is known; {@code handOver} is what a magnet
   * link's metadata phase leaves running (null for a .torrent).
   */
  private DownloadResult run(MetadataPhase.HandOver handOver)
      throws DownloadFailure, StorageException, IOException, InterruptedException {
    long started = System.nanoTime();
    // 1. the files, and what an earlier run left in them: trusted resume data, or a recheck
    ResumeData resume = ResumeData.load(metainfo, options.stateFolder(), options.outputFolder(), options.log());
    try (TorrentStorage storage = openStorage()) {
      RecheckResult onDisk = recheck(storage, resume);
      resumeSaver = resume.saver(storage, onDisk).orElse(null);
      progress = new Progress(metainfo.totalLength(), metainfo.pieceCount(), started);
      progress.onDisk(onDisk.have().cardinality(), onDisk.bytesPresent());
      if (onDisk.isComplete() && !options.seed()) {
        MetadataPhase.HandOver.close(handOver); // nothing to fetch: the phase's peers and tracker go
        return result(storage, started);
      }
      if (!onDisk.isComplete() && options.requireComplete()) {
        throw incomplete(onDisk);
      }
      options.log().accept("on disk: " + onDisk.have().cardinality() + " of " + metainfo.pieceCount()
          + " pieces verified");

      // 2. the pieces in flight, within the memory cap; the picker, which begins no more of them
      //    than the cap holds; the hasher: shared by every peer
      PeerId ourId = handOver == null ? PeerId.random() : handOver.ourId();
      PiecesInFlight inFlight = new PiecesInFlight(storage, options.memoryCap(), this::diskFailed);
      PiecePicker<PeerSession> picker = new PiecePicker<>(metainfo.totalLength(), metainfo.pieceLength(),
          onDisk.have(), new Random(), inFlight.piecesAtOnce());
      PieceHasher hasher = new PieceHasher(storage, hashThreads(), 64, this::verdict, this::diskFailed);
      DhtContacts contacts = handOver == null || handOver.dht() == null ? new DhtContacts() : handOver.dht().contacts();
      shared = new SharedState(metainfo, storage, new Handshaker(ourId, ourExtensions()), picker,
          inFlight, hasher, progress, new BanList(), new PexPeerSource(), contacts, options);
      if (inFlight.assemblesOnDisk()) {
        options.log().accept("pieces of " + StatusLine.size(metainfo.pieceLength()) + " are put together on disk:"
            + " fewer than " + PiecesInFlight.MIN_PIECES_IN_MEMORY + " fit in the memory cap of "
            + StatusLine.size(options.memoryCap()));
      }
      Announcer announcer = null;
      DhtNode dht = null;
      PeerListener listener = null;
      Throwable thrown = null;
      try {
        // 3. listen for peers that dial us, and our DHT node on the same port number over UDP,
        //    before any peer is served, so that each is told the node's port (a magnet link's
        //    metadata phase runs both already)
        listener = handOver == null ? listen(options) : handOver.listener();
        dht = handOver == null ? startDht(listener.localAddress().port()) : takeDht(handOver);
        Swarm peers = new Swarm(shared);
        swarm = peers;
        listener.serve(peers::accept);
        listening = listener.localAddress();
        peers.listeningOn(listening);
        if (handOver == null) {
          options.log().accept("listening on " + listening); // the metadata phase said so already
        }

        // 4. announce, and dial the peers the trackers name (and those given with --peer); the
        //    peers of a magnet link's metadata phase are still connected, and go on from there
        if (handOver == null) {
          announcer = new Announcer(new AnnounceSetup(metainfo.trackerTiers(), metainfo.infoHash(), ourId,
              listening.port(), new SecureRandom().nextInt(), options.trackerTimeout(), options.announceInterval(),
              options.destinations()),
              progress, options.log());
          announcer.start();
        } else {
          announcer = handOver.announcerFor(progress);
          peers.adopt(handOver.peers());
        }
        lastProgressNanos = System.nanoTime();
        peers.addCandidates(options.extraPeers());

        // 5. peer exchange and the DHT find peers too (neither for a private torrent: BEP 27)
        List<PeerSource> sources = peerSources(announcer, dht);

        // 6. until every piece is verified, or no progress is possible
        boolean complete = awaitCompletion(picker, sources, announcer, storage.folder());

        // 7. announce completed, and with --seed, give back until the goal is reached
        if (complete && !onDisk.isComplete()) {
          announcer.completed();
        }
        if (complete && options.seed()) {
          awaitSeedingGoal(sources);
        }
      } catch (Throwable t) {
        thrown = t;
        throw t;
      } finally {
        closeInOrder(thrown, swarm, listener, hasher, resumeSaver, announcer, closeAndSave(dht));
      }
      // counted after the hasher is closed: the pieces it still held are written and count too
      return result(storage, started);
    }
  }
  // end::run[]

  /**
   * The torrent's files: made ready to download into, or, when only complete data may be seeded
   * ({@code requireComplete}), opened for reading alone. Seeding must change nothing on disk, and
   * {@link TorrentStorage#create} would: it cuts a file longer than the torrent says (its extra
   * bytes are no piece's, so the recheck finds the data complete), creates a zero-length file or
   * its folder when missing, and extends a short file before the recheck refuses the data. Pieces
   * are flushed by the resume data's saves, not one by one ({@link ResumeSaver}).
   */
  private TorrentStorage openStorage() throws StorageException {
    return options.requireComplete()
        ? TorrentStorage.openForReading(metainfo, options.outputFolder())
        : TorrentStorage.create(metainfo, options.outputFolder(), TorrentStorage.Flushing.BY_CALLER);
  }

  /**
   * What is on disk: nothing, known without reading, when {@link TorrentStorage#create} made every
   * file fresh (reading their zeros proves nothing); otherwise a recheck, piece by piece. Data to
   * seed is always rechecked: {@link TorrentStorage#startedEmpty} speaks only for files {@code
   * create} made, and storage opened for reading never says otherwise. Resume data that still
   * matches every file stands in for the recheck ({@link ResumeData#onDisk}).
   */
  private RecheckResult recheck(TorrentStorage storage, ResumeData resume) throws StorageException, InterruptedException {
    return storage.startedEmpty() && !options.requireComplete()
        ? Recheck.nothingOnDisk(storage.layout())
        : resume.onDisk(storage, () -> Recheck.run(storage, (checked, total) -> {}));
  }

  /**
   * Peers first (no more blocks), then the hasher (queued pieces are written), then the last save
   * of the resume data (which flushes them), then the trackers hear "stopped"; storage closes last
   * (the caller's try). Each part is
   * closed even if the one before it failed or the closing was interrupted ({@link Closer}); a part
   * not started yet is null.
   */
  private static void closeInOrder(Throwable thrown, Swarm swarm, PeerListener listener, PieceHasher hasher,
      ResumeSaver resumeSaver, Announcer announcer, Closer.Part dht) {
    List<Closer.Part> parts = new ArrayList<>();
    if (swarm != null) {
      parts.add(swarm::close);
    }
    if (listener != null) {
      parts.add(listener::close);
    }
    parts.add(hasher::close);
    if (resumeSaver != null) {
      parts.add(resumeSaver::close);
    }
    if (announcer != null) {
      parts.add(announcer::close);
    }
    if (dht != null) {
      parts.add(dht);
    }
    Closer.closeInOrder(thrown, parts);
  }

  /**
   * What our handshake says we speak: the fast extension (BEP 6), the extension protocol (BEP 10),
   * and with the DHT on, the DHT bit (BEP 5), which asks peers for their PORT.
   */
  private Extensions ourExtensions() {
    return dhtOn()
        ? Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL, Extension.DHT)
        : Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL);
  }

  /** The DHT is asked for (the commands' default) and the torrent is not private (BEP 27). */
  private boolean dhtOn() {
    return options.dht() && !metainfo.isPrivate();
  }

  /**
   * Our DHT node ({@link DhtStart#start}); null with the DHT off. Its port goes to every peer that
   * sets the DHT bit (BEP 5's PORT message).
   */
  private DhtNode startDht(int peerPort) throws IOException {
    return dhtOn() ? DhtStart.start(options, shared.dht(), peerPort) : null;
  }

  /**
   * The metadata phase's DHT node and its lookups, which go on (one node per run); null with the
   * DHT off. A torrent that turns out private (BEP 27) closes them here: from now on, neither the
   * DHT nor peer exchange finds its peers.
   */
  private DhtNode takeDht(MetadataPhase.HandOver handOver) throws InterruptedException {
    MetadataPhase.PhaseDht phaseDht = handOver.dht();
    if (phaseDht == null) {
      return null;
    }
    if (metainfo.isPrivate()) {
      options.log().accept("the torrent is private (BEP 27): no more DHT and peer exchange for it, its trackers alone");
      Closer.closeInOrder(null, List.of(phaseDht.closeAndSave()));
      return null;
    }
    dhtSource = phaseDht.source();
    return phaseDht.node();
  }

  /** Closes the DHT node, then writes its table to {@link DownloadOptions#dhtState}; null for no node. */
  private Closer.Part closeAndSave(DhtNode node) {
    return node == null ? null : DhtStart.closeAndSave(node, options);
  }

  /**
   * Every source of peers but {@code --peer}: the trackers; unless the torrent is private (BEP 27),
   * peer exchange (the peers our peers name, BEP 11) and, with our node, the DHT, bootstrapped from
   * {@code --dht-bootstrap}'s nodes and the torrent's {@code nodes}, each through the guard.
   */
  private List<PeerSource> peerSources(Announcer announcer, DhtNode node) {
    List<PeerSource> sources = new ArrayList<>();
    sources.add(announcer);
    if (!metainfo.isPrivate()) {
      sources.add(shared.pex());
    }
    if (node != null && dhtSource == null) {
      dhtSource = new DhtPeerSource(node, bootstrapNodes(), metainfo.infoHash(), listening.port(),
          shared.dht(), System::nanoTime);
    }
    if (node != null) {
      sources.add(dhtSource); // a magnet link's: the metadata phase's lookups, going on
    }
    return sources;
  }

  /** The nodes the DHT starts from ({@link DhtStart#bootstrapNodes}): given, and the torrent's. */
  private List<InetSocketAddress> bootstrapNodes() {
    return DhtStart.bootstrapNodes(options, metainfo.dhtNodes());
  }

  /** What the status line says of the DHT: nodes in our table, peers it found; empty with the DHT off. */
  public Optional<DhtStatus> dhtStatus() {
    DhtPeerSource source = dhtSource;
    MetadataPhase phase = metadataPhase;
    if (source == null && phase != null && metainfo == null) {
      return phase.dhtStatus(); // a magnet link's, before its metadata is in
    }
    return source == null ? Optional.empty() : Optional.of(source.status());
  }

  /** Ends {@link #run()} soon, from any thread (a shutdown hook): it returns a stopped result. */
  public void stop() {
    stopRequested = true;
    synchronized (turn) {
      turn.notifyAll();
    }
  }

  /** Where we accept peers, once listening. */
  public Optional<PeerAddress> listeningOn() {
    return Optional.ofNullable(listening);
  }

  /**
   * A magnet link's metadata phase, for a status line: peers and pieces of metadata; empty for a
   * .torrent, and before the phase begins.
   */
  public Optional<MetadataFetch.Status> metadataStatus() {
    MetadataPhase phase = metadataPhase;
    return phase == null ? Optional.empty() : phase.status();
  }

  /** Stopped before the metadata was in: nothing is on disk, and nothing is known of the torrent. */
  private DownloadResult stoppedBeforeMetadata(long started) {
    Path location = options.outputFolder();
    return new DownloadResult(false, true, 0, 0, 0, 0, 0, Duration.ofNanos(System.nanoTime() - started), 0,
        location, Set.of(), 0, Duration.ZERO);
  }

  /** The counters for a status line; empty until the files are checked. */
  public Optional<Progress.Snapshot> status() {
    Progress p = progress;
    if (p == null) {
      return Optional.empty();
    }
    Swarm s = swarm;
    if (s == null) {
      return Optional.of(p.snapshot(0, 0, 0, 0, System.nanoTime()));
    }
    return Optional.of(p.snapshot(s.connected(), s.unchoking(), s.interestedInUs(), s.unchokedByUs(), System.nanoTime()));
  }

  // tag::await[]
  /**
   * The engine's loop: a turn every 250 ms (every 20 ms until the first block arrives), or sooner
   * when a piece is verified, until every piece is verified or no progress is possible.
   */
  private boolean awaitCompletion(PiecePicker<PeerSession> picker, List<PeerSource> sources,
      Announcer announcer, Path folder) throws DownloadFailure, StorageException, InterruptedException {
    long began = System.nanoTime();
    while (!picker.isComplete()) {
      boolean starting = !progress.anyBlockFetched() && System.nanoTime() - began < FAST_TURNS_NANOS;
      synchronized (turn) {
        turn.wait(starting ? FIRST_TURN_MILLIS : TURN_MILLIS);
      }
      if (diskFailure != null) {
        throw diskFailure;
      }
      if (stopRequested || picker.isComplete()) {
        break;
      }
      long now = System.nanoTime();
      takeTurn(sources, now);
      dropStalledPiece(now);
      long lastProgress = Math.max(lastProgressNanos, progress.lastBlockNanos());
      if (now - lastProgress > options.giveUpAfter().toNanos()) {
        throw giveUp(announcer, folder);
      }
    }
    return picker.isComplete();
  }
  // end::await[]

  /**
   * One turn: the swarm gets what the peer sources found, and they are asked for more when the
   * swarm wants peers; then the swarm's own upkeep (dialing, turnover, choking, each session).
   */
  private void takeTurn(List<PeerSource> sources, long now) {
    for (PeerSource source : sources) {
      swarm.addCandidates(source.takeFound());
      if (swarm.wantsPeers()) {
        source.lookForMore();
      }
    }
    swarm.maintain(now);
    ResumeSaver saver = resumeSaver;
    if (saver != null) {
      saver.maybeSave(now); // every 30 s or 128 MiB; the turn waits for the flush (see maybeSave)
    }
  }

  // tag::seeding[]
  /**
   * Seeding: the same turn as the download's, without giving up, until the ratio (uploaded bytes
   * over the torrent's size) or the time is reached, or {@link #stop()}.
   */
  private void awaitSeedingGoal(List<PeerSource> sources) throws StorageException, InterruptedException {
    long seedingSince = System.nanoTime();
    seedingSinceNanos = seedingSince;
    options.log().accept("seeding" + goal());
    while (!stopRequested) {
      synchronized (turn) {
        turn.wait(TURN_MILLIS);
      }
      if (diskFailure != null) {
        throw diskFailure;
      }
      long now = System.nanoTime();
      boolean ratioReached = options.seedRatio() > 0
          && progress.uploaded() >= options.seedRatio() * metainfo.totalLength();
      boolean timeUp = !options.seedTime().isZero() && now - seedingSince >= options.seedTime().toNanos();
      if (ratioReached || timeUp) {
        options.log().accept(ratioReached ? "seeding: ratio reached" : "seeding: time is up");
        return;
      }
      takeTurn(sources, now);
    }
  }
  // end::seeding[]

  private String goal() {
    List<String> goals = new ArrayList<>();
    if (options.seedRatio() > 0) {
      goals.add(String.format(Locale.ROOT, "ratio %.2f", options.seedRatio()));
    }
    if (!options.seedTime().isZero()) {
      goals.add(StatusLine.clock(options.seedTime()));
    }
    return goals.isEmpty() ? " until stopped" : " until " + String.join(" or ", goals);
  }

  private DownloadFailure incomplete(RecheckResult onDisk) {
    int missing = metainfo.pieceCount() - onDisk.have().cardinality();
    return new DownloadFailure(DownloadFailure.Reason.INCOMPLETE_DATA, String.format(Locale.ROOT,
        "%d of %d pieces are missing or damaged in %s (%s of %s on disk verified); only complete data is seeded",
        missing, metainfo.pieceCount(), options.outputFolder().resolve(metainfo.name()),
        StatusLine.size(onDisk.bytesPresent()), StatusLine.size(metainfo.totalLength())));
  }

  // tag::verdict[]
  /**
   * On a hasher thread: a piece is written, or failed and its senders are suspected. The evidence is
   * taken from the piece first, then its bytes go back to the memory budget, and only then is its
   * place in the picker freed for another piece.
   */
  private void verdict(IncomingPiece<PeerAddress> piece, PieceVerdict<PeerAddress> verdict) {
    PiecePicker<PeerSession> picker = shared.picker();
    BanList bans = shared.bans();
    Set<PeerAddress> banned = Set.of();
    if (verdict instanceof PieceVerdict.Written<PeerAddress> written) {
      if (bans.hasEvidence(written.piece())) {
        // it failed before: the blocks that differ from this good copy name the liars
        banned = bans.pieceVerified(written.piece(), piece.blockHashes());
      }
      shared.inFlight().finished(piece);
      picker.pieceVerified(written.piece());
      ResumeSaver saver = resumeSaver;
      if (saver != null) {
        saver.pieceVerified(written.piece()); // written, not yet flushed: the next save flushes it
      }
      progress.pieceVerified(metainfo.pieceSize(written.piece()));
      swarm.broadcast(new Message.Have(written.piece()));
    } else if (verdict instanceof PieceVerdict.Failed<PeerAddress> failed) {
      banned = bans.pieceFailed(failed.piece(), piece.blockSenders(), piece.blockHashes());
      shared.inFlight().finished(piece);
      picker.pieceFailed(failed.piece());
      options.log().accept("piece " + failed.piece() + " failed its hash check (sent by "
          + names(failed.contributors()) + ")");
    }
    if (!banned.isEmpty()) {
      options.log().accept("banned " + names(banned) + ": sent data that failed a hash check");
      banned.forEach(swarm::ban);
    }
    lastProgressNanos = System.nanoTime();
    synchronized (turn) {
      turn.notifyAll();
    }
  }
  // end::verdict[]


  /**
   * The engine's turn: when the picker names a begun piece that nobody has touched for half the
   * shorter of the stall and give-up times (so that it goes before the download would give up),
   * while a peer waits for room to begin another, its blocks are thrown away and go back to the
   * picker. Pieces in flight first, picker second: a block that arrives in between is kept.
   */
  private void dropStalledPiece(long now) {
    long quiet = Math.min(options.stallTimeout().toNanos(), options.giveUpAfter().toNanos()) / 2;
    OptionalInt stalled = shared.picker().pieceToDrop(now, quiet);
    if (stalled.isPresent()) {
      int piece = stalled.getAsInt();
      shared.picker().blocksDropped(piece, shared.inFlight().drop(piece));
      long millis = TimeUnit.NANOSECONDS.toMillis(quiet);
      options.log().accept("piece " + piece + " given up: no peer sent or was asked for any of it for "
          + (millis < 10_000 ? millis + " ms" : millis / 1000 + " s") + ", and a peer waits to begin another");
    }
  }

  /** The most bytes the pieces in flight held at once during {@link #run}, measured (for tests). */
  long peakBytesInFlight() {
    SharedState s = shared;
    return s == null ? 0 : s.inFlight().peakBytes();
  }

  /** How many peer addresses our peers' ut_pex messages handed in so far (for tests). */
  long peersHeardByPex() {
    SharedState s = shared;
    return s == null ? 0 : s.pex().heard();
  }

  /** The bytes the pieces in flight hold now; after {@link #run}, what was left unwritten (for tests). */
  long bytesInFlight() {
    SharedState s = shared;
    return s == null ? 0 : s.inFlight().heldBytes();
  }

  private static String names(Set<PeerAddress> peers) {
    return peers.stream().map(PeerAddress::toString).sorted().collect(Collectors.joining(", "));
  }

  /** Which of the usual reasons stopped all progress, and what is saved. */
  private DownloadFailure giveUp(Announcer announcer, Path folder) {
    String saved = saved(folder);
    long seconds = options.giveUpAfter().toSeconds();
    String wait = seconds > 0 ? seconds + " s" : options.giveUpAfter().toMillis() + " ms";
    if (swarm.handshakes() == 0) {
      if (announcer.hasTrackers() && !announcer.answered() && options.extraPeers().isEmpty()) {
        return new DownloadFailure(DownloadFailure.Reason.NO_TRACKER_ANSWERED,
            "no tracker answered (" + announcer.lastFailure() + "); " + saved);
      }
      if (!announcer.hasTrackers() && options.extraPeers().isEmpty()) {
        DhtPeerSource source = dhtSource;
        String dht = source == null
            ? (metainfo.isPrivate() && options.dht() ? ", the DHT is off for a private torrent" : ", the DHT is off")
            : ", the DHT (" + source.status().nodes() + " nodes) found no peer that answered";
        return new DownloadFailure(DownloadFailure.Reason.NO_TRACKER_ANSWERED,
            "the torrent names no tracker and no peer was given with --peer" + dht + ", and no peer dialed us in "
                + wait + "; " + saved);
      }
      String tried = swarm.addressesTried() == 0
          ? "the trackers named no peer"
          : swarm.addressesTried() + " tried" + (swarm.lastDialFailure().isEmpty() ? "" : "; last: " + swarm.lastDialFailure());
      return new DownloadFailure(DownloadFailure.Reason.NO_PEER_REACHABLE,
          "no peer answered (" + tried + "); " + saved);
    }
    int connected = swarm.connected();
    if (swarm.withMissingPieces() == 0) {
      return new DownloadFailure(DownloadFailure.Reason.NO_PEER_HAS_THE_MISSING_PIECES,
          "no peer has the missing pieces (" + connected + " connected, " + swarm.handshakes()
              + " seen in all, none has any of the " + (metainfo.pieceCount() - progress.piecesDone())
              + " pieces we lack; waited " + wait + "); " + saved);
    }
    return new DownloadFailure(DownloadFailure.Reason.PEERS_SEND_NOTHING,
        "peers have the missing pieces but sent nothing for " + wait + " (" + connected
            + " connected, " + swarm.unchoking() + " unchoking us); " + saved);
  }

  private String saved(Path folder) {
    int done = progress.piecesDone();
    int total = metainfo.pieceCount();
    return String.format(Locale.ROOT, "%d of %d pieces (%d%%) are saved in %s and a later run resumes from them",
        done, total, (int) (100L * done / total), folder);
  }

  private DownloadResult result(TorrentStorage storage, long started) {
    int atStart = progress.piecesDone() - progress.piecesFetched();
    Path location = storage.folder().resolve(metainfo.name());
    Swarm s = swarm;
    long now = System.nanoTime();
    long seedingSince = seedingSinceNanos;
    return new DownloadResult(progress.piecesDone() == metainfo.pieceCount(), stopRequested, metainfo.totalLength(),
        progress.downloaded(), progress.piecesFetched(), atStart, metainfo.pieceCount(),
        Duration.ofNanos(now - started), s == null ? 0 : s.peersUsed(), location,
        shared == null ? Set.of() : shared.bans().banned(), progress.uploaded(),
        Duration.ofNanos(seedingSince == 0 ? 0 : now - seedingSince));
  }

  /**
   * Listens on the chosen port, or the next free one of the 8 after it (6881 to 6889, the range
   * BitTorrent clients have always used). Port 0 takes any free port.
   */
  static PeerListener listen(DownloadOptions options) throws IOException {
    int last = options.port() == 0 ? 0 : Math.min(65535, options.port() + 8);
    IOException first = null;
    for (int port = options.port(); port <= last; port++) {
      try {
        PeerListener listener = PeerListener.bind(options.listenAddress(), port, options.maxPeers(), options.timeouts());
        if (port != options.port()) {
          options.log().accept("port " + options.port() + " is taken; listening on " + listener.localAddress());
        }
        return listener;
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    throw new IOException(first.getMessage() + (last > options.port() ? " (and the next 8 ports too)" : ""), first);
  }

  private static int hashThreads() {
    return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() - 1));
  }

  private void diskFailed(StorageException e) {
    diskFailure = e;
    synchronized (turn) {
      turn.notifyAll();
    }
  }
}
