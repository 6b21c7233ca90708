package dev.piecemeal.client.cli;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.MetainfoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads the .torrent file a subcommand was given, turning every way it can fail into one
 * {@link CommandException} with status {@link ExitCodes#BAD_INPUT} that names the file:
 * {@code error: bad.torrent: info.pieces: length 24 is not a multiple of 20 at offset 187}.
 */
final class TorrentArgument {
  private TorrentArgument() {}

  static Metainfo load(Path file) throws CommandException {
    if (Files.isDirectory(file)) {
      throw new CommandException(ExitCodes.BAD_INPUT, file + ": is a folder, not a .torrent file");
    }
    try {
      return Metainfo.fromFile(file);
    } catch (MetainfoException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, file + ": " + e.getMessage(), e);
    } catch (NoSuchFileException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, file + ": permission denied", e);
    } catch (IOException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, file + ": cannot be read: " + e.getMessage(), e);
    }
  }
}
