package dev.piecemeal.client;

import dev.piecemeal.bencode.BencodeException;
import dev.piecemeal.client.dht.SavedTable;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The DHT's state file: the {@link SavedTable} (our node id and the nodes of our routing table)
 * written when a run ends and read when the next one starts, so that it need not begin from a
 * bootstrap node, and its neighbours find it under the id they knew. Where the file lives is the
 * caller's choice ({@link DownloadOptions#dhtState}); the commands put it in the state folder,
 * beside chapter 11's resume data: {@code --state-dir}, by default {@code
 * $XDG_STATE_HOME/piecemeal/dht.dat} or {@code ~/.local/state/piecemeal/dht.dat} ({@code
 * --dht-state FILE} names another).
 *
 * <p>The file is a hint, never a reason to stop: a missing one is a first run; one that is too
 * long, not bencode or not a saved table is ignored with one line; one that cannot be written is
 * one line too. Written to a temporary file beside it, then moved over it, so that a run killed
 * halfway leaves the old table, not half a new one.
 */
final class DhtState {
  private DhtState() {}

  /** The table saved in {@code file}; empty when there is none, or it cannot be read (said in one line). */
  static Optional<SavedTable> load(Path file, Consumer<String> log) {
    try {
      if (Files.size(file) > SavedTable.MAX_BYTES) {
        log.accept("dht: ignoring " + file + ": " + Files.size(file) + " bytes, more than a saved table's "
            + SavedTable.MAX_BYTES);
        return Optional.empty();
      }
      return Optional.of(SavedTable.decode(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | BencodeException e) {
      log.accept("dht: ignoring " + file + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Writes {@code table} to {@code file}, its folder created if need be; a failure is one line. */
  static void save(Path file, SavedTable table, Consumer<String> log) {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Path folder = file.toAbsolutePath().getParent();
      if (folder != null) {
        Files.createDirectories(folder);
      }
      Files.write(temporary, table.encode());
      try {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!table.nodes().isEmpty()) { // a table with no node in it is only our id: not worth a line
        log.accept("dht: saved " + table.nodes().size() + (table.nodes().size() == 1 ? " node" : " nodes")
            + " to " + file);
      }
    } catch (IOException e) {
      log.accept("dht: could not save the routing table to " + file + ": " + e.getMessage());
    }
  }
}
