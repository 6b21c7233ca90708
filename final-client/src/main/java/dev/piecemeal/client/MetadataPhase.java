package dev.piecemeal.client;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.dht.DhtNode;
import dev.piecemeal.client.magnet.ExtendedHandshake;
import dev.piecemeal.client.magnet.HandedOffPeer;
import dev.piecemeal.client.magnet.MagnetLink;
import dev.piecemeal.client.magnet.MetadataFetch;
import dev.piecemeal.client.magnet.MetadataMessage;
import dev.piecemeal.handshake.Extension;
import dev.piecemeal.handshake.Extensions;
import dev.piecemeal.handshake.Handshaker;
import dev.piecemeal.peers.PeerListener;
import dev.piecemeal.tracker.PeerId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The engine's side of a download that starts from a magnet link (chapter 10): what comes before
 * {@link Download}'s step 1, since a link names no sizes and there is nothing to create on disk
 * until the info dictionary is in.
 *
 * <pre>
 * 1. listen (not accepting yet: peers that dial us wait in the backlog until the download begins)
 * 2. start our DHT node and look the info-hash up (get_peers), unless --no-dht; announce to
 *    the link's trackers, with left unknown
 * 3. dial the link's x.pe peers, --peer, and what the trackers and the DHT name (MetadataFetch)
 * 4. the engine's turn every 250 ms until the metadata is in and hashed right, or no progress
 * 5. hand over: the torrent, our peer id, the listener, the announcer, the DHT node and its
 *    lookups, the peers still connected
 * </pre>
 *
 * <p>The announcer, the listener and the DHT node go on into the download, so that a tracker
 * hears one {@code started} for the run, peers see one port, and the DHT one node that goes on
 * announcing; the announcer's {@code left} follows the download's {@link Progress} from the
 * hand-over on ({@link Counters}). A magnet link cannot say that its torrent is private (BEP 27
 * puts {@code private} in the info dictionary, which is what we are fetching), so the DHT is on
 * unless {@code --no-dht}; the download stops using it if the torrent turns out private.
 *
 * <p>Simplified: peers that dial us wait in the listen backlog until the metadata is in. libtorrent
 * serves incoming peers in its metadata phase too; we would need a second kind of session for a
 * peer we cannot yet tell what we have.
 */
final class MetadataPhase implements AutoCloseable {
  private static final long TURN_MILLIS = 250;

  /**
   * What the download takes over from the phase: everything here is open and running.
   *
   * @param peers connected, handed off by {@link MetadataFetch#handOff}
   */
  record HandOver(Metainfo metainfo, PeerId ourId, PeerListener listener, Announcer announcer, Counters counters,
      PhaseDht dht, List<HandedOffPeer> peers) {

    /**
     * Closes what the download did not take over, for a download that ends before it begins
     * (everything was on disk already): the peers, the listener, the announcer, which says
     * {@code stopped}, and the DHT node, which saves its table. Nothing when {@code handOver} is null.
     */
    static void close(HandOver handOver) {
      if (handOver == null) {
        return;
      }
      List<Closer.Part> parts = new ArrayList<>();
      for (HandedOffPeer peer : handOver.peers()) {
        parts.add(peer.connection()::close);
      }
      parts.add(handOver.listener()::close);
      parts.add(handOver.announcer()::close);
      if (handOver.dht() != null) {
        parts.add(handOver.dht().closeAndSave());
      }
      Closer.closeInOrder(null, parts);
    }

    /** The announcer, from now on reporting the download's counters. */
    Announcer announcerFor(Progress progress) {
      counters.follow(progress);
      return announcer;
    }
  }

  /**
   * Our DHT node and its lookups for the link's info-hash, running; null in a hand-over with the
   * DHT off.
   *
   * @param contacts the nodes our peers' PORT messages name, and our node's port, for the sessions
   * @param closeAndSave closes the node, then saves its table ({@link DhtStart#closeAndSave})
   * @param hasNodesToStartFrom a bootstrap node was given, or the saved table has nodes; without
   *     either, only a peer's PORT message could teach the node of another
   */
  record PhaseDht(DhtNode node, DhtContacts contacts, DhtPeerSource source, Closer.Part closeAndSave,
      boolean hasNodesToStartFrom) {}

  /**
   * The numbers each announce reports: before the metadata, nothing up or down and a large {@code
   * left}, since the size is unknown (anything but 0, which would say we are a seed); after it,
   * the download's own.
   */
  static final class Counters implements TransferCounters {
    /** {@code left} while the size is unknown: 1 TiB, "a large value", as libtorrent sends too. */
    static final long UNKNOWN_LEFT = 1L << 40;
    private volatile TransferCounters download;

