package dev.piecemeal.client.cli;

import dev.piecemeal.client.DownloadOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where Piecemeal keeps what it learns between runs, shared by {@code download} and {@code seed}:
 * {@code --state-dir}, by default the XDG base directory's state folder ({@code
 * $XDG_STATE_HOME/piecemeal}, else {@code ~/.local/state/piecemeal}; on Windows {@code
 * %LOCALAPPDATA%\piecemeal}). Chapter 11's resume data lives in its {@code resume} folder, one file
 * per torrent and output folder ({@code ResumeFile}): a restart then skips the recheck of what the
 * last run verified; chapter 12's DHT routing table is its {@code dht.dat} ({@link DhtArguments}).
 */
final class StateArguments {

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "where resume data and the DHT's table are kept, so that a restart need not recheck"
          + " what was verified (default: $XDG_STATE_HOME/piecemeal, else ~/.local/state/piecemeal)")
  Path stateDir;

  /** Sets the state folder on {@code builder}: the one given, or the default. */
  void applyTo(DownloadOptions.Builder builder) {
    builder.stateFolder(folder());
  }

  /** The state folder: the one given, or the default. */
  Path folder() {
    return stateDir != null ? stateDir : defaultFolder(System.getenv(), System.getProperty("user.home"));
  }

  /** The default state folder, from the environment and the home folder. */
  static Path defaultFolder(Map<String, String> environment, String home) {
    String xdg = environment.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "piecemeal");
    }
    String localAppData = environment.get("LOCALAPPDATA");
    if (System.getProperty("os.name", "").startsWith("Windows") && localAppData != null) {
      return Path.of(localAppData, "piecemeal");
    }
    return Path.of(home, ".local", "state", "piecemeal");
  }
}
