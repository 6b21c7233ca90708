package dev.piecemeal.storage;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.messages.BlockRequest;
import dev.piecemeal.storage.FileLayout.Segment;
import dev.piecemeal.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A torrent's files on disk: verified pieces go in, blocks for other peers come out. Each piece is
 * cut into its files by the {@link FileLayout} and written with positional writes ({@link
 * FileChannel#write(ByteBuffer, long)}), so pieces may be written in any order and from any thread.
 *
 * <pre>
 * TorrentStorage storage = TorrentStorage.create(metainfo, Path.of("downloads"));
 * RecheckResult onDisk = Recheck.run(storage, progress);     // what an earlier run left
 * ... blocks arrive into a PieceAssembler ...
 * PieceVerdict&lt;Peer&gt; verdict = storage.verifyAndWrite(assembler);   // Written or Failed
 * </pre>
 *
 * <p>Where files go: {@code folder/<path>} for each {@link TorrentFile}, whose path already starts
 * with the torrent's name for a multi-file torrent ({@code downloads/sample/README.txt}) and is just
 * the name for a single-file one ({@code downloads/song.mp3}), as other clients do. Pad files
 * (BEP 47) are never created: their bytes are zeros, skipped on write and made up on read.
 *
 * <p>Simplified: symlink entries (BEP 47, attr {@code l}) are not created; they occupy no piece
 * bytes, so every piece downloads and verifies without them. libtorrent creates them (checking that
 * the target stays inside the torrent); creating links from untrusted input is a risk this chapter
 * does not need.
 *
 * <p>Simplified: a file, once opened, stays open until {@link #close()}. libtorrent keeps a pool of a
 * few hundred open files and closes the least recently used; a torrent of more files than the
 * process may open fails here with a clear "too many open files" error, not with wrong data.
 *
 * <p>Thread-safe: positional reads and writes on a {@link FileChannel} may run concurrently, and
 * opening a file is synchronized on the storage.
 */
public final class TorrentStorage implements AutoCloseable {

  /** When written pieces are flushed to the disk: the storage's promise about {@link #writePiece}. */
  public enum Flushing {
    /** {@link #writePiece} flushes before it returns: a piece written is a piece durable (chapter 7). */
    EACH_PIECE,
    /**
     * {@link #writePiece} only writes; the caller flushes many pieces at once with {@link #flush}
     * and counts a piece durable only after a flush that began after its write (chapter 11's
     * resume data does this).
     */
    BY_CALLER
  }

  private final FileLayout layout;
  private final PieceVerifier verifier;
  private final DownloadFolder folder;
  private final boolean writable;
  private final Flushing flushing;
  /**
   * 1 for a file that may hold bytes not yet flushed: every file at first (an earlier run, killed,
   * may have left bytes in the page cache), then each file written since the last {@link #flush}.
   */
  private final AtomicIntegerArray unflushed;
  /** Where each file is: null for pad files, symlinks, and (when only reading) files not on disk. */
  private final Path[] paths;
  private final FileChannel[] channels;
  private volatile boolean closed;

  private TorrentStorage(Metainfo metainfo, DownloadFolder folder, boolean writable, Flushing flushing) {
    this.layout = FileLayout.of(metainfo);
    this.verifier = new PieceVerifier(metainfo);
    this.folder = folder;
    this.writable = writable;
    this.flushing = flushing;
    this.paths = new Path[metainfo.files().size()];
    this.channels = new FileChannel[paths.length];
    this.unflushed = new AtomicIntegerArray(paths.length);
    for (int i = 0; i < paths.length; i++) {
      unflushed.set(i, 1);
    }
  }

  /** Set by {@link #create}: no file held a byte before it, so there is nothing to recheck. */
  private boolean startedEmpty = true;

  /**
   * Storage to download into: creates every file of the torrent inside {@code downloadFolder} with
   * its full length (sparse where the file system allows), keeping what is already there. A file
   * that is too long is cut to the torrent's length; one that is too short is extended; either way
   * its bytes that were there stay, and a {@link Recheck} then tells which pieces are good.
   *
   * @throws StorageException the folder is not usable, a path leaves it, or the disk refused
   */
  public static TorrentStorage create(Metainfo metainfo, Path downloadFolder) throws StorageException {
    return create(metainfo, downloadFolder, Flushing.EACH_PIECE);
  }

  /** As {@link #create(Metainfo, Path)}, flushing as {@code flushing} says. */
  public static TorrentStorage create(Metainfo metainfo, Path downloadFolder, Flushing flushing)
      throws StorageException {
    TorrentStorage storage = new TorrentStorage(metainfo, DownloadFolder.of(downloadFolder), true, flushing);
    try {
      List<TorrentFile> files = metainfo.files();
      Set<Path> folders = new LinkedHashSet<>();
      for (int i = 0; i < files.size(); i++) {
        if (files.get(i).kind() == TorrentFile.Kind.FILE) {
          storage.paths[i] = storage.folder.prepareForWriting(files.get(i));
          storage.allocate(i);
          folders.add(storage.paths[i].getParent());
        }
      }
      syncFolders(folders);
    } catch (StorageException e) {
      storage.close();
      throw e;
    }
    return storage;
  }

  /**
   * Storage that only reads what is already in {@code downloadFolder}, creating and changing
   * nothing: for {@code piecemeal verify} and for seeding. Missing files read as missing pieces.
   *
   * @throws StorageException the folder is not usable, or a path leaves it
   */
  public static TorrentStorage openForReading(Metainfo metainfo, Path downloadFolder) throws StorageException {
    TorrentStorage storage = new TorrentStorage(metainfo, DownloadFolder.of(downloadFolder), false,
        Flushing.EACH_PIECE);
    List<TorrentFile> files = metainfo.files();
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).kind() == TorrentFile.Kind.FILE) {
        Optional<Path> found = storage.folder.findForReading(files.get(i));
        storage.paths[i] = found.orElse(null);
      }
    }
    return storage;
  }

  // tag::allocate[]
  /** Gives file {@code i} its torrent length: cut if longer, extended (sparse) if shorter. */
  private void allocate(int i) throws StorageException {
    long length = layout.files().get(i).length();
    try (FileChannel channel = FileChannel.open(paths[i], StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      long size = channel.size();
      startedEmpty &= size == 0;
      if (size > length) {
        channel.truncate(length);
      } else if (size < length) {
        // One byte written at the end: the file system records the length without writing the
        // zeros before it (a sparse file), where it supports that.
        channel.write(ByteBuffer.allocate(1), length - 1);
      }
      if (size != length) {
        channel.force(true); // the new length is metadata: make it durable before any piece
      }
    } catch (IOException e) {
      throw StorageException.from(e, "preparing " + length + " bytes in", paths[i]);
    }
  }
  // end::allocate[]

  /**
   * Flushes the folders that hold the files: a new file's name lives in its folder, and POSIX asks
   * for the folder to be flushed too before the file is sure to survive a power cut.
   */
  private static void syncFolders(Set<Path> folders) throws StorageException {
    for (Path folder : folders) {
      try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        if (!System.getProperty("os.name", "").startsWith("Windows")) {
          throw StorageException.from(e, "flushing folder", folder);
        }
        // Windows cannot open a folder as a file; there its file system's journal is all we have.
      }
    }
  }

  /**
   * True when {@link #create} found every file absent or empty: a fresh download, whose recheck
   * would read gigabytes of sparse zeros to learn that nothing is there.
   */
  public boolean startedEmpty() {
    return startedEmpty;
  }

  /** The layout of the torrent's bytes over its files. */
  public FileLayout layout() {
    return layout;
  }

  /** The piece hashes. */
  public PieceVerifier verifier() {
    return verifier;
  }

  /** The download folder, as a real path. */
  public Path folder() {
    return folder.root();
  }

  /** Where file {@code fileIndex} of the torrent is or goes (whether or not it exists). */
  public Path pathOf(int fileIndex) {
    return folder.pathOf(layout.files().get(fileIndex));
  }

  // tag::verify-and-write[]
  /**
   * Checks a complete piece against its hash and, only if it matches, writes it: bytes that failed
   * their hash never reach the disk (a piece cut short by a crash fails the next recheck). The
   * hashing takes milliseconds: call this off the network threads.
   *
   * @return {@link PieceVerdict.Written} once the piece is written (and durable, with {@link
   *     Flushing#EACH_PIECE}), or {@link PieceVerdict.Failed} with the peers that sent it
   * @throws StorageException the disk refused the write
   */
  public <P> PieceVerdict<P> verifyAndWrite(PieceAssembler<P> assembled) throws StorageException {
    ByteBuffer bytes = assembled.bytes();
    if (!verifier.verify(assembled.piece(), bytes)) {
      return new PieceVerdict.Failed<>(assembled.piece(), assembled.contributors());
    }
    writePiece(assembled.piece(), bytes);
    return new PieceVerdict.Written<>(assembled.piece());
  }
  // end::verify-and-write[]

  // tag::write-piece[]
  /**
   * Writes piece {@code piece} (the buffer from its position, which is not moved, to its limit)
   * into the files it falls in, then flushes them to the disk (with {@link Flushing#EACH_PIECE},
   * the default). When this returns the piece survives a crash of the process or the machine; only
   * then may it count as done.
   *
   * <p>With {@link Flushing#EACH_PIECE}, one flush ({@code force}) per piece, before the piece is
   * reported: "reported means on disk" is true without any bookkeeping to get wrong. With {@link
   * Flushing#BY_CALLER} the piece is only written (into the page cache), and survives a crash of
   * the process but not of the machine until the caller's next {@link #flush}; chapter 11's resume
   * data flushes every 30 s instead of a thousand times a gigabyte, as libtorrent does.
   *
   * @throws StorageException the disk refused (no space, read-only, permission denied)
   */
  public void writePiece(int piece, ByteBuffer data) throws StorageException {
    if (!writable) {
      throw new IllegalStateException("storage opened for reading only");
    }
    if (data.remaining() != layout.pieceSize(piece)) {
      throw new IllegalArgumentException("piece " + piece + " has " + layout.pieceSize(piece)
          + " bytes, not " + data.remaining());
    }
    Set<Integer> touched = new LinkedHashSet<>(4);
    for (Segment segment : layout.pieceSegments(piece)) {
      if (segment.isPadding()) {
        continue; // zeros, checked by the hash, never stored
      }
      ByteBuffer part = data.slice(data.position() + segment.rangeOffset(), segment.length());
      try {
        writeFully(segment.fileIndex(), part, segment.fileOffset());
      } catch (IOException e) {
        throw StorageException.from(e, "writing piece " + piece + " to", paths[segment.fileIndex()]);
      }
      touched.add(segment.fileIndex());
    }
    if (flushing == Flushing.EACH_PIECE) {
      for (int file : touched) {
        try {
          channel(file).force(false);
        } catch (IOException e) {
          throw StorageException.from(e, "flushing piece " + piece + " to", paths[file]);
        }
      }
    }
  }
  // end::write-piece[]

  /**
   * Flushes every file that may hold bytes not yet on the disk ({@code force(true)}: data and
   * metadata, the size and modification time included): every file the first time, then those
   * written since. A piece whose write returned before this call began is durable when it returns.
   * Safe on storage opened for reading: it writes nothing, and makes what another program (or a
   * killed run) left in the page cache durable.
   *
   * @throws StorageException the disk refused (the file stays marked, and a later flush tries again)
   */
  public void flush() throws StorageException {
    for (int i = 0; i < paths.length; i++) {
      // cleared before the force: a write that lands during it marks the file again
      if (paths[i] == null || unflushed.getAndSet(i, 0) == 0) {
        continue;
      }
      try {
        FileChannel channel = channel(i);
        if (channel != null) {
          channel.force(true);
        }
      } catch (IOException e) {
        unflushed.set(i, 1);
        throw StorageException.from(e, "flushing", paths[i]);
      }
    }
  }

  /**
   * Writes one block of a piece we lack and have not verified into its place in the files, without
   * flushing: for a piece too large to hold in memory ({@link DiskPieceAssembler}). Its bytes count
   * for nothing until {@link #verifyInPlace} has read the whole piece back and found it right.
   *
   * @throws StorageException the disk refused
   */
  public void writeBlock(int piece, int begin, ByteBuffer block) throws StorageException {
    if (!writable) {
      throw new IllegalStateException("storage opened for reading only");
    }
    BlockRequest request = new BlockRequest(piece, begin, block.remaining());
    for (Segment segment : layout.blockSegments(request)) {
      if (segment.isPadding()) {
        continue; // zeros, checked by the hash, never stored
      }
      ByteBuffer part = block.slice(block.position() + segment.rangeOffset(), segment.length());
      try {
        writeFully(segment.fileIndex(), part, segment.fileOffset());
      } catch (IOException e) {
        throw StorageException.from(e, "writing " + request + " to", paths[segment.fileIndex()]);
      }
    }
  }

  /**
   * Reads piece {@code piece} back from its files, as {@link Recheck} does, and checks it against its
   * hash; if it matches, flushes the files it lies in (with {@link Flushing#EACH_PIECE}; otherwise
   * the caller's {@link #flush} does). True once the piece is right (and flushed, or left to the
   * caller's flush): only then may it count as done.
   *
   * @throws StorageException the disk refused
   */
  public boolean verifyInPlace(int piece) throws StorageException {
    ByteBuffer chunk = ByteBuffer.allocate(Math.min(Recheck.CHUNK_LENGTH, layout.pieceSize(piece)));
    if (Recheck.check(this, piece, chunk) != RecheckResult.PieceState.PRESENT) {
      return false;
    }
    for (Segment segment : layout.pieceSegments(piece)) {
      if (segment.isPadding() || flushing == Flushing.BY_CALLER) {
        continue;
      }
      try {
        channel(segment.fileIndex()).force(false);
      } catch (IOException e) {
        throw StorageException.from(e, "flushing piece " + piece + " to", paths[segment.fileIndex()]);
      }
    }
    return true;
  }

  /**
   * Reads one block of a piece we have, for a peer that asked (BEP 3, "request"): pad file bytes
   * come back as zeros.
   *
   * @throws StorageException the data is not on disk or the disk refused
   */
  public ByteBuffer readBlock(BlockRequest block) throws StorageException {
    ByteBuffer bytes = ByteBuffer.allocate(block.length());
    readBlock(block, bytes);
    return bytes.flip();
  }

  /**
   * Reads one block into {@code destination}, which must have {@code block.length()} bytes
   * remaining: for a caller that reuses its buffers.
   */
  public void readBlock(BlockRequest block, ByteBuffer destination) throws StorageException {
    if (destination.remaining() < block.length()) {
      throw new IllegalArgumentException("buffer has " + destination.remaining() + " bytes for " + block);
    }
    ByteBuffer window = destination.slice(destination.position(), block.length());
    long offset = layout.pieceOffset(block.pieceIndex()) + block.begin();
    if (block.end() > layout.pieceSize(block.pieceIndex())) {
      throw new IndexOutOfBoundsException(block + " lies outside its piece");
    }
    if (!read(offset, window, "reading " + block + " from")) {
      throw new StorageException(Reason.NOT_USABLE, block + " is not on disk:",
          pathOf(layout.segments(offset, block.length()).get(0).fileIndex()));
    }
    destination.position(destination.position() + block.length());
  }

  /**
   * Reads the stream's bytes from {@code offset} into {@code destination} (position to limit),
   * pad bytes as zeros. False if some of them are not on disk: a file missing or too short.
   */
  boolean read(long offset, ByteBuffer destination, String action) throws StorageException {
    int start = destination.position();
    for (Segment segment : layout.segments(offset, destination.remaining())) {
      ByteBuffer part = destination.slice(start + segment.rangeOffset(), segment.length());
      if (segment.isPadding()) {
        while (part.hasRemaining()) {
          part.put((byte) 0);
        }
        continue;
      }
      try {
        if (!readFully(segment.fileIndex(), part, segment.fileOffset())) {
          return false;
        }
      } catch (IOException e) {
        throw StorageException.from(e, action, paths[segment.fileIndex()]);
      }
    }
    destination.position(destination.limit());
    return true;
  }

  /** Writes all of {@code part} at {@code position} in file {@code i}. */
  private void writeFully(int i, ByteBuffer part, long position) throws IOException {
    for (int attempt = 1; ; attempt++) {
      FileChannel channel = channel(i);
      ByteBuffer bytes = part.duplicate();
      long at = position;
      try {
        while (bytes.hasRemaining()) {
          at += channel.write(bytes, at);
        }
        unflushed.set(i, 1); // after the write: a flush that clears the mark after this covers it
        return;
      } catch (ClosedChannelException e) {
        if (!closedUnderUs(e, attempt)) {
          throw e;
        }
      }
    }
  }

  /** Fills {@code part} from {@code position} in file {@code i}; false if the file is absent or ends early. */
  private boolean readFully(int i, ByteBuffer part, long position) throws IOException {
    for (int attempt = 1; ; attempt++) {
      FileChannel channel = channel(i);
      if (channel == null) {
        return false;
      }
      ByteBuffer bytes = part.duplicate();
      long at = position;
      try {
        while (bytes.hasRemaining()) {
          int n = channel.read(bytes, at);
          if (n < 0) {
            return false;
          }
          at += n;
        }
        return true;
      } catch (ClosedChannelException e) {
        if (!closedUnderUs(e, attempt)) {
          throw e;
        }
      }
    }
  }

  /**
   * Design: the JDK closes a {@link FileChannel} when a thread using it is interrupted, under every
   * other thread using it as well. Those did nothing wrong, so they try again on a fresh channel
   * (writing the same bytes to the same place twice is harmless); the interrupted thread gets its
   * error, and so does everyone once {@link #close()} was called.
   */
  private boolean closedUnderUs(ClosedChannelException e, int attempt) {
    return !(e instanceof ClosedByInterruptException) && attempt < 3 && !closed;
  }

  /**
   * File {@code i}'s channel, opened on first use (and again if an interrupted thread closed it,
   * which the JDK does to a channel whose user is interrupted). Null if only reading and the file
   * is not on disk.
   */
  private synchronized FileChannel channel(int i) throws IOException {
    if (closed) {
      throw new IOException("storage is closed");
    }
    if (channels[i] == null || !channels[i].isOpen()) {
      if (paths[i] == null) {
        return null;
      }
      channels[i] = writable
          // no CREATE: a file deleted under a running download is an error, not a silent restart
          ? FileChannel.open(paths[i], StandardOpenOption.READ, StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)
          : FileChannel.open(paths[i], StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }
    return channels[i];
  }

  /**
   * Closes every open file. With {@link Flushing#EACH_PIECE} pieces already written are on disk:
   * {@link #writePiece} flushed them; with {@link Flushing#BY_CALLER} only what the caller flushed.
   */
  @Override
  public synchronized void close() throws StorageException {
    closed = true;
    StorageException first = null;
    for (int i = 0; i < channels.length; i++) {
      if (channels[i] != null) {
        try {
          channels[i].close();
        } catch (IOException e) {
          first = first != null ? first : StorageException.from(e, "closing", paths[i]);
        }
        channels[i] = null;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