    void follow(TransferCounters progress) {
      download = progress;
    }

    @Override
    public long uploaded() {
      TransferCounters d = download;
      return d == null ? 0 : d.uploaded();
    }

    @Override
    public long downloaded() {
      TransferCounters d = download;
      return d == null ? 0 : d.downloaded();
    }

    @Override
    public long left() {
      TransferCounters d = download;
      return d == null ? UNKNOWN_LEFT : d.left();
    }
  }

  private final MagnetLink link;
  private final DownloadOptions options;
  private final PeerId ourId = PeerId.random();
  private final Counters counters = new Counters();
  private volatile MetadataFetch fetch;
  private PeerListener listener;
  private Announcer announcer;
  private volatile PhaseDht dht;
  private boolean handedOver;

  MetadataPhase(MagnetLink link, DownloadOptions options) {
    this.link = link;
    this.options = options;
  }

  // tag::run[]
  /**
   * Fetches the metadata.
   *
   * @return the hand-over; empty when {@code stopRequested} said so first
   * @throws DownloadFailure no peer sent the metadata for {@code giveUpAfter}, or it is no torrent
   *     Piecemeal can download; the one line says what was tried
   * @throws IOException we cannot listen on any port we tried, or bind our DHT node's
   */
  Optional<HandOver> run(BooleanSupplier stopRequested) throws DownloadFailure, IOException, InterruptedException {
    if (nobodyToAsk() && !options.dht()) {
      throw new DownloadFailure(DownloadFailure.Reason.NO_TRACKER_ANSWERED,
          "the magnet link names no tracker (tr) and no peer (x.pe), no peer was given with --peer, and the"
              + " DHT is off (--no-dht): there is no one to ask for the metadata");
    }
    // 1. listen: the port goes into every announce and our extended handshake
    listener = Download.listen(options);
    options.log().accept("listening on " + listener.localAddress());

    // 2. unless --no-dht, our DHT node, which looks the info-hash up; and announce, with left unknown
    if (options.dht()) {
      dht = startDht();
      if (nobodyToAsk() && !dht.hasNodesToStartFrom()) {
        throw new DownloadFailure(DownloadFailure.Reason.NO_TRACKER_ANSWERED,
            "the magnet link names no tracker (tr) and no peer (x.pe), no peer was given with --peer, and the"
                + " DHT has no node to start from (--dht-bootstrap HOST:PORT, or a table an earlier run saved):"
                + " there is no one to ask for the metadata");
      }
    }
    // said before the first announce, whose answer is logged from the announcer's thread
    options.log().accept("fetching metadata for " + link.infoHash().hex()
        + link.displayName().map(name -> " (" + Printable.oneLine(name) + ")").orElse("") + " from peers");
    announcer = new Announcer(new AnnounceSetup(link.trackerTiers(), link.infoHash(), ourId,
        listener.localAddress().port(), new SecureRandom().nextInt(), options.trackerTimeout(),
        options.announceInterval(), options.destinations()), counters, options.log());
    announcer.start();
    List<PeerSource> sources = new ArrayList<>(List.of(announcer));
    if (dht != null) {
      sources.add(dht.source());
    }

    // 3. the peers: the link's, --peer, then the trackers' and the DHT's as they answer
    fetch = new MetadataFetch(new MetadataFetch.Settings(link.infoHash(), link.trackers(),
        new Handshaker(ourId, Extensions.of(Extension.FAST, Extension.EXTENSION_PROTOCOL)),
        ourExtendedHandshake(), options.maxPeers(), options.timeouts(), options.redialAfter(),
        options.destinations(), listener.localAddress(), System::nanoTime, options.trace(), options.log()));
    List<dev.piecemeal.tracker.PeerAddress> given = new ArrayList<>(link.peers());
    given.addAll(options.extraPeers());
    fetch.addCandidates(given);

    // 4. the engine's turn, until the metadata is in
    while (fetch.awaitMetainfo(TURN_MILLIS).isEmpty()) {
      if (stopRequested.getAsBoolean()) {
        return Optional.empty();
      }
      if (fetch.failure().isPresent()) {
        throw new DownloadFailure(DownloadFailure.Reason.PEERS_SEND_NOTHING, fetch.failure().get());
      }
      for (PeerSource source : sources) {
        fetch.addCandidates(source.takeFound());
        if (fetch.wantsPeers()) {
          source.lookForMore();
        }
      }
      if (System.nanoTime() - fetch.lastProgressNanos() > options.giveUpAfter().toNanos()) {
        throw giveUp();
      }
    }

    // 5. the hand-over: the peers with their connections open, and what runs on
    Metainfo metainfo = fetch.metainfo().get();
    options.log().accept("metadata: " + Printable.oneLine(metainfo.name()) + ", "
        + StatusLine.size(metainfo.infoBytes().length) + " of info dictionary, its SHA-1 the link's info-hash");
    List<HandedOffPeer> peers = fetch.handOff();
    handedOver = true;
    return Optional.of(new HandOver(metainfo, ourId, listener, announcer, counters, dht, peers));
  }
  // end::run[]

