package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import dev.piecemeal.client.Destinations;
import dev.piecemeal.client.WireTrace;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.peers.DialResult;
import dev.piecemeal.peers.PeerDialer;
import dev.piecemeal.tracker.PeerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The metadata phase of a download that starts from a magnet link (BEP 9): the peers the link,
 * the trackers and {@code --peer} name are dialed, and those that offer ut_metadata are asked for
 * the info dictionary, 16 KiB at a time, until it is in and its SHA-1 is the link's info-hash.
 * Then the peers are {@linkplain #handOff handed off} to the download with their connections open.
 *
 * <pre>
 * engine's turn ─ addCandidates(addresses) → dial (at most maxPeers, each on its own thread)
 *   each peer (MetadataPeer): handshake, HAVE NONE, extended handshake ──► offered(size)
 *     nextPiece() → request ──► received(data) → MetadataAssembler.add → COMPLETE? verify()
 *                                                   hash right: metainfo()  → handOff()
 *                                                   hash wrong: distrust its senders, start over
 * </pre>
 *
 * <p>What is trusted, and when:
 * <ul>
 *   <li>{@code metadata_size} is bounded (16 MiB) by {@link ExtendedHandshake#decode} before
 *       anything is sized by it; the assembler is allocated once, for the size of the first peer
 *       that offers the metadata. A peer that says another size is not asked, and not blamed:
 *       which of the two is right is known only once the hash is. Its size is tried when no peer
 *       of the first size sends any more.
 *   <li>A data message whose {@code total_size} is not that size, from a peer we asked, is a
 *       peer contradicting its own handshake: a protocol violation ({@link MetadataAssembler#add}).
 *   <li>The assembled dictionary is accepted only if its SHA-1 is the info-hash. If not, it is
 *       thrown away whole, every peer that sent a piece of it is closed and never dialed again,
 *       and the pieces are asked again of the others: one honest peer is enough. When the
 *       pieces came from several peers, no one is blamed (the hash cannot say which lied), and
 *       from then on each copy comes from one peer alone, so the next wrong one names its liar.
 * </ul>
 *
 * <p>Requests: at most {@link #PIECES_AT_ONCE} per peer and one peer per piece, so
 * that the pieces spread over the peers. A reject, or no answer within {@link #REQUEST_TIMEOUT},
 * gives the piece back for another peer; the same peer is not asked for it again for {@link
 * #RETRY_AFTER}.
 *
 * <p>Simplified: the size of the first peer that offers one is the size the metadata is fetched
 * at, until metadata of that size fails its hash, or every peer of that size has refused what is
 * left or let it time out; then another peer's size is tried, starting over. libtorrent too takes
 * the first {@code metadata_size} it sees; fetching every size offered at once would cost up to
 * 16 MiB per size.
 *
 * <p>Thread-safe: peer threads and the engine's turn call in; every method takes the fetch's
 * monitor, which is taken before nothing else and held across no I/O (a distrusted peer is closed
 * by closing its socket, which never blocks). {@link MetadataAssembler#verify} hashes up to 16 MiB
 * under it, once per complete copy: a few milliseconds in which the other peers wait.
 */
public final class MetadataFetch implements AutoCloseable {
  /**
   * The id we ask peers to send ut_metadata under (our extended handshake's {@code m}). The
   * download's sessions use the same one, so that a peer handed off goes on sending to it.
   */
  public static final int UT_METADATA_ID = 1;
  /**
   * The most pieces a torrent whose info dictionary fits in {@link MetadataMessage#MAX_TOTAL_SIZE}
   * can have: each piece takes 20 bytes of its {@code pieces}. Bounds bitfields and haves before
   * the piece count is known.
   */
  public static final int MOST_PIECES = MetadataMessage.MAX_TOTAL_SIZE / 20;
  /** How many metadata pieces we ask one peer for at once: two keeps it busy, and spreads the rest. */
  public static final int PIECES_AT_ONCE = 2;
  /** How long a metadata request may go unanswered before it is asked of another peer. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** How long a peer that rejected a piece, or let it time out, is not asked for it again. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(30);
  /** The most addresses remembered (dialed or waiting), and the most peers distrusted. */
  static final int MAX_KNOWN = 2000;
  /** How long {@link #handOff} waits for every peer's thread to reach the end of a message. */
  static final Duration HAND_OFF_WAIT = Duration.ofSeconds(2);

  /**
   * What a fetch needs.
   *
   * @param infoHash the link's
   * @param trackers the link's trackers, for the torrent the metadata becomes
   * @param handshaker ours, with the extension protocol's bit (and BEP 6's)
   * @param ours our extended handshake, without {@code metadata_size}; {@code yourip} is added per peer
   * @param maxPeers most peers connected or being dialed at once
   * @param redialAfter how long before an address that failed is dialed again
   * @param ourselves where we listen (a tracker lists us among the peers): never dialed; or null
   * @param nanos the clock for request timeouts and the last progress (System::nanoTime)
   */
  public record Settings(
      InfoHash infoHash,
      List<String> trackers,
      Handshaker handshaker,
      ExtendedHandshake ours,
      int maxPeers,
      ConnectionTimeouts timeouts,
      Duration redialAfter,
      Destinations destinations,
      PeerAddress ourselves,
      LongSupplier nanos,
      WireTrace trace,
      Consumer<String> log) {
    public Settings {
      Objects.requireNonNull(infoHash, "infoHash");
      trackers = List.copyOf(trackers);
      if (ours.metadataSize().isPresent()) {
        throw new IllegalArgumentException("a peer without metadata offers no metadata_size");
      }
      if (maxPeers < 1) {
        throw new IllegalArgumentException("maxPeers " + maxPeers + " is not positive");
      }
    }
  }

  /**
   * For the status line: peers connected now, how many of them offer the metadata, how many
   * peers have been asked for a piece, and how many of its pieces are in (0 of 0 before a size is
   * known).
   */
  public record Status(int connected, int offering, int asked, int piecesIn, int pieceCount) {}

  private final Settings settings;
  private final PeerDialer dialer;

  // Guarded by this.
  private final Set<MetadataPeer> peers = new LinkedHashSet<>();
  /** Each connected peer's metadata_size, for those that offer ut_metadata with one. */
  private final Map<MetadataPeer, Integer> offers = new HashMap<>();
  /** Which peer each piece is asked of now. */
  private final Map<Integer, MetadataPeer> inFlight = new HashMap<>();
  /** "peer piece" → not before (nanos): a peer is not asked again at once for what it refused. */
  private final Map<String, Long> notBefore = bounded(MAX_KNOWN);
  private final Set<PeerAddress> queue = new LinkedHashSet<>();
  private final Map<PeerAddress, Long> lastTried = bounded(MAX_KNOWN);
  private final Map<PeerAddress, Boolean> distrusted = bounded(MAX_KNOWN);
  private final Set<PeerAddress> askedAddresses = new HashSet<>();
  private final Set<Thread> threads = new HashSet<>();
  private final List<HandedOffPeer> handedOff = new ArrayList<>();
  private MetadataAssembler<PeerAddress> assembler;
  /** The status when the hand-off began; null before. */
  private Status atHandOff;
  /**
   * Set once a copy from several peers hashed wrong: from then on each copy comes from one peer
   * alone, {@code soleSource}, so that the next wrong one names its liar and nobody else.
   */
  private boolean oneSourceAtATime;
  private MetadataPeer soleSource;
  private Metainfo metainfo;
  private String failure;
  private boolean handingOff;
  private boolean closed;
  private int dialing;
  private int handshakes;
  private int offeredEver;
  private String lastDialFailure = "";
  private long lastProgressNanos;

  public MetadataFetch(Settings settings) {
    this.settings = settings;
    this.dialer = new PeerDialer(settings.maxPeers(), Math.min(10, settings.maxPeers()), settings.timeouts());
    this.lastProgressNanos = settings.nanos().getAsLong();
  }

  /**
   * Addresses from any peer source (the link's {@code x.pe}, a tracker, {@code --peer}): dialed
   * unless known already, distrusted, or turned away by {@link Settings#destinations}.
   */
  public synchronized void addCandidates(Collection<PeerAddress> addresses) {
    long now = settings.nanos().getAsLong();
    for (PeerAddress address : addresses) {
      Long tried = lastTried.get(address);
      if (closed || handingOff || address.equals(settings.ourselves()) || !settings.destinations().allows(address)
          || distrusted.containsKey(address)
          || (tried != null && now - tried < settings.redialAfter().toNanos()) || queue.size() >= MAX_KNOWN) {
        continue;
      }
      queue.add(address);
    }
    fill();
  }

  /** Fewer than five peers offer the metadata and no address waits: the trackers may be asked for more. */
  public synchronized boolean wantsPeers() {
    return !closed && metainfo == null && offers.size() < 5 && queue.isEmpty() && dialing == 0;
  }

  /** The torrent, once its metadata is in and hashed right. */
  public synchronized Optional<Metainfo> metainfo() {
    return Optional.ofNullable(metainfo);
  }

  /**
   * Waits at most {@code millis} for the metadata (or a {@link #failure}), and returns it if it
   * is in: the engine's turn waits here between its rounds.
   */
  public synchronized Optional<Metainfo> awaitMetainfo(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left;
    while (metainfo == null && failure == null && (left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return Optional.ofNullable(metainfo);
  }

  /**
   * Why the phase cannot succeed however long it waits: the metadata hashed right, so every peer
   * would send the same, but it is no torrent Piecemeal can download. Empty otherwise.
   */
  public synchronized Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** When a piece of metadata last arrived, or the fetch began (the clock of {@link Settings#nanos}). */
  public synchronized long lastProgressNanos() {
    return lastProgressNanos;
  }

  public synchronized Status status() {
    if (atHandOff != null) {
      return atHandOff; // the peers have left the fetch for the download; the line shows them as they were
    }
    return new Status(peers.size(), offers.size(), askedAddresses.size(),
        assembler == null ? 0 : assembler.pieceCount() - assembler.missingPieces().size(),
        assembler == null ? 0 : assembler.pieceCount());
  }

  /**
   * What was tried, for the one line that says why the phase gave up: {@code 3 addresses dialed,
   * 2 answered the handshake, none offered ut_metadata; last dial failure: …}.
   */
  public synchronized String tried() {
    StringBuilder line = new StringBuilder();
    line.append(lastTried.size()).append(lastTried.size() == 1 ? " address dialed, " : " addresses dialed, ")
        .append(handshakes == 0 ? "none" : handshakes).append(" answered the handshake, ")
        .append(offeredEver == 0 ? "none" : offeredEver).append(" offered the metadata (ut_metadata)");
    if (assembler != null) {
      line.append(", ").append(askedAddresses.size()).append(" asked, ")
          .append(assembler.pieceCount() - assembler.missingPieces().size()).append(" of ")
          .append(assembler.pieceCount()).append(" pieces in");
    }
    if (!distrusted.isEmpty()) {
      line.append(", ").append(distrusted.size()).append(" distrusted for metadata with a wrong hash");
    }
    if (handshakes == 0 && !lastDialFailure.isEmpty()) {
      line.append("; last: ").append(lastDialFailure);
    }
    return line.toString();
  }

  // tag::hand-off[]
  /**
   * Once {@link #metainfo} is there: every peer's thread stops at the end of the message it is
   * reading, and the peers come back with their connections open. A peer whose thread is still
   * in the middle of a message after {@link #HAND_OFF_WAIT} is closed instead.
   */
  public List<HandedOffPeer> handOff() throws InterruptedException {
    List<Thread> running;
    synchronized (this) {
      if (metainfo == null) {
        throw new IllegalStateException("no metadata to hand off with");
      }
      atHandOff = status();
      handingOff = true;
      queue.clear();
      running = List.copyOf(threads);
    }
    joinAll(running, HAND_OFF_WAIT);
    synchronized (this) {
      for (MetadataPeer late : peers) {
        late.close();
      }
      return List.copyOf(handedOff);
    }
  }
  // end::hand-off[]

  /**
   * Stops dialing, closes every peer not handed off, and waits (at most the connect timeout, for
   * a dial in progress) for every thread the fetch started.
   */
  @Override
  public void close() throws InterruptedException {
    List<Thread> running;
    synchronized (this) {
      closed = true;
      queue.clear();
      for (MetadataPeer peer : peers) {
        peer.close();
      }
      running = List.copyOf(threads);
    }
    joinAll(running, settings.timeouts().connect().plusSeconds(1));
  }

  // The peers' side, on their threads.

  Handshaker handshaker() {
    return settings.handshaker();
  }

  InfoHash infoHash() {
    return settings.infoHash();
  }

  WireTrace trace() {
    return settings.trace();
  }

  long nanos() {
    return settings.nanos().getAsLong();
  }

  /** A peer answered our handshake. */
  synchronized void shookHands() {
    handshakes++;
  }

  synchronized boolean handingOff() {
    return handingOff || closed;
  }

  /** Our extended handshake for one peer: with {@code yourip}, its address as we see it. */
  ExtendedHandshake ourExtendedHandshake(PeerAddress peer) {
    return settings.ours().withYourIp(peer.address());
  }

  // tag::offered[]
  /**
   * A peer's extended handshake came. One that offers ut_metadata with a {@code metadata_size}
   * (already at most 16 MiB) may be asked; the first such size is the one the metadata is
   * fetched at.
   */
  synchronized void offered(MetadataPeer peer, ExtendedHandshake theirs) {
    OptionalInt size = theirs.metadataSize();
    if (theirs.idOf(MetadataMessage.EXTENSION_NAME).isEmpty() || size.isEmpty()) {
      offers.remove(peer);
      return; // it cannot serve metadata (it may have none yet, as we do)
    }
    if (!offers.containsKey(peer)) {
      offeredEver++;
    }
    offers.put(peer, size.getAsInt());
    if (assembler == null) {
      assembler = new MetadataAssembler<>(settings.infoHash(), size.getAsInt());
    }
  }
  // end::offered[]

  // tag::next-piece[]
  /**
   * The next piece to ask this peer for: the first missing piece no one is asked for now, that
   * this peer has not refused lately. Empty when it cannot serve the size being fetched, or
   * nothing is left to ask.
   */
  synchronized OptionalInt nextPiece(MetadataPeer peer, long now) {
    Integer size = offers.get(peer);
    if (handingOff || metainfo != null || assembler == null || size == null) {
      return OptionalInt.empty();
    }
    if (size != assembler.totalSize() && inFlight.isEmpty() && noOneServes(assembler.totalSize(), now)) {
      // every peer of the size being fetched has refused what is left, or let it time out: that
      // size may be a lie, and this peer's may not
      settings.log().accept("no peer sends metadata of " + assembler.totalSize() + " bytes; trying the "
          + size + " bytes " + peer.address() + " offers");
      assembler = new MetadataAssembler<>(settings.infoHash(), size);
      soleSource = null;
    }
    if (size != assembler.totalSize()) {
      return OptionalInt.empty();
    }
    if (oneSourceAtATime && soleSource != null && soleSource != peer) {
      if (inFlight.containsValue(soleSource) || askable(soleSource, now).isPresent()) {
        return OptionalInt.empty(); // the copy being fetched is the sole source's
      }
      startOverWithAnotherSource(); // it stopped short (it refused what is left): this peer, from the start
    }
    OptionalInt piece = askable(peer, now);
    if (piece.isPresent()) {
      inFlight.put(piece.getAsInt(), peer);
      askedAddresses.add(peer.address());
      if (oneSourceAtATime) {
        soleSource = peer;
      }
    }
    return piece;
  }

  /** No connected peer offering metadata of {@code size} bytes may be asked for a missing piece now. */
  private boolean noOneServes(int size, long now) {
    for (Map.Entry<MetadataPeer, Integer> offer : offers.entrySet()) {
      if (offer.getValue() == size && askable(offer.getKey(), now).isPresent()) {
        return false;
      }
    }
    return true;
  }

  /** The first missing piece no one is asked for now, that {@code peer} has not refused lately. */
  private OptionalInt askable(MetadataPeer peer, long now) {
    for (int piece : assembler.missingPieces()) {
      Long wait = notBefore.get(peer.address() + " " + piece);
      if (!inFlight.containsKey(piece) && (wait == null || now - wait >= 0)) {
        return OptionalInt.of(piece);
      }
    }
    return OptionalInt.empty();
  }
  // end::next-piece[]

  /** The peer said it will not send {@code piece}: another may be asked at once. */
  synchronized void rejected(MetadataPeer peer, int piece) {
    giveBack(peer, piece);
  }

  /** The peer did not answer for {@code piece} in time: another may be asked at once. */
  synchronized void timedOut(MetadataPeer peer, int piece) {
    giveBack(peer, piece);
    settings.log().accept("metadata piece " + piece + " asked of " + peer.address() + " timed out after "
        + REQUEST_TIMEOUT.toSeconds() + " s; asking another peer");
  }

  private void giveBack(MetadataPeer peer, int piece) {
    if (inFlight.get(piece) == peer) {
      inFlight.remove(piece);
    }
    notBefore.put(peer.address() + " " + piece, settings.nanos().getAsLong() + RETRY_AFTER.toNanos());
    if (peer == soleSource) {
      startOverWithAnotherSource();
    }
  }

  /** The one peer a copy comes from failed to send it: the next copy, whole, from another. */
  private void startOverWithAnotherSource() {
    soleSource = null;
    inFlight.clear();
    if (assembler != null) {
      assembler = new MetadataAssembler<>(settings.infoHash(), assembler.totalSize());
    }
  }

  // tag::received[]
  /**
   * A piece of the metadata: stored; if it was the last, the whole is hashed. Right, and the
   * torrent is known; wrong, and every peer that sent a piece of it is closed and distrusted, and
   * the pieces are asked again of the others.
   *
   * @throws ProtocolException the message's total_size is not the size we asked this peer for
   */
  synchronized void received(MetadataPeer peer, MetadataMessage.Data data) throws ProtocolException {
    if (inFlight.get(data.piece()) == peer) {
      inFlight.remove(data.piece());
    }
    Integer size = offers.get(peer);
    if (assembler == null || metainfo != null || size == null || size != assembler.totalSize()
        || (oneSourceAtATime && peer != soleSource)) {
      return; // an answer to a request of before a wrong hash started us over: nothing to keep
    }
    MetadataAssembler.Added added = assembler.add(peer.address(), data);
    lastProgressNanos = settings.nanos().getAsLong();
    if (added != MetadataAssembler.Added.COMPLETE) {
      return;
    }
    MetadataVerdict<PeerAddress> verdict;
    try {
      verdict = assembler.verify(settings.trackers());
    } catch (MetainfoException e) {
      failure = "the metadata peers sent has the right hash but is not a torrent Piecemeal can download: "
          + e.getMessage();
      notifyAll();
      return;
    }
    if (verdict instanceof MetadataVerdict.Accepted<PeerAddress> accepted) {
      metainfo = accepted.metainfo();
      notifyAll(); // the engine's turn, waiting in awaitMetainfo
    } else if (verdict instanceof MetadataVerdict.WrongHash<PeerAddress> wrong) {
      distrust(wrong);
    }
  }
  // end::received[]

  /**
   * Metadata with a wrong hash. From one peer alone: that peer lied, and is closed and never
   * dialed again. From several: one of them lied, but which one the hash cannot say, so none is
   * blamed (an honest peer is never punished for a liar); each copy from now on comes from one
   * peer alone, and the next wrong one names its sender. Either way, the pieces are asked again.
   */
  private void distrust(MetadataVerdict.WrongHash<PeerAddress> wrong) {
    String discarded = "metadata from " + names(wrong.contributors()) + " hashes to " + wrong.actual().hex()
        + ", not the link's " + settings.infoHash().hex() + ": discarded";
    soleSource = null;
    if (wrong.contributors().size() > 1) {
      settings.log().accept(discarded + "; one of them lied, so from now on each copy comes from one peer alone");
      oneSourceAtATime = true;
      assembler = new MetadataAssembler<>(settings.infoHash(), assembler.totalSize());
      inFlight.clear();
      return;
    }
    settings.log().accept(discarded + "; not asking it again");
    for (PeerAddress liar : wrong.contributors()) {
      distrusted.put(liar, Boolean.TRUE);
    }
    for (MetadataPeer connected : List.copyOf(peers)) {
      if (distrusted.containsKey(connected.address())) {
        offers.remove(connected);
        connected.close();
      }
    }
    assembler = null;
    inFlight.clear();
    // start over at the size of a peer we still trust, if one offers
    offers.values().stream().findFirst()
        .ifPresent(size -> assembler = new MetadataAssembler<>(settings.infoHash(), size));
  }

  // The dialing.

  /** Dials waiting addresses while there is room. */
  private void fill() {
    while (!closed && !handingOff && !queue.isEmpty() && peers.size() + dialing < settings.maxPeers()) {
      PeerAddress address = queue.iterator().next();
      queue.remove(address);
      lastTried.put(address, settings.nanos().getAsLong());
      dialing++;
      Thread thread = new Thread(() -> dialAndRun(address), "metadata-" + address);
      thread.setDaemon(true); // a safety net: close() joins them
      threads.add(thread);
      thread.start();
    }
  }

  /** On the peer's own thread: dial, run the peer's part of the phase, hand it off or close it. */
  private void dialAndRun(PeerAddress address) {
    try {
      DialResult result;
      try {
        result = dialer.dial(address);
      } catch (InterruptedException e) {
        synchronized (this) {
          dialing--;
        }
        return;
      }
      MetadataPeer peer;
      synchronized (this) {
        dialing--;
        if (result instanceof DialResult.Failed failed) {
          lastDialFailure = failed.message();
          return;
        }
        var connection = ((DialResult.Connected) result).connection();
        if (closed || handingOff) {
          connection.close();
          return;
        }
        peer = new MetadataPeer(connection, this);
        peers.add(peer);
      }
      runPeer(peer);
    } finally {
      synchronized (this) {
        threads.remove(Thread.currentThread());
        fill();
      }
    }
  }

  /** Runs one peer; its end: handed off, or closed with whatever it still had on request given back. */
  private void runPeer(MetadataPeer peer) {
    HandedOffPeer handed = null;
    String violation = null;
    try {
      handed = peer.run();
    } catch (ProtocolException e) {
      violation = e.getMessage();
    } catch (java.io.IOException e) {
      // the peer hung up, or we closed it
    } catch (RuntimeException e) {
      violation = "internal error: " + e; // a bug of ours, met on this peer's data: it ends this peer
    }
    synchronized (this) {
      peers.remove(peer);
      offers.remove(peer);
      inFlight.values().removeIf(asked -> asked == peer);
      if (peer == soleSource) {
        startOverWithAnotherSource();
      }
      if (violation != null) {
        distrusted.put(peer.address(), Boolean.TRUE);
        settings.log().accept("dropped " + peer.address() + " in the metadata phase: " + violation
            + "; not dialed again");
      }
      if (handed != null && handingOff && !closed) {
        handedOff.add(handed);
      } else {
        peer.close();
      }
    }
  }

  private static void joinAll(List<Thread> threads, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  private static String names(Set<PeerAddress> peers) {
    return peers.stream().map(PeerAddress::toString).sorted().reduce((a, b) -> a + ", " + b).orElse("");
  }

  /** A map that forgets its oldest entry past {@code max}: bounded bookkeeping of strangers. */
  private static <K, V> Map<K, V> bounded(int max) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
