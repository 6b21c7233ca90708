package dev.piecemeal.client.resume;

import dev.piecemeal.bencode.InfoHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where one download's resume data lives, and how it is read and replaced.
 *
 * <p>Where: in Piecemeal's own state folder, never beside the data, one file per torrent and
 * output folder:
 *
 * <pre>
 * ~/.local/state/piecemeal/resume/d8f739cef8b0f2c6a8e8f0f3b9d3c7a1e2f4a6b8-5a1c0e3b9f2d4c68.resume
 *                                 └ the info-hash                          └ SHA-1 of the output folder's real path, 8 bytes
 * </pre>
 *
 * <p>Design: aria2 keeps its control file beside the download ({@code big.iso.aria2}); a torrent
 * that has a file of that name (or a folder where it would go) then collides with it, and any
 * name we chose inside the output folder could be a path of some torrent downloaded there.
 * Transmission and the libtorrent applications keep resume data in their own state folder, as we
 * do: the folder is {@code --state-dir}, by default {@code $XDG_STATE_HOME/piecemeal} (else {@code
 * ~/.local/state/piecemeal}), and {@link #locate} refuses a state folder that overlaps the output
 * folder, so no torrent's path can ever be a resume file's, and resume data is never written
 * anywhere else.
 *
 * <p>Replacing: {@link #write} writes a temporary file beside it, flushes it, renames it over the
 * old one (atomic: a reader sees the old record or the new one, whole, never half of one) and
 * flushes the folder, which holds the new name. A kill or a power cut at any moment leaves the old
 * record, the new one, or none, each complete or refused by {@link ResumeCodec} if the disk lost
 * its tail.
 */
public final class ResumeFile {
  private final Path path;

  private ResumeFile(Path path) {
    this.path = path;
  }

  /**
   * The resume file of the torrent {@code infoHash} downloaded into {@code outputFolder}, kept in
   * {@code stateFolder/resume}.
   *
   * @throws ResumeException the state folder and the output folder overlap (one holds the other),
   *     so a torrent's file could have a resume file's path; or the output folder does not exist
   */
  public static ResumeFile locate(Path stateFolder, InfoHash infoHash, Path outputFolder) throws ResumeException {
    Path output;
    Path resume;
    try {
      output = outputFolder.toRealPath();
      resume = realPath(stateFolder).resolve("resume");
    } catch (IOException e) {
      throw new ResumeException("cannot resolve " + outputFolder + " or " + stateFolder + ": " + e.getMessage(), e);
    }
    if (resume.startsWith(output) || output.startsWith(resume)) {
      throw new ResumeException("its folder " + resume + " and the output folder " + output
          + " overlap, so a torrent's file could have its name; give --state-dir a folder outside the output folder");
    }
    byte[] folderKey = sha1(output.toString().getBytes(StandardCharsets.UTF_8));
    return new ResumeFile(resume.resolve(infoHash.hex() + "-" + HexFormat.of().formatHex(folderKey, 0, 8) + ".resume"));
  }

  /** Where the file is (or goes). */
  public Path path() {
    return path;
  }

  /**
   * The record in the file, decoded and bounded ({@link ResumeCodec#decode(InputStream, int)}); empty
   * when there is no file.
   *
   * @throws ResumeException it is not a record (malformed, cut short, longer than {@code maxBytes}),
   *     a symbolic link, or cannot be read
   */
  public Optional<ResumeRecord> read(int maxBytes) throws ResumeException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new ResumeException("the resume file " + path + " is not a regular file");
    }
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(ResumeCodec.decode(in, maxBytes));
    } catch (IOException e) {
      throw new ResumeException("cannot read the resume file " + path + ": " + e.getMessage(), e);
    }
  }

  // tag::write[]
  /**
   * Replaces the file with {@code bytes}: written to a temporary file, flushed, renamed over the
   * old one, and the folder flushed. When this returns the new record survives a power cut.
   *
   * @throws IOException the disk refused; the old record, if any, is still in place
   */
  public void write(byte[] bytes) throws IOException {
    Path folder = path.getParent();
    Files.createDirectories(folder);
    // the pid in the name: two runs never write into one temporary file
    Path temporary = folder.resolve(path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true); // 1. the new record's bytes are on the disk
      }
      // 2. the new name now points at them: the old record, whole, until this instant
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    flushFolder(folder); // 3. and the rename itself is on the disk
  }
  // end::write[]

  private static void flushFolder(Path folder) throws IOException {
    if (System.getProperty("os.name", "").startsWith("Windows")) {
      return; // Windows cannot open a folder as a file; its file system's journal is all we have
    }
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /** The real path of {@code path}, or of its nearest existing ancestor with the rest appended. */
  private static Path realPath(Path path) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    return existing.toRealPath().resolve(existing.relativize(absolute));
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