  /**
   * Our DHT node ({@link DhtStart#start}) and a {@code get_peers} lookup of the link's info-hash,
   * bootstrapped from {@code --dht-bootstrap} (a link names no nodes) or the saved table. Its
   * lookups announce our listening port, as the download's do.
   */
  private PhaseDht startDht() throws IOException {
    DhtContacts contacts = new DhtContacts();
    DhtNode node = DhtStart.start(options, contacts, listener.localAddress().port());
    List<InetSocketAddress> bootstrap = DhtStart.bootstrapNodes(options, List.of());
    DhtPeerSource source = new DhtPeerSource(node, bootstrap, link.infoHash(),
        listener.localAddress().port(), contacts, System::nanoTime);
    return new PhaseDht(node, contacts, source, DhtStart.closeAndSave(node, options),
        !bootstrap.isEmpty() || !node.saved().nodes().isEmpty());
  }

  /** The link names no tracker and no peer, and none was given with {@code --peer}. */
  private boolean nobodyToAsk() {
    return link.trackers().isEmpty() && link.peers().isEmpty() && options.extraPeers().isEmpty();
  }

  /** What the status line says of the DHT during the phase; empty with the DHT off. */
  Optional<DhtStatus> dhtStatus() {
    PhaseDht d = dht;
    return d == null ? Optional.empty() : Optional.of(d.source().status());
  }

  /**
   * Our extended handshake while we have no metadata: ut_metadata under the id the download's
   * sessions use too, and no {@code metadata_size} (BEP 9: only a peer that has it says it).
   */
  private ExtendedHandshake ourExtendedHandshake() {
    return ExtendedHandshake.of(Map.of(MetadataMessage.EXTENSION_NAME, MetadataFetch.UT_METADATA_ID))
        .withClient("Piecemeal " + PeerSession.version())
        .withRequestQueue(UploadQueue.MAX_QUEUED)
        .withListenPort(listener.localAddress().port());
  }

  /** The status line's numbers; empty before the phase has begun to dial. */
  Optional<MetadataFetch.Status> status() {
    MetadataFetch f = fetch;
    return f == null ? Optional.empty() : Optional.of(f.status());
  }

  /** No metadata for giveUpAfter: which of the usual reasons, and what was tried, in one line. */
  private DownloadFailure giveUp() {
    long seconds = options.giveUpAfter().toSeconds();
    String wait = seconds > 0 ? seconds + " s" : options.giveUpAfter().toMillis() + " ms";
    PhaseDht d = dht;
    DhtStatus inDht = d == null ? new DhtStatus(0, 0) : d.source().status();
    String tried = fetch.tried() + (d == null ? "" : "; the DHT (" + inDht.nodes() + " nodes) found "
        + inDht.peersFound() + (inDht.peersFound() == 1 ? " peer" : " peers"));
    if (announcer.hasTrackers() && !announcer.answered() && link.peers().isEmpty() && options.extraPeers().isEmpty()
        && inDht.peersFound() == 0) {
      return new DownloadFailure(DownloadFailure.Reason.NO_TRACKER_ANSWERED,
          "no metadata after " + wait + ": no tracker answered (" + announcer.lastFailure() + "); " + tried);
    }
    boolean answered = !tried.contains(" none answered");
    return new DownloadFailure(answered ? DownloadFailure.Reason.PEERS_SEND_NOTHING
        : DownloadFailure.Reason.NO_PEER_REACHABLE, "no metadata after " + wait + ": " + tried);
  }

  /**
   * Closes what was not handed over (all of it, when the phase failed or was stopped): the peers,
   * the listener, and the announcer, which says {@code stopped} to a tracker that knows us.
   */
  @Override
  public void close() throws InterruptedException {
    if (handedOver) {
      if (fetch != null) {
        fetch.close(); // what was not handed off: dials still on their way
      }
      return;
    }
    List<Closer.Part> parts = new ArrayList<>();
    if (fetch != null) {
      parts.add(fetch::close);
    }
    if (listener != null) {
      parts.add(listener::close);
    }
    if (announcer != null) {
      parts.add(announcer::close);
    }
    if (dht != null) {
      parts.add(dht.closeAndSave());
    }
    Closer.closeInOrder(null, parts);
  }
}
