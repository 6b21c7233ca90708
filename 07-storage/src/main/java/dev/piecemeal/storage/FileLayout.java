package dev.piecemeal.storage;

import dev.piecemeal.bencode.Metainfo;
import dev.piecemeal.bencode.TorrentFile;
import dev.piecemeal.messages.BlockRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a torrent's bytes live on disk (BEP 3, "info dictionary"). A torrent is one stream of
 * bytes: its files back to back, in the order the metainfo lists them, cut into pieces that pay no
 * attention to where one file ends and the next begins. This class maps a range of that stream (a
 * piece, a block) onto the files it falls in.
 *
 * <pre>
 * stream   |0 ............................................................ 100|
 * pieces   |piece 0 (40)            |piece 1 (40)            |piece 2 (20) |
 * files    |a (30)            |b (0)|c (10) |d (60)                          |
 *
 * segments(piece 1) = d@0+40                      (offsets 40..80: all inside d)
 * segments(piece 0) = a@0+30, c@0+10              (b is empty: it holds no byte)
 * </pre>
 *
 * <p>Every entry that occupies bytes appears: ordinary files and pad files alike (a pad file's
 * segment is zeros that are never written, see {@link Segment#isPadding()}). Empty files and
 * symlinks occupy no byte, so no segment ever names them.
 *
 * <p>Immutable, so any thread may use it.
 */
public final class FileLayout {

  /**
   * One run of bytes of a range that lies inside one file.
   *
   * @param fileIndex the file's index in {@link Metainfo#files()}
   * @param file the file
   * @param fileOffset where the run starts inside the file
   * @param length how many bytes
   * @param rangeOffset where the run starts inside the range asked for (a piece, a block)
   */
  public record Segment(int fileIndex, TorrentFile file, long fileOffset, int length, int rangeOffset) {
    /** Zeros that are never written nor read from disk (BEP 47 pad file). */
    public boolean isPadding() {
      return file.isPadding();
    }
  }

  /** The pieces a file's bytes lie in; {@code count() == 0} for a file that holds no byte. */
  public record PieceRange(int first, int last) {
    public int count() {
      return last - first + 1;
    }
  }

  private final List<TorrentFile> files;
  private final int pieceLength;
  private final int pieceCount;
  private final long totalLength;
  /** The indexes of the files that hold at least one byte, in stream order. */
  private final int[] occupied;
  /** {@code starts[k]} is the stream offset of file {@code occupied[k]}: sorted, for binary search. */
  private final long[] starts;

  private FileLayout(List<TorrentFile> files, int pieceLength, long totalLength) {
    this.files = List.copyOf(files);
    this.pieceLength = pieceLength;
    this.totalLength = totalLength;
    this.pieceCount = (int) ((totalLength + pieceLength - 1) / pieceLength);
    this.occupied = new int[(int) files.stream().filter(f -> f.length() > 0).count()];
    this.starts = new long[occupied.length];
    int k = 0;
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).length() > 0) {
        occupied[k] = i;
        starts[k] = files.get(i).offset();
        k++;
      }
    }
  }

  /** The layout of a checked torrent. */
  public static FileLayout of(Metainfo metainfo) {
    return new FileLayout(metainfo.files(), metainfo.pieceLength(), metainfo.totalLength());
  }

  public List<TorrentFile> files() {
    return files;
  }

  public int pieceLength() {
    return pieceLength;
  }

  public int pieceCount() {
    return pieceCount;
  }

  public long totalLength() {
    return totalLength;
  }

  /** Where piece {@code piece} starts in the stream. */
  public long pieceOffset(int piece) {
    checkPiece(piece);
    return (long) piece * pieceLength;
  }

  /** The length of piece {@code piece}: the piece length, except the last, which holds the rest. */
  public int pieceSize(int piece) {
    checkPiece(piece);
    return (int) Math.min(pieceLength, totalLength - (long) piece * pieceLength);
  }

  /** The files piece {@code piece} falls in. */
  public List<Segment> pieceSegments(int piece) {
    return segments(pieceOffset(piece), pieceSize(piece));
  }

  /** The files a block falls in; the block must lie inside its piece. */
  public List<Segment> blockSegments(BlockRequest block) {
    if (block.pieceIndex() >= pieceCount || block.end() > pieceSize(block.pieceIndex())) {
      throw new IndexOutOfBoundsException(block + " lies outside the torrent's pieces");
    }
    return segments(pieceOffset(block.pieceIndex()) + block.begin(), block.length());
  }

  /** The pieces holding file {@code fileIndex}'s bytes; {@code count() == 0} for a file that has none. */
  public PieceRange piecesOf(int fileIndex) {
    TorrentFile file = files.get(fileIndex);
    if (file.length() == 0) {
      return new PieceRange(0, -1);
    }
    return new PieceRange((int) (file.offset() / pieceLength), (int) ((file.end() - 1) / pieceLength));
  }

  // tag::segments[]
  /**
   * The files that the stream's bytes {@code offset .. offset + length} fall in, in order: a binary
   * search finds the first, then each next file takes what the one before left over.
   */
  public List<Segment> segments(long offset, int length) {
    if (offset < 0 || length < 0 || offset + length > totalLength) {
      throw new IndexOutOfBoundsException(
          "range " + offset + "+" + length + " outside the torrent's " + totalLength + " bytes");
    }
    List<Segment> segments = new ArrayList<>(2);
    int k = fileAt(offset);
    int done = 0;
    while (done < length) {
      TorrentFile file = files.get(occupied[k]);
      long inFile = offset + done - file.offset();
      int n = (int) Math.min(length - done, file.length() - inFile);
      segments.add(new Segment(occupied[k], file, inFile, n, done));
      done += n;
      k++;
    }
    return segments;
  }

  /** The position in {@link #occupied} of the file holding stream byte {@code offset}. */
  private int fileAt(long offset) {
    int k = Arrays.binarySearch(starts, offset);
    // Not found: -(insertion point) - 1, and the file that holds the byte starts just before it.
    return k >= 0 ? k : -k - 2;
  }
  // end::segments[]

  private void checkPiece(int piece) {
    if (piece < 0 || piece >= pieceCount) {
      throw new IndexOutOfBoundsException("piece " + piece + " outside 0.." + (pieceCount - 1));
    }
  }
}
