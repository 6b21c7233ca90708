package dev.piecemeal.client.create;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The content's files back to back as one stream of bytes, read at any offset: what the pieces of
 * the new torrent are cut from. A read that crosses the end of a file goes on in the next one, and
 * zero-length files take no bytes at all.
 *
 * <pre>
 * files     | a.txt (100,003) | empty.dat (0) | z/last.bin (65,537) |
 * offsets   0                 100,003                               165,540
 * read(98,304, 16 KiB)  →  the last 1,699 bytes of a.txt, then 14,685 of z/last.bin
 * </pre>
 *
 * <p>Reads are positional ({@link FileChannel#read(ByteBuffer, long)}), so readers on several
 * threads never share a file position. Each hashing thread owns one reader, which keeps at most
 * one file open (the one it read last: consecutive chunks of a piece are mostly in one file). Not
 * thread-safe.
 */
final class ContentReader implements AutoCloseable {
  private final List<ContentFile> files;
  /** Where each file's bytes start in the stream: {@code starts[i]} is the sum of the lengths before it. */
  private final long[] starts;
  private int openIndex = -1;
  private FileChannel open;

  ContentReader(Content content) {
    this.files = content.files();
    this.starts = new long[files.size()];
    long offset = 0;
    for (int i = 0; i < files.size(); i++) {
      starts[i] = offset;
      offset += files.get(i).length();
    }
  }

  /**
   * Fills {@code buffer}'s remaining space with the stream's bytes from {@code offset} on.
   *
   * @throws CreateException ({@link CreateException.Kind#FAILED}) when a file cannot be read, or
   *     ends before the length it had when the content was scanned
   */
  void read(long offset, ByteBuffer buffer) throws CreateException {
    int index = fileAt(offset);
    while (buffer.hasRemaining()) {
      ContentFile file = files.get(index);
      long within = offset - starts[index];
      if (within >= file.length()) {
        index++; // the end of this file (or a zero-length file): go on in the next one
        continue;
      }
      int n = (int) Math.min(buffer.remaining(), file.length() - within);
      int limit = buffer.limit();
      buffer.limit(buffer.position() + n);
      FileChannel channel = channel(index);
      try {
        while (buffer.hasRemaining()) {
          long at = within + n - buffer.remaining();
          if (channel.read(buffer, at) < 0) {
            throw new CreateException(CreateException.Kind.FAILED, file.location()
                + ": the file changed while it was being hashed: it ends at byte " + at
                + ", but had " + file.length() + " bytes when it was found");
          }
        }
      } catch (IOException e) {
        throw new CreateException(CreateException.Kind.FAILED,
            file.location() + ": cannot be read: " + e.getMessage(), e);
      } finally {
        buffer.limit(limit);
      }
      offset += n;
      index++;
    }
  }

  /** The last file that starts at or before {@code offset} (a binary search over {@link #starts}). */
  private int fileAt(long offset) {
    int low = 0;
    int high = starts.length - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (starts[middle] <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  private FileChannel channel(int index) throws CreateException {
    if (index == openIndex) {
      return open;
    }
    close();
    ContentFile file = files.get(index);
    try {
      open = FileChannel.open(file.location(), StandardOpenOption.READ);
      openIndex = index;
      return open;
    } catch (IOException e) {
      throw new CreateException(CreateException.Kind.FAILED,
          file.location() + ": cannot be opened: " + e.getMessage(), e);
    }
  }

  /** Closes the open file, if any. A failure to close a file that was only read changes nothing. */
  @Override
  public void close() {
    if (open != null) {
      try {
        open.close();
      } catch (IOException ignored) {
        // nothing was written through it, so nothing can be lost
      }
      open = null;
      openIndex = -1;
    }
  }
}
