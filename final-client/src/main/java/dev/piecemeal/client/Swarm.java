package dev.piecemeal.client;

import dev.piecemeal.messages.Message;
import dev.piecemeal.peers.DialResult;
import dev.piecemeal.peers.PeerConnection;
import dev.piecemeal.peers.PeerDialer;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The peers of one download: every open {@link PeerSession}, the addresses waiting to be dialed,
 * and the bans. Peers come from the trackers, from {@code --peer}, and from our listening port; all
 * join the same swarm the same way, once their handshake is done.
 *
 * <pre>
 * any peer source  → addCandidates → queue → fill(): dial while open + dialing &lt; maxPeers
 * listener         → accept ────────────────────────────────┐
 * dial thread      → PeerSession.run(): handshake → register → messages → unregister → fill()
 * </pre>
 *
 * <p>Every address heard of is remembered, and dialed again when there is room and at least {@link
 * #REDIAL_AFTER_NANOS} have passed since we last tried it. When fewer than {@link #LOW_PEERS}
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
  static final long REDIAL_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);
  static final int LOW_PEERS = 5;
  /** The most addresses remembered for redialing, and the most remembered as tried. */
  static final int MAX_KNOWN = 2000;
  /** The most addresses waiting to be dialed; more are dropped (they are known, and come back). */
  static final int MAX_QUEUED = 500;
  /** The most peers remembered as having broken the protocol. */
  static final int MAX_SHUNNED = 1000;

  private final SharedState shared;
  private final PeerDialer dialer;
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
  private int dialing;
  private int handshakes;
  private String lastDialFailure = "";
  private boolean closed;
  private PeerAddress ourselves;

  Swarm(SharedState shared) {
    this.shared = shared;
    int maxPeers = shared.options().maxPeers();
    this.dialer = new PeerDialer(maxPeers, Math.min(10, maxPeers), shared.options().timeouts());
  }

  /** Where we listen: a tracker lists us among the peers, and dialing ourselves is a waste. */
  synchronized void listeningOn(PeerAddress address) {
    ourselves = address;
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
      if (known.size() < MAX_KNOWN) {
        known.add(address);
      }
      Long tried = lastTried.get(address);
      boolean recentlyTried = tried != null && now - tried < REDIAL_AFTER_NANOS;
      if (!closed && !shared.bans().isBanned(address) && !shunned.containsKey(shunKey(address))
          && !isConnected(address) && !queue.contains(address) && !recentlyTried
          && queue.size() < MAX_QUEUED) {
        queue.add(address);
      }
    }
    fill();
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
    if (closed || shared.bans().isBanned(session.address()) || shared.bans().isBanned(session.peerId())
        || sessions.size() >= shared.options().maxPeers()) {
      return false;
    }
    for (PeerSession other : sessions) {
      if (other.peerId().equals(session.peerId())) {
        return false; // the same peer twice (it dialed us while we dialed it)
      }
    }
    sessions.add(session);
    handshakes++;
    return true;
  }

  /**
   * A session ended, joined or not: its slot goes to the next address waiting, and a peer that
   * broke the protocol is remembered, so that it is neither dialed nor accepted again.
   */
  synchronized void ended(PeerSession session, boolean registered) {
    if (registered) {
      sessions.remove(session);
    }
    if (session.violation() != null) {
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

  /** The engine's regular turn: each session checks for a stall and sends what waits. */
  void maintain(long nowNanos) {
    List<PeerSession> current;
    synchronized (this) {
      current = List.copyOf(sessions);
      if (queue.isEmpty() && sessions.size() + dialing < shared.options().maxPeers()) {
        addCandidates(List.copyOf(known)); // those not tried for REDIAL_AFTER_NANOS come back
      }
      fill();
    }
    for (PeerSession session : current) {
      session.maintain(nowNanos);
    }
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

  private boolean isConnected(PeerAddress address) {
    for (PeerSession session : sessions) {
      if (session.address().equals(address)) {
        return true;
      }
    }
    return false;
  }

  /** Dials waiting addresses while there is room. */
  private void fill() {
    while (!closed && !queue.isEmpty() && sessions.size() + dialing < shared.options().maxPeers()) {
      PeerAddress address = queue.iterator().next();
      queue.remove(address);
      lastTried.put(address, System.nanoTime());
      dialing++;
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
      } finally {
        synchronized (this) {
          dialing--;
        }
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
        threads.remove(Thread.currentThread());
        fill();
      }
    }
  }
}
