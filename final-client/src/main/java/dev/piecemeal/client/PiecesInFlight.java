package dev.piecemeal.client;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.storage.FileLayout;
import dev.piecemeal.storage.PieceAssembler;
import dev.piecemeal.tracker.PeerAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pieces being put together: one {@link PieceAssembler} per piece that has a block in hand,
 * shared by every peer that sends blocks of it. The assembler is the one record of who sent each
 * block. A block goes from the reader's array into its piece's array (one copy), and the piece
 * leaves here whole, for the hasher.
 *
 * <p>Simplified: memory is bounded per peer (each pipeline's depth) and not for the whole
 * download: 50 fast peers with 500 requests each may hold 400 MiB of pieces in flight. libtorrent
 * bounds all of it with one disk-cache budget; a bound per peer keeps this class a map.
 *
 * <p>Thread-safe: the map is concurrent, and each assembler is used only while holding its own
 * monitor, so two peers sending blocks of one piece never interleave inside it. The thread whose
 * block completes a piece takes it out of the map; exactly one thread sees {@code PIECE_COMPLETE}.
 */
final class PiecesInFlight {
  private final FileLayout layout;
  private final Map<Integer, PieceAssembler<PeerAddress>> pieces = new ConcurrentHashMap<>();

  PiecesInFlight(FileLayout layout) {
    this.layout = layout;
  }

  /**
   * Copies a block into its piece. Returns the piece when this block completed it (it is no longer
   * in flight then), else null.
   */
  PieceAssembler<PeerAddress> add(PeerAddress from, int index, int begin, ByteBuffer block) throws ProtocolException {
    PieceAssembler<PeerAddress> piece =
        pieces.computeIfAbsent(index, p -> new PieceAssembler<>(p, layout.pieceSize(p)));
    synchronized (piece) {
      if (piece.add(from, index, begin, block) == PieceAssembler.Added.PIECE_COMPLETE) {
        pieces.remove(index);
        return piece;
      }
      return null;
    }
  }
}
