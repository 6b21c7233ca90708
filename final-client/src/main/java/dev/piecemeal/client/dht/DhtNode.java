package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.client.Destinations;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A DHT node (BEP 5): one UDP socket and the one thread ({@code dht-PORT}) that owns it and every
 * pure part of this package: the {@link RoutingTable}, the {@link Tokens}, the {@link PeerStore}
 * and the {@link QueryRateLimiter}. The loop is the one the {@linkplain dev.piecemeal.client.dht
 * package} describes: receive a packet (for at most {@link #RECEIVE_TIMEOUT_MILLIS}, so each turn is
 * bounded and {@link #close} is seen), answer a query or hand a response to the lookup waiting for
 * it, then send what the lookups want asked next and give up on queries unanswered too long.
 *
 * <p>Other threads never touch that state: {@link #bootstrap} and {@link #getPeers} put a task on a
 * queue the loop drains, and hand back a {@link Search} the loop fills, which they may wait on.
 *
 * <p>Every packet out goes through one method, {@code send}, which asks the node's {@link
 * Destinations} first: a loopback-only node never sends to anything but 127.0.0.0/8.
 *
 * <p>Between runs: started with a {@link SavedTable}, the node keeps the id it had, and the saved
 * nodes are the first candidates of its own-id lookup (whose answers refill the table); {@link
 * #saved} is the table as the node's thread left it, for the caller to write at exit.
 *
 * <p>Simplified: a node that queries us and that we do not know is pinged once, and its answer
 * puts it in the table; our id is random, not derived from our address (BEP 42). libtorrent checks
 * node ids against addresses; BEP 42 is about a hostile internet, and this chapter's lab is one
 * machine.
 */
public final class DhtNode implements AutoCloseable {

  /** How long one receive waits: the longest a turn, and so {@link #close}, may take. */
  public static final int RECEIVE_TIMEOUT_MILLIS = 50;
  /** How long a query waits for its answer before it counts as failed. */
  public static final long QUERY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** How often the table is refreshed and its questionable nodes pinged. */
  public static final long MAINTENANCE_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** The most queries of ours waiting for an answer; more lookups wait their turn. */
  public static final int MAX_PENDING = 256;
  /** The most nodes remembered as pinged because they queried us, to ping each only once. */
  static final int MAX_PINGED_BACK = 1000;

  /**
   * How a node is set up.
   *
   * @param bind the local address and port (0: any free port) of the socket
   * @param destinations where packets may go; loopback-only for tests and labs
   * @param queriesPerSecond the queries per second each IP address may send us ({@link
   *     QueryRateLimiter}); a lab where every node is 127.0.0.1 wants far more than the default
   * @param nanos the clock every timer of the node reads
   * @param random for our id, transaction ids and token secrets
   * @param log one line for each event worth telling
   */
  public record Settings(InetSocketAddress bind, Destinations destinations, double queriesPerSecond,
      LongSupplier nanos, Random random, Consumer<String> log) {
    public Settings {
      Objects.requireNonNull(bind, "bind");
      Objects.requireNonNull(destinations, "destinations");
      Objects.requireNonNull(nanos, "nanos");
      Objects.requireNonNull(random, "random");
      Objects.requireNonNull(log, "log");
    }

    /** A node on {@code bind} in a loopback lab: loopback-only, 1,000 queries/s, the system clock. */
    public static Settings loopbackLab(InetSocketAddress bind) {
      return new Settings(bind, Destinations.LOOPBACK_ONLY, 1000, System::nanoTime, new Random(),
          line -> {});
    }
  }

  /**
   * What a lookup found, filled by the node's thread and read by any other: the peers so far (a
   * {@code get_peers} lookup), and whether the lookup is over.
   */
  public static final class Search {
    private final List<PeerAddress> peers = new ArrayList<>();
    private boolean done;

    synchronized void found(List<PeerAddress> more) {
      for (PeerAddress peer : more) {
        if (!peers.contains(peer) && peers.size() < Lookup.MAX_PEERS) {
          peers.add(peer);
        }
      }
    }

    synchronized void finish() {
      done = true;
      notifyAll();
    }

    /** The peers found so far. */
    public synchronized List<PeerAddress> peers() {
      return List.copyOf(peers);
    }

    /** Whether the lookup is over. */
    public synchronized boolean isDone() {
      return done;
    }

    /** Waits until the lookup is over, at most {@code millis}; true if it is. */
    public synchronized boolean awaitDone(long millis) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (!done) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }

  /** A query of ours waiting for its answer. {@code node} is null for a bootstrap ping (no id yet). */
  private record Pending(Query query, InetSocketAddress to, NodeInfo node, Running lookup, long sentAt) {}

  /** A lookup under way: what it looks for, and what to do when it ends. */
  private static final class Running {
    final Lookup lookup;
    final InfoHash infoHash; // null for find_node
    final int announcePort; // 0: do not announce
    final Search search;

    Running(Lookup lookup, InfoHash infoHash, int announcePort, Search search) {
      this.lookup = lookup;
      this.infoHash = infoHash;
      this.announcePort = announcePort;
      this.search = search;
    }
  }

  private final Settings settings;
  private final DatagramSocket socket;
  private final Thread thread;
  private final NodeId ownId;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private volatile boolean closing;
  private volatile int tableSize;

  // Owned by the node's thread alone.
  private final RoutingTable table;
  private final Tokens tokens;
  private final PeerStore store;
  private final QueryRateLimiter limiter;
  private final Map<TransactionId, Pending> pending = new HashMap<>();
  private final List<Running> lookups = new ArrayList<>();
  /** Bootstrap searches waiting for a ping answer before their find_node lookup can start. */
  private final List<Search> bootstrapping = new ArrayList<>();
  /** The bootstrap searches that end when an own-id lookup (the key) ends. */
  private final Map<Search, List<Search>> ownLookupWaiters = new HashMap<>();
  private final Map<InetSocketAddress, Boolean> pingedBack = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Boolean> eldest) {
      return size() > MAX_PINGED_BACK;
    }
  };
  /** The nodes of a saved table, the first candidates of the first own-id lookup; then empty. */
  private List<NodeInfo> savedNodes;
  private int nextTransaction;
  private long lastMaintenance;
  /** The table as the node's thread last saved it: at the end of each minute's maintenance, and at exit. */
  private volatile SavedTable saved;
  /** Receives one line for each answer a lookup gets, when set ({@link #traceLookups}). */
  private volatile Consumer<String> lookupTrace;

  private DhtNode(Settings settings, DatagramSocket socket, Optional<SavedTable> savedTable) {
    this.settings = settings;
    this.socket = socket;
    this.ownId = savedTable.map(SavedTable::ownId).orElseGet(() -> NodeId.random(settings.random()));
    this.savedNodes = savedTable.map(SavedTable::nodes).orElse(List.of());
    this.saved = new SavedTable(ownId, savedNodes);
    this.table = new RoutingTable(ownId, settings.nanos(), settings.random());
    this.tokens = new Tokens(settings.nanos(), settings.random());
    this.store = new PeerStore(settings.nanos());
    this.limiter = new QueryRateLimiter(settings.queriesPerSecond(),
        (int) Math.max(QueryRateLimiter.DEFAULT_BURST, settings.queriesPerSecond() * 10), settings.nanos());
    this.nextTransaction = settings.random().nextInt(1 << 16);
    this.lastMaintenance = settings.nanos().getAsLong();
    this.thread = new Thread(this::loop, "dht-" + socket.getLocalPort());
    this.thread.setDaemon(true); // a safety net: close() joins it
  }

  /** Binds the socket and starts the node's thread, with a new id and an empty table. */
  public static DhtNode start(Settings settings) throws IOException {
    return start(settings, Optional.empty());
  }

  /**
   * Binds the socket and starts the node's thread; with a saved table, under the id it saved, its
   * nodes the first ones asked when {@link #bootstrap} runs.
   */
  public static DhtNode start(Settings settings, Optional<SavedTable> savedTable) throws IOException {
    DatagramSocket socket = new DatagramSocket(settings.bind());
    socket.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
    DhtNode node = new DhtNode(settings, socket, savedTable);
    node.thread.start();
    return node;
  }

  /** Our node id. */
  public NodeId id() {
    return ownId;
  }

  /** Where the socket is bound. */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** How many nodes the routing table held at the end of the last turn. */
  public int tableSize() {
    return tableSize;
  }

  /**
   * Pings each of {@code nodes} (their ids are not known yet), and once one answers, looks up our
   * own id ({@code find_node}) to fill the table; with a saved table, that lookup starts at once,
   * from the saved nodes. The search is over when that lookup is, or when no bootstrap node
   * answered.
   */
  public Search bootstrap(List<InetSocketAddress> nodes) {
    Search search = new Search();
    List<InetSocketAddress> copy = List.copyOf(nodes);
    tasks.add(() -> {
      bootstrapping.add(search);
      for (InetSocketAddress node : copy) {
        send(new Query.Ping(ownId), node, null, null);
      }
      if (copy.isEmpty() || !savedNodes.isEmpty()) {
        startOwnLookup();
      }
    });
    return search;
  }

  /**
   * A node heard of outside the DHT (a peer's PORT message, BEP 5): pinged, through the same door
   * as every packet, and put in the table when it answers.
   */
  public void addNode(InetSocketAddress node) {
    Objects.requireNonNull(node, "node");
    tasks.add(() -> send(new Query.Ping(ownId), node, null, null));
  }

  /**
   * Has every answer to a lookup told to {@code trace}, one line each: which node answered, how
   * many bits of the target its id shares, and what it gave (the closest node it named, peers, a
   * token). How chapter 12 shows a lookup converging, hop by hop.
   */
  public void traceLookups(Consumer<String> trace) {
    this.lookupTrace = trace;
  }

  /** The table to write at exit: our id and the nodes that were in it when the node last saved. */
  public SavedTable saved() {
    return saved;
  }

  /**
   * Looks up peers of {@code infoHash} ({@code get_peers}), and when {@code announcePort} is not 0,
   * then announces to the closest nodes that gave a token that we are a peer on that TCP port.
   */
  public Search getPeers(InfoHash infoHash, int announcePort) {
    Objects.requireNonNull(infoHash, "infoHash");
    if (announcePort < 0 || announcePort > 65535) {
      throw new IllegalArgumentException("port " + announcePort + " is not in 0..65535");
    }
    Search search = new Search();
    tasks.add(() -> {
      NodeId target = NodeId.fromInfoHash(infoHash);
      lookups.add(new Running(new Lookup(target, ownId, table.closest(target, Lookup.K)), infoHash,
          announcePort, search));
    });
    return search;
  }

  /** Ends the node's thread (joined) and closes the socket. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    thread.join();
    socket.close();
  }

  // The node's thread from here on.

  private void loop() {
    byte[] buffer = new byte[KrpcDecoder.MAX_PACKET_BYTES + 1];
    try {
      while (!closing) {
        for (Runnable task; (task = tasks.poll()) != null; ) {
          task.run();
        }
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
          byte[] bytes = Arrays.copyOf(packet.getData(), packet.getLength());
          received(bytes, (InetSocketAddress) packet.getSocketAddress());
        } catch (SocketTimeoutException e) {
          // a quiet moment: the turn below still runs
        }
        turn();
        tableSize = table.size();
      }
    } catch (SocketException e) {
      if (!closing) {
        settings.log().accept("dht: socket failed: " + e.getMessage());
      }
    } catch (IOException e) {
      settings.log().accept("dht: socket failed: " + e.getMessage());
    } finally {
      saved = table.saved();
      for (Running running : lookups) {
        running.search.finish();
      }
      for (Search search : bootstrapping) {
        search.finish();
      }
    }
  }

  /** One packet in: a query is answered, a response or an error goes to the query it answers. */
  private void received(byte[] packet, InetSocketAddress from) {
    if (!limiter.allow(from.getAddress())) {
      return;
    }
    KrpcMessage message;
    try {
      message = KrpcDecoder.decode(packet,
          t -> Optional.ofNullable(pending.get(t)).filter(p -> p.to().equals(from)).map(Pending::query));
    } catch (KrpcException e) {
      // A malformed query we could read the transaction of is answered with 203; anything else is dropped.
      e.queryTransaction().ifPresent(t ->
          reply(KrpcMessage.ours(t, KrpcError.protocol(e.getMessage())), from));
      return;
    }
    if (message.body() instanceof Query query) {
      answer(message.transaction(), query, from);
    } else if (message.body() instanceof Response response) {
      Pending sent = pending.remove(message.transaction());
      responded(sent, response, from);
    } else if (message.body() instanceof KrpcError) {
      Pending sent = pending.get(message.transaction());
      if (sent != null && sent.to().equals(from)) {
        pending.remove(message.transaction());
        failed(sent);
      }
    }
  }

  /** BEP 5's four queries, answered; any other method gets error 204. */
  private void answer(TransactionId transaction, Query query, InetSocketAddress from) {
    NodeInfo sender = nodeAt(query.sender(), from);
    if (sender != null) {
      table.queriedUs(sender);
      pingBackIfNew(sender);
    }
    KrpcMessage.Body body;
    if (query instanceof Query.Ping) {
      body = new Response.IdResponse(ownId);
    } else if (query instanceof Query.FindNode find) {
      body = new Response.FindNodeResponse(ownId, table.closest(find.target(), Lookup.K));
    } else if (query instanceof Query.GetPeers get) {
      Optional<Token> token = store.isFull(get.infoHash())
          ? Optional.empty()
          : Optional.of(tokens.issue(from.getAddress(), get.infoHash()));
      body = new Response.GetPeersResponse(ownId, token,
          ipv4Only(store.peers(get.infoHash(), Response.MAX_VALUES)),
          table.closest(NodeId.fromInfoHash(get.infoHash()), Lookup.K));
    } else if (query instanceof Query.AnnouncePeer announce) {
      if (tokens.accepts(announce.token(), from.getAddress(), announce.infoHash())) {
        int port = announce.impliedPort() ? from.getPort() : announce.port();
        store.announce(announce.infoHash(), new PeerAddress(from.getAddress(), port));
        body = new Response.IdResponse(ownId);
      } else {
        body = KrpcError.protocol("bad token");
      }
    } else {
      body = KrpcError.methodUnknown(query.method());
    }
    reply(KrpcMessage.ours(transaction, body), from);
  }

  /** A node that queried us and that we do not know is pinged: its answer puts it in the table. */
  private void pingBackIfNew(NodeInfo sender) {
    if (!table.contains(sender.id()) && pingedBack.put(sender.address(), Boolean.TRUE) == null) {
      send(new Query.Ping(ownId), sender.address(), sender, null);
    }
  }

  private void responded(Pending sent, Response response, InetSocketAddress from) {
    if (sent == null) {
      return;
    }
    NodeInfo node = nodeAt(response.sender(), from);
    if (node == null) {
      return;
    }
    if (sent.node() == null || sent.node().id().equals(response.sender())) {
      table.responded(node);
    }
    if (sent.lookup() != null) {
      trace(sent.lookup(), sent.node(), response);
      sent.lookup().lookup.answered(sent.node(), response);
    }
    if (sent.node() == null && !bootstrapping.isEmpty()) {
      startOwnLookup(); // a bootstrap node answered: it is in the table now, the lookup can start
    }
  }

  /** One line of {@link #traceLookups}, for an answer to one of a lookup's queries. */
  private void trace(Running running, NodeInfo node, Response response) {
    Consumer<String> trace = lookupTrace;
    if (trace == null || node == null) {
      return;
    }
    NodeId target = running.lookup.target();
    List<NodeInfo> nodes = response instanceof Response.GetPeersResponse g ? g.nodes()
        : response instanceof Response.FindNodeResponse f ? f.nodes() : List.of();
    StringBuilder line = new StringBuilder("dht: ")
        .append(running.infoHash == null ? "find_node " : "get_peers ")
        .append(target.hex(), 0, 8).append("… answered by ").append(node)
        .append(" (").append(target.commonPrefixLength(node.id())).append(" bits in common): ")
        .append(nodes.size()).append(nodes.size() == 1 ? " node" : " nodes");
    nodes.stream().map(NodeInfo::id).min(NodeId.byDistanceTo(target)).ifPresent(closest ->
        line.append(", the closest ").append(target.commonPrefixLength(closest)).append(" bits in common"));
    if (response instanceof Response.GetPeersResponse g) {
      line.append("; ").append(g.values().size()).append(g.values().size() == 1 ? " peer" : " peers")
          .append(g.token().isPresent() ? "; a token" : "");
    }
    trace.accept(line.toString());
  }

  private void failed(Pending sent) {
    if (sent.node() != null) {
      table.failed(sent.node());
    }
    if (sent.lookup() != null) {
      sent.lookup().lookup.failed(sent.node());
    }
  }

  /**
   * A find_node lookup for our own id, whose end ends every bootstrap search waiting. The first one
   * also starts from the saved nodes, if any: those that answer go into the table.
   */
  private void startOwnLookup() {
    Search own = new Search();
    List<Search> waiting = List.copyOf(bootstrapping);
    bootstrapping.clear();
    List<NodeInfo> start = new ArrayList<>(table.closest(ownId, Lookup.K));
    start.addAll(savedNodes);
    savedNodes = List.of();
    lookups.add(new Running(new Lookup(ownId, ownId, start), null, 0, own));
    ownLookupWaiters.put(own, waiting);
  }

  /** Every turn: queries that timed out fail, lookups send their next queries or end, maintenance. */
  private void turn() {
    long now = settings.nanos().getAsLong();
    // 1. queries unanswered too long
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending sent = it.next();
      if (now - sent.sentAt() > QUERY_TIMEOUT_NANOS) {
        it.remove();
        failed(sent);
      }
    }
    tableSize = table.size(); // before a search ends, so that its waiter sees the table it left
    // 2. every lookup asks its next nodes, or ends (and announces, for get_peers with a port)
    for (Iterator<Running> it = lookups.iterator(); it.hasNext(); ) {
      Running running = it.next();
      for (NodeInfo node : running.lookup.nextQueries()) {
        Query query = running.infoHash == null
            ? new Query.FindNode(ownId, running.lookup.target())
            : new Query.GetPeers(ownId, running.infoHash);
        if (!send(query, node.address(), node, running)) {
          running.lookup.failed(node);
        }
      }
      running.search.found(running.lookup.peers());
      if (running.lookup.isDone()) {
        it.remove();
        if (running.announcePort != 0) {
          announce(running);
        }
        running.search.finish();
        List<Search> waiting = ownLookupWaiters.remove(running.search);
        if (waiting != null) {
          waiting.forEach(Search::finish);
        }
      }
    }
    // 3. bootstrap searches whose pings all went unanswered end too
    if (!bootstrapping.isEmpty() && pending.values().stream().noneMatch(p -> p.node() == null)) {
      bootstrapping.forEach(Search::finish);
      bootstrapping.clear();
    }
    // 4. once a minute: refresh quiet buckets, ping questionable nodes
    if (now - lastMaintenance >= MAINTENANCE_NANOS) {
      lastMaintenance = now;
      for (NodeId target : table.refreshTargets()) {
        lookups.add(new Running(new Lookup(target, ownId, table.closest(target, Lookup.K)), null, 0,
            new Search()));
      }
      for (NodeInfo node : table.nodesToPing()) {
        send(new Query.Ping(ownId), node.address(), node, null);
      }
      saved = table.saved();
    }
  }

  /** announce_peer to each of the closest nodes that gave a token (BEP 5). */
  private void announce(Running running) {
    int sent = 0;
    for (Lookup.Closest closest : running.lookup.closest()) {
      if (closest.token().isPresent() && send(
          new Query.AnnouncePeer(ownId, running.infoHash, running.announcePort, false, closest.token().get()),
          closest.node().address(), closest.node(), null)) {
        sent++;
      }
    }
    if (running.lookup.queriesSent() > 0) { // a node that knows nobody yet has nothing to say
      settings.log().accept("dht: get_peers " + running.infoHash.hex().substring(0, 8) + "… found "
          + running.lookup.peers().size() + (running.lookup.peers().size() == 1 ? " peer" : " peers")
          + " in " + running.lookup.queriesSent() + " queries; announce_peer (port " + running.announcePort
          + ") to " + sent + (sent == 1 ? " node" : " nodes"));
    }
  }

  /**
   * The one door for our queries: refused when the destination may not be contacted or too many
   * queries wait already. Returns whether it was sent.
   */
  private boolean send(Query query, InetSocketAddress to, NodeInfo node, Running lookup) {
    if (!settings.destinations().allows(to) || pending.size() >= MAX_PENDING) {
      return false;
    }
    TransactionId transaction;
    do {
      transaction = TransactionId.ofShort(nextTransaction++ & 0xffff);
    } while (pending.containsKey(transaction));
    if (!write(KrpcEncoder.encode(KrpcMessage.ours(transaction, query)), to)) {
      return false;
    }
    pending.put(transaction, new Pending(query, to, node, lookup, settings.nanos().getAsLong()));
    return true;
  }

  /** Our answer to a query; the same door check as our queries. */
  private void reply(KrpcMessage message, InetSocketAddress to) {
    if (settings.destinations().allows(to)) {
      write(KrpcEncoder.encode(message), to);
    }
  }

  private boolean write(byte[] bytes, InetSocketAddress to) {
    try {
      socket.send(new DatagramPacket(bytes, bytes.length, to));
      return true;
    } catch (IOException e) {
      settings.log().accept("dht: could not send to " + to + ": " + e.getMessage());
      return false;
    }
  }

  /** The node with this id at this address; null for an address a NodeInfo cannot hold (IPv6). */
  private static NodeInfo nodeAt(NodeId id, InetSocketAddress address) {
    try {
      return new NodeInfo(id, address);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<PeerAddress> ipv4Only(List<PeerAddress> peers) {
    return peers.stream().filter(peer -> !peer.isIpv6()).toList();
  }
}
