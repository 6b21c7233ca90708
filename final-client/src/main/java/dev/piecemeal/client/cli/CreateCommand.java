package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import dev.piecemeal.bencode.SafePath;
import dev.piecemeal.client.Printable;
import dev.piecemeal.client.create.Content;
import dev.piecemeal.client.create.ContentScan;
import dev.piecemeal.client.create.CreateException;
import dev.piecemeal.client.create.CreatedTorrent;
import dev.piecemeal.client.create.PieceHashing;
import dev.piecemeal.client.create.PieceLength;
import dev.piecemeal.client.create.TorrentCreator;
import dev.piecemeal.client.create.TorrentOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal create PATH -t URL -o FILE.torrent}: a BEP 3 (v1) .torrent file of a file or
 * a folder, made with the {@code dev.piecemeal.client.create} package, written with chapter 1's
 * encoder and loaded back with chapter 1's loader before it is reported.
 *
 * <pre>
 * created photos.torrent: photos, 1,346,668 bytes (1.3 MiB) in 83 pieces of 16 KiB, info-hash 5f0c…
 * </pre>
 *
 * <p>What it refuses, each with one {@code error: …} line and status 2: a missing PATH, a folder
 * with no bytes in it (no files, or only empty ones), a symbolic link anywhere inside PATH (PATH
 * itself may be one), no {@code -t} (Piecemeal finds peers through trackers only, so it makes no
 * trackerless torrents), a piece length that is not a power of two from 16 KiB to 64 MiB, an
 * output file that already exists (unless {@code --force}), and an output inside PATH, which would
 * describe itself on the next run. Status 1 when a file cannot be read or changes while it is
 * hashed.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    customSynopsis = {
        "piecemeal create PATH -t URL [-t URL]... -o FILE.torrent [--force]",
        "       [--piece-length N] [--private] [--comment TEXT] [--name NAME]",
    },
    description = "Make a .torrent file (BEP 3, v1) of a file or a folder, hashing its pieces on every core.",
    footer = {
        "",
        "What goes into the torrent:",
        "  Every file below PATH, sorted by the UTF-8 bytes of the names, folder by",
        "  folder; hidden files and zero-length files too. Empty folders are left out:",
        "  a v1 torrent lists files only.",
        "  A symbolic link inside PATH is refused, naming it. PATH itself may be a",
        "  link: it is followed, and the torrent is named for the link.",
        "  File names must be UTF-8; in the C locale, run with LC_ALL=C.UTF-8.",
        "",
        "Choices this command makes:",
        "  At least one -t: Piecemeal finds peers through trackers only. Each -t is a",
        "  tier of its own, in order; the first is also the torrent's 'announce'.",
        "  Without --piece-length, the smallest power of two from 16 KiB to 16 MiB",
        "  that makes at most 2000 pieces. --piece-length takes bytes or K/M (256K,",
        "  1M): a power of two from 16 KiB to 64 MiB.",
        "  The same data, name, piece length and --private give the same info-hash:",
        "  the date, the trackers and the comment are outside the info dictionary.",
        "  An existing FILE.torrent is replaced only with --force; one inside PATH is",
        "  refused.",
        "",
        "Example:",
        "  piecemeal create photos -t http://tracker.example/announce -o photos.torrent",
    })
