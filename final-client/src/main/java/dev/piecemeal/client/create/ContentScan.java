package dev.piecemeal.client.create;

import dev.piecemeal.bencode.SafePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the files a new torrent describes: the file at {@code PATH}, or every file below the
 * folder at {@code PATH}, in one stable order, so that the same data gives the same torrent on
 * every machine.
 *
 * <pre>
 * on disk (any order)           in the torrent (sorted by name bytes, folder by folder)
 * photos/z.jpg                  .hidden           '.' is 0x2e
 * photos/a/b.jpg                a/b.jpg           "a" sorts before "a.txt": it is a prefix of it
 * photos/.hidden                a.txt
 * photos/a.txt                  z.jpg
 * photos/empty-folder/          (not listed: a v1 torrent lists files, not folders)
 * </pre>
 *
 * <p>The order: names compared as their UTF-8 bytes, unsigned, one path component at a time (which
 * is the order of a depth-first walk that sorts each folder). Hidden files are included, and
 * zero-length files are kept: they take no piece bytes, but a downloader creates them.
 *
 * <p>Design: a symbolic link anywhere inside the folder is refused with an error that names it. A
 * link could point outside the folder, at a folder above it (a loop), or at a file that is also in
 * the folder; following it would put into the torrent what the person did not see in the folder,
 * and skipping it would leave out what they did. {@code PATH} itself may be a link: that is one
 * file or folder the person chose by name, and it is followed. Pipes, sockets and devices are
 * refused too (reading a pipe could wait forever).
 *
 * <p>Simplified: a link is refused, not stored. BEP 47 lets a torrent carry a symlink as an entry
 * with attr {@code l} and a target path, and libtorrent's creator can write those; chapter 7's
 * storage does not create links, so a download here would leave them out.
 *
 * <p>File names must be text the torrent can carry: valid UTF-8, read by a Java whose file-name
 * encoding is UTF-8. In the C locale Java reads {@code café} as {@code caf??}; such a name is
 * refused, naming the locale to run with, rather than written into the torrent wrong.
 */
public final class ContentScan {
  private static final Comparator<Path> BY_NAME_BYTES =
      Comparator.comparing(ContentScan::nameBytes, Arrays::compareUnsigned);

  private ContentScan() {}

  /**
   * The content at {@code path}. Error messages name files as {@code path} continues to them
   * ({@code data/docs/link.txt}), as the person typed it.
   *
   * @throws CreateException (always {@link CreateException.Kind#REFUSED}) for a missing path, a
   *     symbolic link or special file inside it, a name the torrent cannot carry, or content of
   *     no bytes at all
   */
  public static Content of(Path path) throws CreateException {
    // 1. PATH itself, followed if it is a link; its name (as typed) becomes the torrent's name
    if (!Files.exists(path)) {
      throw refused(path, "no such file or folder");
    }
    Path absolute = path.toAbsolutePath().normalize();
    if (absolute.getFileName() == null) {
      throw refused(path, "the root folder cannot be made into a torrent");
    }
    String name = checkedName(absolute, path);
    Path root;
    BasicFileAttributes attributes;
    try {
      root = path.toRealPath();
      attributes = Files.readAttributes(root, BasicFileAttributes.class);
    } catch (IOException e) {
      throw refused(path, "cannot be read: " + e.getMessage());
    }

    // 2. a single file: its bytes are the whole torrent
    if (attributes.isRegularFile()) {
      if (attributes.size() == 0) {
        throw refused(path, "the file is empty; a torrent needs at least one byte");
      }
      requireReadable(root, path);
      return new Content(name, root, true,
          List.of(new ContentFile(root, List.of(), attributes.size(), attributes.lastModifiedTime())));
    }
    if (!attributes.isDirectory()) {
      throw refused(path, "is not a regular file or a folder");
    }

    // 3. a folder: every file below it, in sorted order
    List<ContentFile> files = new ArrayList<>();
    walk(root, path, List.of(), files);
    if (files.isEmpty()) {
      throw refused(path, "the folder holds no files; a torrent lists files, not empty folders");
    }
    Content content = new Content(name, root, false, files);
    if (content.totalLength() == 0) {
      throw refused(path, "every file in the folder is empty (" + files.size()
          + (files.size() == 1 ? " file" : " files") + ", 0 bytes); a torrent needs at least one byte");
    }
    return content;
  }

  /** Depth first, each folder's entries sorted by name bytes: the torrent's order. */
  private static void walk(Path folder, Path shown, List<String> prefix, List<ContentFile> into)
      throws CreateException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(folder)) {
      listing.forEach(entries::add);
    } catch (IOException e) {
      throw refused(shown, "the folder cannot be listed: " + e.getMessage());
    }
    entries.sort(BY_NAME_BYTES);

    for (Path entry : entries) {
      Path shownEntry = shown.resolve(entry.getFileName()); // a Path, not its text: no re-encoding
      String component = checkedName(entry, shownEntry);
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        throw refused(shownEntry, "cannot be read: " + e.getMessage());
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(component);
      if (attributes.isSymbolicLink()) {
        throw refused(shownEntry, "is a symbolic link; create refuses links inside the folder"
            + " (copy what it points to into the folder, or make the torrent of the link's target)");
      } else if (attributes.isDirectory()) {
        walk(entry, shownEntry, path, into);
      } else if (attributes.isRegularFile()) {
        requireReadable(entry, shownEntry);
        into.add(new ContentFile(entry, path, attributes.size(), attributes.lastModifiedTime()));
      } else {
        throw refused(shownEntry, "is not a regular file or a folder (a pipe, a socket or a device)");
      }
    }
  }

  /**
   * The file name of {@code path} as text, checked: it must turn back into the same bytes (Java
   * decodes names with the locale's encoding, and in the C locale {@code é} becomes {@code ?}),
   * and it must be a name a torrent may carry ({@link SafePath}, which the loader also applies).
   */
  private static String checkedName(Path path, Path shown) throws CreateException {
    String name = path.getFileName().toString();
    if (!turnsBackIntoTheSameBytes(path, name)) {
      String encoding = System.getProperty("sun.jnu.encoding", "unknown");
      if (!encoding.equalsIgnoreCase("UTF-8")) {
        throw refused(shown, "the name cannot be read as text: this Java reads file names as " + encoding
            + "; run it in a UTF-8 locale (for example LC_ALL=C.UTF-8)");
      }
      throw refused(shown, "the name is not valid UTF-8, which a torrent's file names must be; rename it");
    }
    Optional<String> unsafe = SafePath.problem(name);
    if (unsafe.isPresent()) {
      throw refused(shown, "cannot be a name in a torrent: " + unsafe.get());
    }
    return name;
  }

  private static boolean turnsBackIntoTheSameBytes(Path path, String name) {
    try {
      return path.resolveSibling(name).equals(path); // a Unix path compares its bytes
    } catch (InvalidPathException e) {
      return false; // a replacement character (U+FFFD) that the locale cannot encode at all
    }
  }

  private static void requireReadable(Path file, Path shown) throws CreateException {
    if (!Files.isReadable(file)) {
      throw refused(shown, "permission denied");
    }
  }

  private static byte[] nameBytes(Path entry) {
    return entry.getFileName().toString().getBytes(StandardCharsets.UTF_8);
  }

  private static CreateException refused(Path shown, String problem) {
    return new CreateException(CreateException.Kind.REFUSED, shown + ": " + problem);
  }
}
