package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.client.Printable;
import dev.piecemeal.storage.Recheck;
import dev.piecemeal.storage.RecheckResult;
import dev.piecemeal.storage.StorageException;
import dev.piecemeal.storage.TorrentStorage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal verify FILE.torrent -d DIR}: chapter 7's recheck, on its own. Hashes what is in
 * {@code DIR} piece by piece, changing nothing, and says how much is complete, which files are, and
 * which pieces are missing or bad. The data of a multi-file torrent is in {@code DIR/<name>/...},
 * of a single-file torrent in {@code DIR/<name>}, as other clients put it.
 *
 * <pre>
 * data:        samples/piecemeal-sample
 * complete:    7 of 7 pieces, 201,883 of 201,883 bytes (100.0%)
 * missing:     none
 * bad:         none
 * files:       10 of 10 complete
 * </pre>
 *
 * <p>Exit status 0 only when every piece is present and correct, 1 otherwise (or when the disk
 * refuses a read), 2 for a malformed torrent or a {@code DIR} that is not a folder.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Hash-check a torrent's data on disk and report what is complete, missing or bad.")
final class VerifyCommand implements Callable<Integer> {
  /** Piece lists longer than this many ranges are cut short: the counts are always shown. */
  private static final int MAX_RANGES = 20;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.torrent", description = "the .torrent file")
  Path file;

  @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = ".",
      description = "the folder holding the data (default: ${DEFAULT-VALUE})")
  Path folder;

  @Override
  public Integer call() throws CommandException, InterruptedException {
    Metainfo metainfo = TorrentArgument.load(file);
    if (!Files.isDirectory(folder)) {
      throw new CommandException(ExitCodes.BAD_INPUT, folder + ": not a folder");
    }
    PrintWriter out = spec.commandLine().getOut();

    RecheckResult result;
    try (TorrentStorage storage = TorrentStorage.openForReading(metainfo, folder)) {
      result = Recheck.run(storage, progressOnATerminal(spec.commandLine().getErr()));
    } catch (StorageException e) {
      throw new CommandException(ExitCodes.FAILED, e.getMessage(), e);
    }

    line(out, "data:", Printable.oneLine(folder.resolve(metainfo.name()).toString()));
    line(out, "complete:", String.format(Locale.ROOT, "%,d of %,d pieces, %,d of %,d bytes (%.1f%%)",
        result.have().cardinality(), result.pieceCount(), result.bytesPresent(), metainfo.totalLength(),
        100.0 * result.bytesPresent() / metainfo.totalLength()));
    line(out, "missing:", ranges(result.missing()));
    line(out, "bad:", ranges(result.bad()));
    reportFiles(out, metainfo, result);
    out.flush();
    return result.isComplete() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** One line per file: complete or not; pad files are left out, symlinks are not materialised. */
  private static void reportFiles(PrintWriter out, Metainfo metainfo, RecheckResult result) {
    List<TorrentFile> files = metainfo.files();
    int shown = 0;
    int complete = 0;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      TorrentFile f = files.get(i);
      if (f.isPadding()) {
        continue;
      }
      shown++;
      String state;
      if (f.isSymlink()) {
        state = "symlink (not created)";
        complete++;
      } else if (result.isFileComplete(i)) {
        state = "complete";
        complete++;
      } else {
        state = "incomplete";
      }
      lines.add(String.format("  %-10s  %s", state, Printable.oneLine(f.relativePath())));
    }
    line(out, "files:", complete + " of " + shown + " complete");
    lines.forEach(out::println);
  }

  /** {@code 0-5, 9, 12-40}, or {@code none}; long lists end with how many more ranges there are. */
  static String ranges(List<Integer> pieces) {
    if (pieces.isEmpty()) {
      return "none";
    }
    List<String> ranges = new ArrayList<>();
    int start = pieces.get(0);
    int previous = start;
    for (int k = 1; k <= pieces.size(); k++) {
      int piece = k < pieces.size() ? pieces.get(k) : -1;
      if (piece != previous + 1) {
        ranges.add(start == previous ? Integer.toString(start) : start + "-" + previous);
        start = piece;
      }
      previous = piece;
    }
    String count = pieces.size() + (pieces.size() == 1 ? " piece: " : " pieces: ");
    if (ranges.size() > MAX_RANGES) {
      return count + String.join(", ", ranges.subList(0, MAX_RANGES)) + " and "
          + (ranges.size() - MAX_RANGES) + " more ranges";
    }
    return count + String.join(", ", ranges);
  }

  /**
   * A percentage on stderr, rewritten in place, when a person is watching; nothing otherwise, so
   * that scripts and tests see only the report.
   */
  private static Recheck.Progress progressOnATerminal(PrintWriter err) {
    if (System.console() == null) {
      return (checked, total) -> { };
    }
    int[] shown = {-1}; // guarded by err: the recheck threads report concurrently
    return (checked, total) -> {
      int percent = (int) (100L * checked / total);
      synchronized (err) {
        if (percent > shown[0]) {
          shown[0] = percent;
          err.print("\rchecking: " + percent + "%" + (checked == total ? "\r              \r" : ""));
          err.flush();
        }
      }
    };
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("%-13s%s%n", label, value);
  }
}
