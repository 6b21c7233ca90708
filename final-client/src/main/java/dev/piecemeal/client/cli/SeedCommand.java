package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.client.Download;
import dev.piecemeal.client.DownloadOptions;
import dev.piecemeal.client.DownloadResult;
import dev.piecemeal.client.StatusLine;
import dev.piecemeal.storage.StorageException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal seed FILE.torrent -d DIR}: give a torrent's complete data to its swarm. {@code
 * DIR} holds the data as for {@code verify -d}: {@code DIR/<name>} for a single file, {@code
 * DIR/<name>/...} for a folder. It is rechecked first (chapter 7) and only read, never changed;
 * data with a piece missing or damaged is refused. Then the engine announces with {@code left=0},
 * accepts peers and dials those the trackers name, and uploads to those the choker unchokes
 * (chapter 9), until Ctrl-C, or {@code --ratio} or {@code --seed-time}:
 *
 * <pre>
 * seeding single.bin, 4.0 MiB in 257 pieces, from /data/single.bin
 * on disk: 257 of 257 pieces verified
 * listening on 127.0.0.1:6881
 * tracker http://127.0.0.1:6969/announce: 2 peers (started), next announce in 1800 s
 * seeding until stopped
 * seeding  peers 1 (1 interested, 1 unchoked)  up 3.9 MiB/s  uploaded 4.0 MiB  ratio 1.00
 * tracker http://127.0.0.1:6969/announce: stopped
 * seeded: uploaded 4.0 MiB (ratio 1.00), until stopped
 * </pre>
 *
 * <p>Exit status 130 when stopped by Ctrl-C (the usual end), 0 when {@code --ratio} or {@code
 * --seed-time} is reached, 1 when the data is incomplete (one line says how much is missing) or no
 * port can be listened on, 2 for a bad file or option.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
    description = "Upload a torrent's complete data to its swarm until Ctrl-C; the data is checked first and never changed.")
final class SeedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ListenArguments listen = new ListenArguments();

  @Mixin DhtArguments dht = new DhtArguments();

  @Mixin StateArguments state = new StateArguments();

  @Parameters(index = "0", paramLabel = "FILE.torrent", description = "the torrent to seed")
  Path file;

  @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = ".",
      description = "the folder holding the torrent's file (or its folder), as for verify (default: ${DEFAULT-VALUE})")
  Path folder;

  @Option(names = "--announce-interval", paramLabel = "SECONDS",
      description = "announce this often instead of the tracker's interval, to learn of new peers sooner")
  Double announceInterval;

  @Option(names = "--upload-slots", paramLabel = "N", defaultValue = "4",
      description = "how many peers we upload to at once, besides one optimistic slot (default: ${DEFAULT-VALUE})")
  int uploadSlots;

  @Option(names = "--ratio", paramLabel = "R",
      description = "stop once we have uploaded R times the torrent's size (exit 0)")
  Double ratio;

  @Option(names = "--seed-time", paramLabel = "DURATION",
      description = "stop after seeding this long (90s, 30m, 2h, 1d, or seconds; exit 0)")
  String seedTime;

  @Override
  public Integer call() throws CommandException, StorageException, InterruptedException {
    Metainfo metainfo = TorrentArgument.load(file);
    DownloadOptions.Builder builder = options();
    PrintWriter out = spec.commandLine().getOut();
    StatusLine status = new StatusLine(out, System.console() != null);
    status.log("seeding " + metainfo.name() + ", " + StatusLine.size(metainfo.totalLength()) + " in "
        + metainfo.pieceCount() + " pieces, from " + folder.toAbsolutePath().normalize().resolve(metainfo.name()));
    DownloadOptions options = builder.log(status::log).build();

    Download download = new Download(metainfo, options);
    return EngineRun.run(download, status, snapshot -> status.showSeeding(snapshot, download.dhtStatus()), result -> report(result, options, out));
  }

  /** The options as given, each checked on its own: a bad one is named with its value. */
  private DownloadOptions.Builder options() throws CommandException {
    listen.check();
    // 0 slots would seed nothing: for a download that only takes, use download --upload-slots 0
    OptionChecks.inRange("--upload-slots", uploadSlots, 1, SeedingOptions.MAX_UPLOAD_SLOTS);
    DownloadOptions.Builder options = DownloadOptions.builder(folder)
        .uploadSlots(uploadSlots)
        .announceInterval(SeedingOptions.announceInterval(announceInterval))
        .seedRatio(SeedingOptions.ratio(ratio))
        .seedTime(SeedingOptions.seedTime(seedTime))
        .seed(true)
        .requireComplete(true);
    listen.applyTo(options);
    dht.applyTo(options, listen.isLoopback(), state.folder());
    state.applyTo(options);
    if (!Files.isDirectory(folder)) {
      throw new CommandException(ExitCodes.BAD_INPUT, folder + ": not a folder");
    }
    return options;
  }

  private static int report(DownloadResult result, DownloadOptions options, PrintWriter out) {
    out.println(SeedingOptions.seededLine(result, options));
    out.flush();
    return result.stopped() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
  }
}
