package dev.piecemeal.client.create;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a new torrent describes: one file, or the files of a folder in the order the torrent lists
 * them (which is the order their bytes follow each other in the pieces). {@code name} is the file's
 * or folder's own name, the torrent's name unless the person making it gives another.
 *
 * <pre>
 * single file:  name "single.bin"       files [ single.bin (path []) ]
 * folder:       name "piecemeal-multi"  files [ a.txt, docs/deep/nested/data.bin, docs/readme.md, empty.dat ]
 * </pre>
 */
public record Content(String name, Path root, boolean singleFile, List<ContentFile> files) {
  public Content {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(root, "root");
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("content has at least one file");
    }
    if (singleFile && (files.size() != 1 || !files.get(0).path().isEmpty())) {
      throw new IllegalArgumentException("a single file has an empty path inside the torrent");
    }
    if (!singleFile && files.stream().anyMatch(f -> f.path().isEmpty())) {
      throw new IllegalArgumentException("every file of a folder has a path inside it");
    }
  }

  /** Every file's bytes, back to back. */
  public long totalLength() {
    long total = 0;
    for (ContentFile file : files) {
      total += file.length();
    }
    return total;
  }
}
