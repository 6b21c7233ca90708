package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.Printable;
import dev.piecemeal.client.Progress;
import dev.piecemeal.client.StatusLine;
import dev.piecemeal.client.magnet.MagnetException;
import dev.piecemeal.client.magnet.MagnetLink;
import dev.piecemeal.client.magnet.MetadataAssembler;
import dev.piecemeal.client.magnet.MetadataFetch;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.tracker.PeerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal download FILE.torrent [-o DIR]}: every chapter at work. Creates the torrent's
 * file (or folder) inside DIR, resumes from what is already there, and fetches the rest from the
 * swarm, verified, with a live status line; Ctrl-C stops cleanly and a later run resumes.
 *
 * <pre>
 * done: ubuntu.iso, 4.7 GiB in 3:12 (25.1 MiB/s), from 37 peers; every piece verified
 * </pre>
 *
 * <p>{@code piecemeal download 'magnet:?xt=urn:btih:…'} starts from a magnet link (chapter 10):
 * the metadata first, from the peers the link and its trackers name, then the same download;
 * {@code --save-torrent FILE} writes the metadata as a .torrent with the link's info-hash. A
 * malformed link is one {@code error:} line and status 2.
 *
 * <p>It uploads to the peers it unchokes all along (chapter 9's choker). With {@code --seed} it
 * goes on uploading once every piece is verified, until {@code --ratio} or {@code --seed-time} is
 * reached or Ctrl-C, and its last line says what went out ({@link SeedingOptions#seededLine}).
 *
 * Exit status 0 when complete (with {@code --seed}: and the seeding goal reached), 1 when no
 * progress was possible for {@code --give-up-after}, 2 for a bad file or option, 130 when stopped
 * by Ctrl-C (while seeding too).
 */
@Command(name = "download", mixinStandardHelpOptions = true,
    description = "Download a torrent from its swarm, verified piece by piece; run it again to resume.")
final class DownloadCommand implements Callable<Integer> {

  /** The longest --give-up-after: 30 days, far below where a duration in nanoseconds overflows. */
  private static final double MAX_SECONDS = 30 * 24 * 3600;
  /** --memory-cap: from 16 MiB (a few pieces of a usual length in memory) to 64 GiB. */
  private static final long MIN_MEMORY_CAP = 16L << 20;
  private static final long MAX_MEMORY_CAP = 64L << 30;

  @Spec CommandSpec spec;

  @Mixin ListenArguments listen = new ListenArguments();

  @Mixin DhtArguments dht = new DhtArguments();

  @Mixin StateArguments state = new StateArguments();

  @Parameters(index = "0", paramLabel = "FILE.torrent|MAGNET",
      description = "the torrent to download: a .torrent file, or a magnet link ('magnet:?xt=urn:btih:…', quoted)")
  String source;

  @Option(names = "--save-torrent", paramLabel = "FILE",
      description = "with a magnet link: once the metadata is in, save it as a .torrent file (the link's info-hash)")
  Path saveTorrent;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".",
      description = "the folder the torrent's file (or its folder) is created in (default: the current folder)")
  Path output;

  @Option(names = "--give-up-after", paramLabel = "SECONDS", defaultValue = "120",
      description = "give up after this long with no data arriving (default: ${DEFAULT-VALUE})")
  double giveUpAfter;

  @Option(names = "--tracker-timeout", paramLabel = "SECONDS", defaultValue = "15",
      description = "the longest wait for one tracker's answer (default: ${DEFAULT-VALUE})")
  double trackerTimeout;

  @Option(names = "--peer", paramLabel = "HOST:PORT",
      description = "a peer to connect to, besides those the trackers name (repeatable; IPv6 as [ADDRESS]:PORT)")
  List<String> peerArguments = new ArrayList<>();

  @Option(names = "--pipeline-depth", paramLabel = "N", defaultValue = "0",
      description = "keep exactly N requests out to each peer, for experiments (default: 0, a depth that"
          + " follows each peer's rate)")
  int pipelineDepth;

  @Option(names = "--upload-slots", paramLabel = "N", defaultValue = "4",
      description = "how many peers we upload to at once, besides one optimistic slot (0: none;"
          + " default: ${DEFAULT-VALUE})")
  int uploadSlots;

  @Option(names = "--seed", description = "once complete, keep uploading until --ratio or --seed-time is reached,"
      + " or Ctrl-C")
  boolean seed;

  @Option(names = "--ratio", paramLabel = "R",
      description = "with --seed: stop once we have uploaded R times the torrent's size")
  Double ratio;

  @Option(names = "--seed-time", paramLabel = "DURATION",
      description = "with --seed: stop after seeding this long (90s, 30m, 2h, 1d, or seconds)")
  String seedTime;

  @Option(names = "--announce-interval", paramLabel = "SECONDS",
      description = "announce this often instead of the tracker's interval (for a test swarm)")
  Double announceInterval;

  @Option(names = "--memory-cap", paramLabel = "SIZE", defaultValue = "100M",
      description = "the most memory pieces in flight may hold, for the whole download, like 64M or 1G;"
          + " pieces too large for it are put together on disk (16M to 64G; default: ${DEFAULT-VALUE})")
  String memoryCap;

  @Option(names = "--quiet", description = "print only errors")
  boolean quiet;

  @Option(names = "--trace", description = "print every message sent and received, one line each")
  boolean trace;

  @Override
  public Integer call() throws CommandException, StorageException, InterruptedException {
    MagnetLink magnet = MagnetLink.looksLikeOne(source) ? magnetLink() : null;
    Metainfo metainfo = magnet == null ? TorrentArgument.load(file()) : null;
    if (magnet == null && saveTorrent != null) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--save-torrent applies only to a magnet link");
    }
    DownloadOptions.Builder builder = options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StatusLine status = new StatusLine(out, System.console() != null);
    if (!quiet) {
      status.log(magnet == null
          ? "downloading " + metainfo.name() + ", " + StatusLine.size(metainfo.totalLength()) + " in "
              + metainfo.pieceCount() + " pieces, into " + output.toAbsolutePath().normalize()
          : "downloading the magnet link's torrent " + magnet.infoHash().hex() + " into "
              + output.toAbsolutePath().normalize() + "; its size comes with the metadata");
      builder.log(status::log);
    }
    if (trace) {
      // Simplified: from a magnet link, a bitfield in the trace is shown against the most pieces
      // a torrent can have, since the trace begins before the piece count is known.
      builder.trace(new TraceLines(magnet == null ? metainfo.pieceCount() : MetadataFetch.MOST_PIECES, status::log));
    }
    DownloadOptions options = builder.build();

    Download download = magnet == null ? new Download(metainfo, options)
        : new Download(magnet, options, torrent -> metadataArrived(torrent, magnet, status));
    // the download's line until every piece is here; with --seed, the seeder's line after that
    Consumer<Progress.Snapshot> show = snapshot -> {
      if (seed && snapshot.piecesDone() == snapshot.pieceCount()) {
        status.showSeeding(snapshot, download.dhtStatus());
      } else {
        status.show(snapshot, download.dhtStatus());
      }
    };
    return EngineRun.run(download, status, quiet ? null : show, result -> report(result, options, out, err));
  }

  /** The magnet link given, or one {@code error:} line (status 2) naming what is wrong with it. */
  private MagnetLink magnetLink() throws CommandException {
    try {
      return MagnetLink.parse(source);
    } catch (MagnetException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage(), e);
    }
  }

  private Path file() throws CommandException {
    try {
      return Path.of(source);
    } catch (InvalidPathException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, source + ": not a file name: " + e.getReason(), e);
    }
  }

  /**
   * The metadata is in: said in one line, and with {@code --save-torrent} written as a .torrent
   * whose info dictionary is the bytes the peers sent, so its info-hash is the link's.
   */
  private void metadataArrived(Metainfo torrent, MagnetLink magnet, StatusLine status) {
    if (!quiet) {
      status.log("downloading " + torrent.name() + ", " + StatusLine.size(torrent.totalLength()) + " in "
          + torrent.pieceCount() + " pieces");
    }
    if (saveTorrent == null) {
      return;
    }
    try {
      Files.write(saveTorrent, MetadataAssembler.torrent(torrent.infoBytes(), magnet.trackers()));
      if (!quiet) {
        status.log("saved the torrent as " + saveTorrent);
      }
    } catch (IOException e) {
      status.log("cannot save the torrent as " + saveTorrent + ": " + e.getMessage() + "; downloading on");
    }
  }

  /** The options as given, each checked on its own: a bad one is named with its value. */
  private DownloadOptions.Builder options() throws CommandException {
    listen.check();
    OptionChecks.inRange("--give-up-after", giveUpAfter, 0.001, MAX_SECONDS, "seconds");
    OptionChecks.inRange("--tracker-timeout", trackerTimeout, 0.001, 3600, "seconds");
    OptionChecks.inRange("--pipeline-depth", pipelineDepth, 0, DownloadOptions.MAX_PIPELINE_DEPTH);
    OptionChecks.inRange("--upload-slots", uploadSlots, 0, SeedingOptions.MAX_UPLOAD_SLOTS);
    double seedRatio = SeedingOptions.ratio(ratio);
    Duration seedDuration = SeedingOptions.seedTime(seedTime);
    Duration interval = SeedingOptions.announceInterval(announceInterval);
    if (!seed && (ratio != null || seedTime != null)) {
      throw new CommandException(ExitCodes.BAD_INPUT,
          (ratio != null ? "--ratio" : "--seed-time") + " applies only with --seed");
    }
    long memoryCapBytes = OptionChecks.size("--memory-cap", memoryCap, MIN_MEMORY_CAP, MAX_MEMORY_CAP);
    DownloadOptions.Builder builder = DownloadOptions.builder(output);
    listen.applyTo(builder);
    List<PeerAddress> peers = new ArrayList<>();
    for (String argument : peerArguments) {
      try {
        peers.add(PeerAddress.parse(argument));
      } catch (IllegalArgumentException e) {
        throw new CommandException(ExitCodes.BAD_INPUT, "--peer " + argument + ": " + e.getMessage(), e);
      }
    }
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, output + ": cannot create the output folder: " + e.getMessage(), e);
    }
    dht.applyTo(builder, listen.isLoopback(), state.folder());
    state.applyTo(builder);
    return builder
        .giveUpAfter(seconds(giveUpAfter))
        .trackerTimeout(seconds(trackerTimeout))
        .extraPeers(peers)
        .fixedPipelineDepth(pipelineDepth)
        .uploadSlots(uploadSlots)
        .seed(seed)
        .seedRatio(seedRatio)
        .seedTime(seedDuration)
        .announceInterval(interval)
        .memoryCap(memoryCapBytes);
  }

  private int report(DownloadResult result, DownloadOptions options, PrintWriter out, PrintWriter err) {
    if (!result.complete() && result.pieceCount() == 0) {
      err.println("stopped while fetching the metadata; nothing is saved yet; run the same command to start again");
      err.flush();
      return ExitCodes.INTERRUPTED;
    }
    if (!result.complete()) {
      err.println(String.format(Locale.ROOT,
          "stopped: %d of %d pieces are saved in %s; run the same command to resume",
          result.piecesOnDiskAtStart() + result.piecesFetched(), result.pieceCount(), shown(result.location())));
      err.flush();
      return ExitCodes.INTERRUPTED;
    }
    if (!quiet) {
      if (result.piecesFetched() == 0) {
        out.println("done: " + shown(result.location()) + " was already complete; every piece verified");
      } else {
        out.println(String.format(Locale.ROOT, "done: %s, %s in %s (%s/s), from %d peer%s; every piece verified%s",
            shown(result.location()), StatusLine.size(result.bytesFetched()), elapsed(result.downloading()),
            StatusLine.size((long) result.averageBytesPerSecond()), result.peersUsed(),
            result.peersUsed() == 1 ? "" : "s",
            result.piecesOnDiskAtStart() == 0 ? "" : result.piecesOnDiskAtStart() == 1
                ? " (1 piece was already on disk)"
                : " (" + result.piecesOnDiskAtStart() + " pieces were already on disk)"));
      }
      if (seed) {
        out.println(SeedingOptions.seededLine(result, options));
      }
      out.flush();
    }
    // complete and stopped: Ctrl-C while seeding, not a goal reached
    return seed && result.stopped() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
  }

  /** A path that holds the torrent's name, which a stranger chose: control characters shown, not obeyed. */
  private static String shown(Path location) {
    return Printable.oneLine(location.toString());
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
  }

  private static String elapsed(Duration duration) {
    return duration.toSeconds() < 60
        ? String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0)
        : StatusLine.clock(duration);
  }
}
