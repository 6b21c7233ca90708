package dev.piecemeal.client;

import dev.piecemeal.client.seed.ChokeDecision;
import dev.piecemeal.client.seed.Choker;
import dev.piecemeal.client.seed.ChokerPeer;
import dev.piecemeal.client.magnet.HandedOffPeer;
import dev.piecemeal.client.magnet.MetadataServer;
import dev.piecemeal.client.pex.PexMessage;
import dev.piecemeal.messages.Message;
import dev.piecemeal.peers.DialResult;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.peers.PeerDialer;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The peers of one download: every open {@link PeerSession}, the addresses waiting to be dialed,
 * and the bans. Peers come from the trackers, from {@code --peer}, and from our listening port; all
 * join the same swarm the same way, once their handshake is done.
 *
 * <pre>
 * any peer source  → addCandidates → queue → fill(): dial while open + reserved &lt; maxPeers
 * listener         → accept ────────────────────────────────┐
 * dial thread      → PeerSession.run(): handshake → register → messages → unregister → fill()
 * </pre>
 *
 * <p>A dial reserves its slot until its peer has joined or failed, so that the peers dialing us
 * cannot take every slot while our dial is on its way. When every slot is taken and an address
 * waits, the turn closes one peer that is of no use to us ({@link PeerSession#uselessness}: it
 * has had {@code turnoverAfter} to unchoke us or to have something we lack) and dials in its
 * place, as real clients turn useless peers over. Without that, fifty peers that dial in and say
 * nothing would hold every slot for ever.
 *
 * <p>Every address heard of is remembered, and dialed again when at least {@code redialAfter}
 * (30 s) has passed since we last tried it. When fewer than {@link #LOW_PEERS}
 * peers are left and none is waiting, {@link #wantsPeers} says so; the engine's turn reads it and
 * asks its peer sources (the trackers) for more. The swarm never calls up into them.
 *
 * <p>Simplified: one fixed wait before redialing any address. libtorrent scores every address and
 * backs off further after each failure, so a dead address costs less and less; a fixed 30 s costs
 * one failed dial per dead address per 30 s, within the bound on dials in flight.
 *
 * <p>Thread-safe: dial threads, session threads, the listener and the engine's loop all call in;
 * every method is {@code synchronized} on the swarm (first in the lock order of {@link SharedState})
 * and does no I/O under the lock (a session is
 * closed by closing its socket, which never blocks).
 */
final class Swarm {
  static final int LOW_PEERS = 5;
  /** The most addresses remembered for redialing, and the most remembered as tried. */
  static final int MAX_KNOWN = 2000;
  /** The most addresses waiting to be dialed; more are dropped (they are known, and come back). */
  static final int MAX_QUEUED = 500;
  /** How many refused addresses are logged, one line each; the rest are only counted. */
  static final int MAX_REFUSED_LOGGED = 10;
  /** The most peers remembered as having broken the protocol. */
  static final int MAX_SHUNNED = 1000;

  private final SharedState shared;
  private final Optional<MetadataServer> metadata;
  private final PeerDialer dialer;
  /** Who gets our upload slots; only the engine's turn (maintain) asks it, under the swarm's lock. */
  private final Choker<PeerSession> choker;
  private final Set<PeerSession> sessions = new LinkedHashSet<>();
  /** Waiting to be dialed, in the order heard of: a set, so that "already waiting?" costs O(1). */
  private final Set<PeerAddress> queue = new LinkedHashSet<>();
  /** When each address was last dialed; the oldest entry is forgotten first past MAX_KNOWN. */
  private final Map<PeerAddress, Long> lastTried = bounded(MAX_KNOWN);
  /** Peers that broke the protocol, never dialed or accepted again (see {@link #shunKey}). */
  private final Map<String, Boolean> shunned = bounded(MAX_SHUNNED);
  /** Every address heard of (trackers, --peer), to redial when peers run short. */
  private final Set<PeerAddress> known = new LinkedHashSet<>();
  private final Set<PeerAddress> used = new HashSet<>();
  private final Set<Thread> threads = new HashSet<>();
  /** Addresses dialed whose peer has not yet joined or failed: each holds a slot. */
  private final Set<PeerAddress> reserved = new HashSet<>();
  /** The addresses of the sessions, for an O(1) "already connected?". */
  private final Set<PeerAddress> connectedAddresses = new HashSet<>();
  /** Addresses turned away because {@link DownloadOptions#destinations} refuses them. */
  private int refusedDestinations;
  private int handshakes;
  private String lastDialFailure = "";
  private boolean closed;
  private PeerAddress ourselves;

  Swarm(SharedState shared) {
    this.shared = shared;
    int maxPeers = shared.options().maxPeers();
    this.dialer = new PeerDialer(maxPeers, Math.min(10, maxPeers), shared.options().timeouts());
    this.choker = new Choker<>(shared.options().uploadSlots(), System::nanoTime);
    this.metadata = MetadataServer.of(shared.metainfo());
  }

  /** Where we listen: a tracker lists us among the peers, and dialing ourselves is a waste. */
  synchronized void listeningOn(PeerAddress address) {
    ourselves = address;
  }

  /** Our listening port, which the BEP 10 handshake tells peers ({@code p}); empty before we listen. */
  synchronized OptionalInt listenPort() {
    return ourselves == null ? OptionalInt.empty() : OptionalInt.of(ourselves.port());
  }

  /** Our info dictionary for peers that ask by ut_metadata (BEP 9), made once for every session. */
  Optional<MetadataServer> metadataServer() {
    return metadata;
  }

  /**
   * Addresses from any peer source (a tracker, the command line): queued for dialing unless known
   * already. Every source feeds the swarm through this one method.
   */
  synchronized void addCandidates(Collection<PeerAddress> addresses) {
    long now = System.nanoTime();
    for (PeerAddress address : addresses) {
      if (address.equals(ourselves)) {
        continue;
      }
      if (!shared.options().destinations().allows(address)) {
        // Loopback-only: the one door every address comes in by is where the others are turned
        // away, so that no source (tracker, DHT, --peer) can make us dial out.
        refusedDestinations++;
        if (refusedDestinations <= MAX_REFUSED_LOGGED) {
          shared.options().log().accept("not dialing " + address + ": only loopback addresses may be contacted");
        }
        continue;
      }
      if (known.size() < MAX_KNOWN) {
        known.add(address);
      }
      Long tried = lastTried.get(address);
      boolean recentlyTried = tried != null && now - tried < shared.options().redialAfter().toNanos();
      if (!closed && !shared.bans().isBanned(address) && !shunned.containsKey(shunKey(address))
          && !connectedAddresses.contains(address) && !reserved.contains(address)
          && !queue.contains(address) && !recentlyTried
          && queue.size() < MAX_QUEUED) {
        queue.add(address);
      }
    }
    fill();
  }

  /**
   * Peers a magnet link's metadata phase connected (chapter 10): each holds a slot at once, and
   * its session starts on a thread of its own from where the phase left off, with no new dial.
   */
  synchronized void adopt(List<HandedOffPeer> peers) {
    long now = System.nanoTime();
    for (HandedOffPeer peer : peers) {
      PeerAddress address = peer.connection().remote();
      if (closed || reserved.contains(address)) {
        peer.connection().close();
        continue;
      }
      if (known.size() < MAX_KNOWN) {
        known.add(address); // redialed like any other, should it drop
      }
      lastTried.put(address, now);
      reserved.add(address); // until the session registers, as a dial's
      Thread thread = new Thread(() -> runHandedOff(peer), "peer-" + address);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void runHandedOff(HandedOffPeer peer) {
    try {
      new PeerSession(peer.connection(), shared, this, peer).run();
    } finally {
      synchronized (this) {
        reserved.remove(peer.connection().remote());
        threads.remove(Thread.currentThread());
        fill();
      }
    }
  }

  /** A peer dialed us: run its session on this (the connection's own) thread. */
  void accept(PeerConnection connection) {
    if (shared.bans().isBanned(connection.remote()) || isShunned(connection.remote())) {
      return;
    }
    new PeerSession(connection, shared, this).run();
  }

  /**
   * A session finished its handshake and asks to join; false (and the session ends) when the peer
   * is banned, already connected, or the swarm is full or closing.
   */
  synchronized boolean register(PeerSession session) {
    if (!session.isIncoming()) {
      reserved.remove(session.address()); // the slot it held is the one it takes now
    }
    if (closed || shared.bans().isBanned(session.address()) || shared.bans().isBanned(session.peerId())
        || sessions.size() + reserved.size() >= shared.options().maxPeers()) {
      return false;
    }
    for (PeerSession other : sessions) {
      if (other.peerId().equals(session.peerId())) {
        return false; // the same peer twice (it dialed us while we dialed it)
      }
    }
    sessions.add(session);
    connectedAddresses.add(session.address());
    handshakes++;
    return true;
  }

  /**
   * A session ended, joined or not: its slot goes to the next address waiting, and a peer that
   * broke the protocol once it had joined is remembered, so that it is neither dialed nor accepted
   * again. A handshake that failed is not held against the address: a client that prefers
   * encryption (aria2, Transmission and libtorrent by default) opens with an MSE key exchange,
   * which we cannot read, and then comes back from the same IP speaking plain BitTorrent.
   */
  synchronized void ended(PeerSession session, boolean registered) {
    if (registered && sessions.remove(session)) {
      connectedAddresses.remove(session.address());
    }
    if (registered && session.violation() != null) {
      shunned.put(shunKey(session.address()), Boolean.TRUE);
      queue.remove(session.address());
    }
    fill();
  }

  private synchronized boolean isShunned(PeerAddress address) {
    return shunned.containsKey(shunKey(address));
  }

  /**
   * Who a protocol breaker is: its IP address, so that a new port and peer id do not start clean.
   *
   * <p>Simplified: on a loopback address a peer is its IP and port. Every peer of a swarm on one
   * machine (the tests, the interop checks, the demo) shares 127.0.0.1, and shunning the IP would
   * shut out the honest ones with the breaker; a client on the internet has no such swarm.
   */
  private static String shunKey(PeerAddress address) {
    InetAddress ip = address.toSocketAddress().getAddress();
    return ip.isLoopbackAddress() ? address.toString() : ip.getHostAddress();
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

  /** Fewer than {@link #LOW_PEERS} peers are connected and no address waits to be dialed. */
  synchronized boolean wantsPeers() {
    return !closed && sessions.size() < LOW_PEERS && queue.isEmpty();
  }

  /** The peer sent a block we kept: it counts among the peers used. */
  synchronized void used(PeerAddress address) {
    used.add(address);
  }

  /** Bans a peer for the rest of the run and closes its sessions. */
  synchronized void ban(PeerAddress address) {
    queue.remove(address);
    for (PeerSession session : List.copyOf(sessions)) {
      if (session.address().equals(address)) {
        shared.bans().banId(session.peerId());
        session.close("banned: it sent data that failed hash checks");
      }
    }
  }

  /** Tells every peer that we have a new piece (BEP 3 have). */
  synchronized void broadcast(Message message) {
    for (PeerSession session : sessions) {
      session.post(message);
    }
  }

  /**
   * The engine's regular turn: addresses due for a redial come back, a useless peer makes room for
   * one when every slot is taken, and each session checks for a stall and sends what waits.
   */
  void maintain(long nowNanos) {
    List<PeerSession> current;
    List<PexMessage.Peer> exchanged;
    synchronized (this) {
      if (queue.isEmpty()) {
        addCandidates(List.copyOf(known)); // those not tried for redialAfter come back
      }
      if (!queue.isEmpty() && sessions.size() + reserved.size() >= shared.options().maxPeers()) {
        turnOver(nowNanos);
      }
      fill();
      current = List.copyOf(sessions);
      rechoke(current);
      exchanged = pexPeers(current);
    }
    for (PeerSession session : current) {
      session.exchangePeers(exchanged, nowNanos);
      session.maintain(nowNanos);
    }
  }

  /**
   * The peers we tell others of by ut_pex (BEP 11): every session whose dialable address we know,
   * flagged {@link PexMessage#REACHABLE} when we reached it by dialing.
   *
   * <p>Simplified: the seed flag is never set. libtorrent flags the peers that have every piece, so
   * that a seed does not dial them; without it, a seed that learns of another from us may dial it,
   * and the turnover closes the connection, of no use to either, once a better address waits.
   */
  private static List<PexMessage.Peer> pexPeers(List<PeerSession> current) {
    List<PexMessage.Peer> peers = new ArrayList<>();
    for (PeerSession session : current) {
      PeerAddress address = session.pexAddress();
      if (address != null) {
        peers.add(new PexMessage.Peer(address, session.isIncoming() ? 0 : PexMessage.REACHABLE));
      }
    }
    return peers;
  }

  synchronized int connected() {
    return sessions.size();
  }

  synchronized int unchoking() {
    int n = 0;
    for (PeerSession session : sessions) {
      if (!session.isChokingUs()) {
        n++;
      }
    }
    return n;
  }

  /** How many connected peers want our data. */
  synchronized int interestedInUs() {
    int n = 0;
    for (PeerSession session : sessions) {
      if (session.isInterestedInUs()) {
        n++;
      }
    }
    return n;
  }

  /** How many connected peers hold one of our upload slots. */
  synchronized int unchokedByUs() {
    int n = 0;
    for (PeerSession session : sessions) {
      if (session.isUnchokedByUs()) {
        n++;
      }
    }
    return n;
  }

  /** How many connected peers have a piece we lack. */
  synchronized int withMissingPieces() {
    int n = 0;
    for (PeerSession session : sessions) {
      if (shared.picker().isInteresting(session)) {
        n++;
      }
    }
    return n;
  }

  /** How many addresses were turned away because we may not contact them. */
  synchronized int refusedDestinations() {
    return refusedDestinations;
  }

  /** How many addresses wait to be dialed. */
  synchronized int queued() {
    return queue.size();
  }

  synchronized int peersUsed() {
    return used.size();
  }

  synchronized int addressesTried() {
    return lastTried.size();
  }

  synchronized int handshakes() {
    return handshakes;
  }

  synchronized String lastDialFailure() {
    return lastDialFailure;
  }

  /**
   * Stops dialing, closes every session and waits (at most the connect timeout, for a dial in
   * progress) for every thread the swarm started.
   */
  void close() throws InterruptedException {
    List<Thread> toJoin;
    synchronized (this) {
      closed = true;
      queue.clear();
      for (PeerSession session : sessions) {
        session.close(PeerSession.STOPPED);
      }
      toJoin = List.copyOf(threads);
    }
    dialer.closeAll();
    long deadline = System.nanoTime() + shared.options().timeouts().connect().toNanos() + 1_000_000_000L;
    for (Thread thread : toJoin) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  // tag::rechoke[]
  /**
   * Tit-for-tat (BEP 3): the choker decides who holds our upload slots, from each session's counts;
   * it computes a new round every 10 s and otherwise repeats its decision. Each session sends
   * CHOKE or UNCHOKE only when its slot changed.
   */
  private void rechoke(List<PeerSession> current) {
    List<ChokerPeer<PeerSession>> views = new ArrayList<>(current.size());
    for (PeerSession session : current) {
      views.add(session.chokerView());
    }
    Choker.Mode mode = shared.picker().isComplete() ? Choker.Mode.SEEDING : Choker.Mode.DOWNLOADING;
    ChokeDecision<PeerSession> decision = choker.decide(views, mode);
    for (PeerSession session : current) {
      session.uploadSlot(decision.isUnchoked(session));
    }
  }
  // end::rechoke[]

  /**
   * Closes one useless peer, the first found, so that the next address waiting can be dialed; its
   * slot is free at once, before its thread has even seen the close. One per turn: four a second.
   */
  private void turnOver(long nowNanos) {
    long grace = shared.options().turnoverAfter().toNanos();
    for (PeerSession session : sessions) {
      String why = session.uselessness(nowNanos, grace);
      if (why != null) {
        sessions.remove(session);
        connectedAddresses.remove(session.address());
        session.close(why + "; making room for a new peer");
        return;
      }
    }
  }

  /** Dials waiting addresses while there is room. */
  private void fill() {
    while (!closed && !queue.isEmpty() && sessions.size() + reserved.size() < shared.options().maxPeers()) {
      PeerAddress address = queue.iterator().next();
      queue.remove(address);
      lastTried.put(address, System.nanoTime());
      reserved.add(address);
      Thread thread = new Thread(() -> dialAndRun(address), "peer-" + address);
      thread.setDaemon(true); // a safety net: close() joins them, and the JVM never waits on one
      threads.add(thread);
      thread.start();
    }
  }

  /** On the peer's own thread: dial, then run the session until it ends. */
  private void dialAndRun(PeerAddress address) {
    try {
      DialResult result;
      try {
        result = dialer.dial(address);
      } catch (InterruptedException e) {
        return;
      }
      if (result instanceof DialResult.Connected connected) {
        try {
          new PeerSession(connected.connection(), shared, this).run();
        } finally {
          connected.connection().close();
        }
      } else if (result instanceof DialResult.Failed failed) {
        synchronized (this) {
          lastDialFailure = failed.message();
        }
      }
    } finally {
      synchronized (this) {
        reserved.remove(address); // failed, or its session is over: the slot is free
        threads.remove(Thread.currentThread());
        fill();
      }
    }
  }
}
