package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.client.Printable;
import dev.piecemeal.client.magnet.MagnetException;
import dev.piecemeal.client.magnet.MagnetLink;
import dev.piecemeal.tracker.PeerAddress;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code piecemeal info FILE.torrent}: what chapter 1 reads out of a .torrent file.
 *
 * <pre>
 * name:        piecemeal-sample
 * info hash:   d075adab104828d5e946a8833c5ab04727105478
 * total size:  201,883 bytes (197.2 KiB)
 * pieces:      7 of 32,768 bytes (32.0 KiB), the last 5,275 bytes (5.2 KiB)
 * </pre>
 *
 * <p>{@code piecemeal info 'magnet:?xt=urn:btih:…'}: what a magnet link says by itself, read by
 * {@link MagnetLink#parse} without a byte sent to the network. Its files and sizes are not in the
 * link; they come from peers.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {"Show what a .torrent file describes: name, info hash, sizes, trackers, files.",
        "Given a magnet link (quote it: it holds '&'), show what the link says, without going to the network."})
final class InfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.torrent|MAGNET",
      description = "the .torrent file to read, or a magnet link ('magnet:?xt=urn:btih:…')")
  String source;

  @Override
  public Integer call() throws CommandException {
    if (MagnetLink.looksLikeOne(source)) {
      return magnet();
    }
    Path file;
    try {
      file = Path.of(source);
    } catch (InvalidPathException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, source + ": not a file name: " + e.getReason(), e);
    }
    Metainfo metainfo = TorrentArgument.load(file);
    PrintWriter out = spec.commandLine().getOut();

    line(out, "name:", printable(metainfo.name()));
    line(out, "info hash:", metainfo.infoHash().hex());
    line(out, "total size:", Sizes.exactAndReadable(metainfo.totalLength()));
    int last = metainfo.pieceCount() - 1;
    line(out, "pieces:", String.format("%,d of %s, the last %s", metainfo.pieceCount(),
        Sizes.exactAndReadable(metainfo.pieceLength()), Sizes.exactAndReadable(metainfo.pieceSize(last))));
    if (metainfo.isHybrid()) {
      line(out, "format:", "hybrid v1 + v2 (read as v1)");
    }
    line(out, "private:", metainfo.isPrivate() ? "yes (peers from the tracker only)" : "no");
    metainfo.creationDate().ifPresent(date -> line(out, "created:", date.toString()));
    metainfo.createdBy().ifPresent(tool -> line(out, "created by:", printable(tool)));
    metainfo.comment().ifPresent(comment -> line(out, "comment:", printable(comment)));

    List<List<String>> tiers = metainfo.trackerTiers();
    line(out, "trackers:", tiers.isEmpty() ? "none (trackerless)"
        : tiers.size() + (tiers.size() == 1 ? " tier" : " tiers"));
    for (int t = 0; t < tiers.size(); t++) {
      for (String url : tiers.get(t)) {
        out.println("  tier " + (t + 1) + ": " + printable(url));
      }
    }

    List<TorrentFile> files = metainfo.files();
    line(out, "files:", Integer.toString(files.size()));
    int width = 0;
    for (TorrentFile f : files) {
      width = Math.max(width, Sizes.exactAndReadable(f.length()).length());
    }
    for (TorrentFile f : files) {
      String note = f.isPadding() ? "  (padding)"
          : f.isSymlink() ? "  -> " + printable(String.join("/", f.symlinkTarget())) : "";
      out.printf("  %" + width + "s  %s%s%n",
          Sizes.exactAndReadable(f.length()), printable(f.relativePath()), note);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * What the link says, in the order of a torrent's lines: name, info hash, trackers; then what
   * only a link has (peers), what it notes and we do not use, and what it cannot say.
   */
  private Integer magnet() throws CommandException {
    MagnetLink link;
    try {
      link = MagnetLink.parse(source);
    } catch (MagnetException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();

    line(out, "name:", link.displayName().map(InfoCommand::printable).orElse("none in the link"));
    line(out, "info hash:", link.infoHash().hex());
    link.v2InfoHash().ifPresent(v2 -> line(out, "v2 hash:", v2 + " (hybrid; not used: Piecemeal speaks v1)"));
    List<List<String>> tiers = link.trackerTiers();
    line(out, "trackers:", tiers.isEmpty() ? "none"
        : tiers.size() + (tiers.size() == 1 ? " tier" : " tiers"));
    for (int t = 0; t < tiers.size(); t++) {
      out.println("  tier " + (t + 1) + ": " + printable(tiers.get(t).get(0)));
    }
    line(out, "peers:", link.peers().isEmpty() ? "none" : Integer.toString(link.peers().size()));
    for (PeerAddress peer : link.peers()) {
      out.println("  " + peer);
    }
    if (!link.webSeeds().isEmpty()) {
      line(out, "web seeds:", link.webSeeds().size() + " (not used: Piecemeal downloads from peers only)");
      for (String url : link.webSeeds()) {
        out.println("  " + printable(url));
      }
    }
    if (!link.selectOnly().isEmpty()) {
      line(out, "select only:", link.selectOnly().stream().map(MagnetLink.FileRange::toString)
          .collect(Collectors.joining(", ")) + " (not used: Piecemeal downloads every file)");
    }
    line(out, "metadata:", "not in a magnet link: files, sizes and piece hashes come from peers");
    out.flush();
    return ExitCodes.OK;
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("%-13s%s%n", label, value);
  }

  /** A torrent's text is the torrent maker's: control characters are shown, not obeyed. */
  private static String printable(String text) {
    return Printable.oneLine(text);
  }
}
