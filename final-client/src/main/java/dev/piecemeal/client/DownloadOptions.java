package dev.piecemeal.client;

import dev.piecemeal.client.seed.Choker;
import dev.piecemeal.peers.ConnectionTimeouts;
import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything a download can be told, with the defaults a user gets from {@code piecemeal download}.
 *
 * @param outputFolder where the torrent's file (or folder) is created
 * @param listenAddress the local address we accept peers on (0.0.0.0: every interface)
 * @param port the first port to try listening on; 0 for any free port
 * @param maxPeers most connections open at once, dialed and accepted together
 * @param giveUpAfter how long without a new block before the download gives up
 * @param extraPeers peers to connect to besides those the trackers name
 * @param trackerTimeout the longest one announce may take (HTTP), or all its UDP retries
 * @param stallTimeout how long a peer may hold requests without sending a block before we drop it
 * @param timeouts connect, read and write timeouts for peer connections
 * @param fixedPipelineDepth 0 for a depth that follows each peer's rate; a number for a fixed one
 * @param uploadSlots how many peers we upload to at once, besides the optimistic unchoke (the
 *     choker's regular slots; 0: none)
 * @param seed once every piece is verified (or if all were on disk), keep uploading until the
 *     ratio or the time below is reached, or {@link Download#stop}
 * @param seedRatio with {@code seed}: stop once uploaded / torrent size reaches it; 0 for no limit
 * @param seedTime with {@code seed}: stop after seeding this long; zero for no limit
 * @param requireComplete refuse to start unless every piece is already on disk, and only read the
 *     files, never create, resize or write one: {@code piecemeal seed}
 * @param announceInterval announce this often instead of the tracker's interval (a local test
 *     swarm wants seconds where a tracker says 30 minutes); zero for the tracker's
 * @param redialAfter how long before an address we dialed is dialed again
 * @param turnoverAfter how long a peer may be of no use to us (choking us, or with nothing we lack)
 *     before it is closed to make room for an untried one, when every slot is taken
 * @param memoryCap the most bytes the pieces begun and not yet written may hold, for the whole
 *     download (see {@link #DEFAULT_MEMORY_CAP}); pieces too large for it are put together on disk
 * @param loopbackOnly contact only 127.0.0.0/8 and ::1: no peer, tracker or DHT node elsewhere, and
 *     no DNS lookup of a tracker's host (see {@link Destinations}); tests and the demo set it
 * @param dht find peers in the DHT too (BEP 5), and announce to it; never for a private torrent
 *     (BEP 27). Off here, for the engine's own users (tests); {@code download} and {@code seed}
 *     turn it on unless given {@code --no-dht}
 * @param dhtBootstrap the DHT nodes to start from (IP literals: never a name to look up)
 * @param dhtPort the UDP port of our DHT node; 0 for the peer port (UDP), or any free port when
 *     that one is taken
 * @param dhtState the file the DHT's routing table is read from at start and written to at exit
 *     ({@link DhtState}); empty for none
 * @param dhtTrace log each answer our DHT lookups get, hop by hop (also with a {@code trace})
 * @param stateFolder Piecemeal's state folder, where resume data is kept (chapter 11's {@code
 *     ResumeFile}); empty: no resume data, every start rechecks
 * @param trace receives every wire message, or {@link WireTrace#NONE}
 * @param log receives one line for each event a user may want to know (a tracker failed, a peer
 *     was banned); never called for a block
 */
public record DownloadOptions(
    Path outputFolder,
    InetAddress listenAddress,
    int port,
    int maxPeers,
    Duration giveUpAfter,
    List<PeerAddress> extraPeers,
    Duration trackerTimeout,
    Duration stallTimeout,
    ConnectionTimeouts timeouts,
    int fixedPipelineDepth,
    int uploadSlots,
    boolean seed,
    double seedRatio,
    Duration seedTime,
    boolean requireComplete,
    Duration announceInterval,
    Duration redialAfter,
    Duration turnoverAfter,
    long memoryCap,
    boolean loopbackOnly,
    boolean dht,
    List<PeerAddress> dhtBootstrap,
    int dhtPort,
    Optional<Path> dhtState,
    boolean dhtTrace,
    Optional<Path> stateFolder,
    WireTrace trace,
    Consumer<String> log) {

  /** The port BitTorrent clients have listened on since the first one. */
  public static final int DEFAULT_PORT = 6881;
  /** The deepest pipeline a fixed depth may ask for: the adaptive depth's own cap. */
  public static final int MAX_PIPELINE_DEPTH = 500;
  /**
   * 100 MiB for pieces in flight, of a 256 MiB target for the whole client: the JVM's own memory
   * (the heap in use, the collector's structures, classes, compiled code) and, for 50 peers, the
   * block each is reading, socket buffers, the picker and the ban list's evidence take about 110
   * to 150 MiB more (chapter 11 measured a 1 GiB download: a peak RSS of 206 MiB with 4 MiB pieces
   * at this cap, 295 MiB at 192 MiB, and the same speed). At 100 MiB, pieces of 8 MiB are put
   * together in memory (12 at once), pieces of 16 MiB and more on disk.
   */
  public static final long DEFAULT_MEMORY_CAP = 100L << 20;
  /**
   * The smallest memory cap: 1 MiB holds the 28 bytes a block that a piece of the largest length
   * Metainfo allows (32,767 blocks) needs when it is put together on disk.
   */
  public static final long MIN_MEMORY_CAP = 1L << 20;

  public DownloadOptions {
    Objects.requireNonNull(outputFolder, "outputFolder");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(giveUpAfter, "giveUpAfter");
    Objects.requireNonNull(trackerTimeout, "trackerTimeout");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(stateFolder, "stateFolder");
    extraPeers = List.copyOf(extraPeers);
    dhtBootstrap = List.copyOf(dhtBootstrap);
    Objects.requireNonNull(dhtState, "dhtState");
    if (dhtPort < 0 || dhtPort > 65535) {
      throw new IllegalArgumentException("DHT port " + dhtPort + " is not in 0..65535");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }
    if (maxPeers < 1) {
      throw new IllegalArgumentException("at most " + maxPeers + " peers: need at least 1");
    }
    Objects.requireNonNull(seedTime, "seedTime");
    Objects.requireNonNull(announceInterval, "announceInterval");
    if (!(seedRatio >= 0) || seedTime.isNegative() || announceInterval.isNegative()) {
      throw new IllegalArgumentException("seed ratio " + seedRatio + ", seed time " + seedTime
          + ", announce interval " + announceInterval + ": none may be negative");
    }
    if (uploadSlots < 0) {
      throw new IllegalArgumentException("upload slots " + uploadSlots + " is negative");
    }
    if (fixedPipelineDepth < 0 || fixedPipelineDepth > MAX_PIPELINE_DEPTH) {
      throw new IllegalArgumentException("pipeline depth " + fixedPipelineDepth + " is not in 0.." + MAX_PIPELINE_DEPTH);
    }
    if (memoryCap < MIN_MEMORY_CAP) {
      throw new IllegalArgumentException("memory cap of " + memoryCap + " bytes is less than " + MIN_MEMORY_CAP);
    }
    for (Duration d : List.of(giveUpAfter, trackerTimeout, stallTimeout, redialAfter, turnoverAfter)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("duration " + d + " is not positive");
      }
    }
  }

  /** Where this download may send: {@link Destinations#LOOPBACK_ONLY} when {@code loopbackOnly}. */
  public Destinations destinations() {
    return Destinations.of(loopbackOnly);
  }

  /** The defaults: every interface, port 6881, 50 peers, give up after 120 s without progress. */
  public static DownloadOptions defaults(Path outputFolder) {
    return builder(outputFolder).build();
  }

  /** A builder that starts from the {@link #defaults}; set only what differs. */
  public static Builder builder(Path outputFolder) {
    return new Builder(outputFolder);
  }

  /**
   * Sets options one at a time, then {@link #build}s the record, which checks them. A new option is
   * a record component, a field here with its default, and a setter.
   */
  public static final class Builder {
    private final Path outputFolder;
    private InetAddress listenAddress = anyAddress();
    private int port = DEFAULT_PORT;
    private int maxPeers = 50;
    private Duration giveUpAfter = Duration.ofSeconds(120);
    private List<PeerAddress> extraPeers = List.of();
    private Duration trackerTimeout = Duration.ofSeconds(15);
    private Duration stallTimeout = Duration.ofSeconds(60);
    private ConnectionTimeouts timeouts = ConnectionTimeouts.DEFAULTS;
    private int fixedPipelineDepth = 0;
    private int uploadSlots = Choker.DEFAULT_UPLOAD_SLOTS;
    private boolean seed = false;
    private double seedRatio = 0;
    private Duration seedTime = Duration.ZERO;
    private boolean requireComplete = false;
    private Duration announceInterval = Duration.ZERO;
    private Duration redialAfter = Duration.ofSeconds(30);
    private Duration turnoverAfter = Duration.ofSeconds(30);
    private long memoryCap = DEFAULT_MEMORY_CAP;
    private boolean loopbackOnly = false;
    private boolean dht = false;
    private List<PeerAddress> dhtBootstrap = List.of();
    private int dhtPort = 0;
    private Optional<Path> dhtState = Optional.empty();
    private boolean dhtTrace = false;
    private Path stateFolder = null;
    private WireTrace trace = WireTrace.NONE;
    private Consumer<String> log = line -> {};

    private Builder(Path outputFolder) {
      this.outputFolder = outputFolder;
    }

    public Builder listen(InetAddress address, int port) {
      this.listenAddress = address;
      this.port = port;
      return this;
    }

    public Builder maxPeers(int maxPeers) {
      this.maxPeers = maxPeers;
      return this;
    }

    public Builder giveUpAfter(Duration giveUpAfter) {
      this.giveUpAfter = giveUpAfter;
      return this;
    }

    public Builder extraPeers(List<PeerAddress> extraPeers) {
      this.extraPeers = extraPeers;
      return this;
    }

    public Builder trackerTimeout(Duration trackerTimeout) {
      this.trackerTimeout = trackerTimeout;
      return this;
    }

    public Builder stallTimeout(Duration stallTimeout) {
      this.stallTimeout = stallTimeout;
      return this;
    }

    public Builder timeouts(ConnectionTimeouts timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    public Builder fixedPipelineDepth(int fixedPipelineDepth) {
      this.fixedPipelineDepth = fixedPipelineDepth;
      return this;
    }

    public Builder uploadSlots(int uploadSlots) {
      this.uploadSlots = uploadSlots;
      return this;
    }

    public Builder seed(boolean seed) {
      this.seed = seed;
      return this;
    }

    public Builder seedRatio(double seedRatio) {
      this.seedRatio = seedRatio;
      return this;
    }

    public Builder seedTime(Duration seedTime) {
      this.seedTime = seedTime;
      return this;
    }

    public Builder requireComplete(boolean requireComplete) {
      this.requireComplete = requireComplete;
      return this;
    }

    public Builder announceInterval(Duration announceInterval) {
      this.announceInterval = announceInterval;
      return this;
    }

    public Builder redialAfter(Duration redialAfter) {
      this.redialAfter = redialAfter;
      return this;
    }

    public Builder turnoverAfter(Duration turnoverAfter) {
      this.turnoverAfter = turnoverAfter;
      return this;
    }

    public Builder memoryCap(long bytes) {
      this.memoryCap = bytes;
      return this;
    }

    public Builder loopbackOnly(boolean loopbackOnly) {
      this.loopbackOnly = loopbackOnly;
      return this;
    }

    public Builder dht(boolean dht) {
      this.dht = dht;
      return this;
    }

    public Builder dhtBootstrap(List<PeerAddress> nodes) {
      this.dhtBootstrap = nodes;
      return this;
    }

    public Builder dhtPort(int port) {
      this.dhtPort = port;
      return this;
    }

    /** Where the DHT's routing table is kept between runs; null for nowhere. */
    public Builder dhtState(Path file) {
      this.dhtState = Optional.ofNullable(file);
      return this;
    }

    public Builder dhtTrace(boolean dhtTrace) {
      this.dhtTrace = dhtTrace;
      return this;
    }

    /** Keep resume data in {@code folder} (null: none). */
    public Builder stateFolder(Path folder) {
      this.stateFolder = folder;
      return this;
    }

    public Builder trace(WireTrace trace) {
      this.trace = trace;
      return this;
    }

    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    /** The options; throws {@link IllegalArgumentException} for a value out of range. */
    public DownloadOptions build() {
      return new DownloadOptions(outputFolder, listenAddress, port, maxPeers, giveUpAfter, extraPeers,
          trackerTimeout, stallTimeout, timeouts, fixedPipelineDepth, uploadSlots, seed, seedRatio,
          seedTime, requireComplete, announceInterval, redialAfter, turnoverAfter, memoryCap, loopbackOnly,
          dht, dhtBootstrap, dhtPort, dhtState, dhtTrace, Optional.ofNullable(stateFolder), trace, log);
    }
  }

  private static InetAddress anyAddress() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an address", e);
    }
  }
}
