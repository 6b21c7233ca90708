package dev.piecemeal.client.create;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;

/**
 * One file that goes into a new torrent: where it is on disk, the path it gets in the torrent, and
 * what its size and modification time were when it was found, so that a file changed while it is
 * hashed is noticed rather than described wrongly.
 *
 * <pre>
 * location  /home/ana/photos/2024/beach.jpg
 * path      ["2024", "beach.jpg"]              below the torrent's folder; [] for a single-file torrent
 * length    2,411,724
 * </pre>
 */
public record ContentFile(Path location, List<String> path, long length, FileTime modified) {
  public ContentFile {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(modified, "modified");
    path = List.copyOf(path);
    if (length < 0) {
      throw new IllegalArgumentException("a file's length cannot be negative: " + length);
    }
  }

  /** The path below the torrent's folder, joined with {@code /}: {@code 2024/beach.jpg}. */
  public String relativePath() {
    return String.join("/", path);
  }
}