final class CreateCommand implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})(k|kib|m|mib)?", Pattern.CASE_INSENSITIVE);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "the file or folder the torrent describes")
  Path path;

  @Option(names = {"-t", "--tracker"}, paramLabel = "URL",
      description = "an http://, https:// or udp:// tracker URL (at least one; repeat for backup tiers)")
  List<String> trackers = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE.torrent", required = true,
      description = "the .torrent file to write (not inside PATH)")
  Path output;

  @Option(names = "--piece-length", paramLabel = "N",
      description = "bytes per piece: a power of two from 16K to 64M (default: chosen from the size)")
  String pieceLength;

  @Option(names = "--private", description = "BEP 27 private torrent: peers from the trackers only")
  boolean isPrivate;

  @Option(names = "--comment", paramLabel = "TEXT", description = "a comment, outside the info dictionary")
  String comment;

  @Option(names = "--name", paramLabel = "NAME",
      description = "the torrent's name (default: the file's or folder's own name)")
  String name;

  @Option(names = "--force", description = "replace FILE.torrent if it exists")
  boolean force;

  @Override
  public Integer call() throws CommandException, InterruptedException {
    // 1. the options, which need no disk
    TorrentOptions options = options();

    // 2. the output: refused early if it exists, so nobody waits for hashing to be told
    refuseExistingOutput();

    // 3. the content, then the output must not be part of it
    Content content;
    try {
      content = ContentScan.of(path);
    } catch (CreateException e) {
      throw commandException(e);
    }
    refuseOutputInside(content);

    // 4. hash the pieces (the long part) and build the torrent
    CreatedTorrent torrent;
    try {
      torrent = TorrentCreator.create(content, options, Runtime.getRuntime().availableProcessors(),
          progressOnATerminal(spec.commandLine().getErr()));
    } catch (CreateException e) {
      throw commandException(e);
    }

    // 5. write it, load it back as `piecemeal info` would, and say what was made
    write(torrent.bytes());
    Metainfo written = selfCheck(torrent);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "created %s: %s, %s in %,d %s of %s, info-hash %s%n",
        Printable.oneLine(output.toString()), Printable.oneLine(written.name()),
        Sizes.exactAndReadable(written.totalLength()), written.pieceCount(),
        written.pieceCount() == 1 ? "piece" : "pieces", PieceLength.readable(written.pieceLength()),
        written.infoHash().hex());
    out.flush();
    return ExitCodes.OK;
  }

  private TorrentOptions options() throws CommandException {
    return new TorrentOptions(checkedTrackers(), checkedPieceLength(), checkedName(), isPrivate,
        Optional.ofNullable(comment), "Piecemeal " + version(), Optional.of(Instant.now()));
  }

  /**
   * At least one tracker, each an http, https or udp URL with a host, none twice. Design: no
   * trackerless torrents, because Piecemeal's own download finds peers through trackers only.
   */
  private List<String> checkedTrackers() throws CommandException {
    if (trackers.isEmpty()) {
      throw new CommandException(ExitCodes.BAD_INPUT, "no tracker given: add -t URL (Piecemeal finds"
          + " peers through trackers only, so it makes no trackerless torrents)");
    }
    Set<String> seen = new HashSet<>();
    for (String url : trackers) {
      if (!isTrackerUrl(url)) {
        throw new CommandException(ExitCodes.BAD_INPUT, "-t " + url
            + " is not a tracker URL: it must start with http://, https:// or udp:// and name a host");
      }
      if (!seen.add(url)) {
        throw new CommandException(ExitCodes.BAD_INPUT, "-t " + url + " is given twice");
      }
    }
    return trackers;
  }

  private static boolean isTrackerUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https") || scheme.equals("udp")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** {@code 262144}, {@code 256K}, {@code 256KiB}, {@code 1M}: a power of two of 16 KiB to 64 MiB. */
  private OptionalInt checkedPieceLength() throws CommandException {
    if (pieceLength == null) {
      return OptionalInt.empty();
    }
    long bytes = parseSize(pieceLength.strip());
    if (bytes < 0) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--piece-length " + pieceLength
          + " is not a number of bytes (like 262144, 256K or 1M)");
    }
    Optional<String> problem = PieceLength.problem(bytes);
    if (problem.isPresent()) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--piece-length " + pieceLength + " " + problem.get());
    }
    return OptionalInt.of((int) bytes);
  }

  /** Bytes, or with K/KiB (1024) or M/MiB (1024²) after the number; -1 when it is neither. */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return -1;
    }
    long number = Long.parseLong(m.group(1)); // at most 12 digits: no overflow, even times 1 MiB
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    return unit.startsWith("k") ? number * 1024 : unit.startsWith("m") ? number * 1024 * 1024 : number;
  }

  private Optional<String> checkedName() throws CommandException {
    if (name == null) {
      return Optional.empty();
    }
    Optional<String> problem = SafePath.problem(name);
    if (problem.isPresent()) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--name " + name + ": " + problem.get());
    }
    return Optional.of(name);
  }

  private void refuseExistingOutput() throws CommandException {
    if (Files.isDirectory(output)) {
      throw new CommandException(ExitCodes.BAD_INPUT, output + ": is a folder; -o names the .torrent file to write");
    }
    if (Files.exists(output) && !force) {
      throw new CommandException(ExitCodes.BAD_INPUT, output + ": already exists (add --force to replace it)");
    }
    Path folder = output.toAbsolutePath().getParent();
    if (!Files.isDirectory(folder)) {
      throw new CommandException(ExitCodes.BAD_INPUT, output + ": the folder " + folder + " does not exist");
    }
  }

  /**
   * The output may not be PATH itself (that would overwrite the data with --force) or anywhere below
   * it: the next torrent made of PATH would then describe this one. Compared as real paths, so a
   * link on the way to either is seen through.
   */
  private void refuseOutputInside(Content content) throws CommandException {
    Path target;
    try {
      target = Files.exists(output) ? output.toRealPath()
          : output.toAbsolutePath().getParent().toRealPath().resolve(output.getFileName());
    } catch (IOException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, output + ": cannot be resolved: " + e.getMessage(), e);
    }
    if (target.equals(content.root())) {
      throw new CommandException(ExitCodes.BAD_INPUT, "-o " + output + " is " + path
          + " itself; write the torrent elsewhere");
    }
    if (target.startsWith(content.root())) {
      throw new CommandException(ExitCodes.BAD_INPUT, "-o " + output + " is inside " + path
          + ", so the torrent would describe itself; write it elsewhere");
    }
  }

  private void write(byte[] bytes) throws CommandException {
    try {
      if (force) {
        Files.write(output, bytes);
      } else {
        Files.write(output, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, output + ": already exists (add --force to replace it)", e);
    } catch (IOException e) {
      throw new CommandException(ExitCodes.FAILED, output + ": cannot be written: " + e.getMessage(), e);
    }
  }

  /**
   * Loads the written file with chapter 1's loader, exactly as {@code piecemeal info} does, and
   * checks that it describes what was hashed. A file that fails is removed: it is never left behind.
   */
  private Metainfo selfCheck(CreatedTorrent torrent) throws CommandException {
    Metainfo written;
    try {
      written = Metainfo.fromFile(output);
    } catch (MetainfoException | IOException e) {
      deleteQuietly();
      throw new CommandException(ExitCodes.FAILED, output
          + ": the torrent just written does not load back, so it was removed: " + e.getMessage(), e);
    }
    if (!written.infoHash().equals(torrent.infoHash()) || written.pieceCount() != torrent.pieceCount()) {
      deleteQuietly();
      throw new IllegalStateException("the torrent loads back as " + written + ", not as " + torrent);
    }
    return written;
  }

  private void deleteQuietly() {
    try {
      Files.deleteIfExists(output);
    } catch (IOException ignored) {
      // the error that made us delete it is the one worth reporting
    }
  }

  private static CommandException commandException(CreateException e) {
    int status = e.kind() == CreateException.Kind.REFUSED ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
    return new CommandException(status, e.getMessage(), e);
  }

  /** The version the build wrote into the jar's manifest; none when run from target/classes. */
  private static String version() {
    String version = CreateCommand.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }

  /**
   * A percentage on stderr, rewritten in place, when a person is watching; nothing otherwise, so
   * that scripts and tests see only the one line of the result.
   */
  private static PieceHashing.Progress progressOnATerminal(PrintWriter err) {
    if (System.console() == null) {
      return (hashed, total) -> { };
    }
    int[] shown = {-1}; // guarded by err: the hashing threads report concurrently
    return (hashed, total) -> {
      int percent = (int) (100L * hashed / total);
      synchronized (err) {
        if (percent > shown[0]) {
          shown[0] = percent;
          err.print("\rhashing: " + percent + "%" + (hashed == total ? "\r             \r" : ""));
          err.flush();
        }
      }
    };
  }
}
