package dev.piecemeal.client;

import dev.piecemeal.handshake.ProtocolException;
import dev.piecemeal.storage.FileLayout;
import dev.piecemeal.storage.PieceAssembler;
import dev.piecemeal.tracker.PeerAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pieces being put together: one {@link PieceAssembler} per piece that has a block in hand,
 * shared by every peer that sends blocks of it, and who sent each block. A block goes from the
 * reader's array into its piece's array (one copy), and the piece leaves here whole, for the
 * hasher.
 *
 * <p>Simplified: memory is bounded per peer (each pipeline's depth) and not for the whole
 * download: 50 fast peers with 500 requests each may hold 400 MiB of pieces in flight. libtorrent
 * bounds all of it with one disk-cache budget; a bound per peer keeps this class a map.
 *
 * <p>Thread-safe: the map is concurrent, and each piece is used only while holding its own lock, so
 * two peers sending blocks of one piece never interleave inside it. The thread whose block
 * completes a piece takes it out of the map; exactly one thread sees {@code PIECE_COMPLETE}.
 */
final class PiecesInFlight {
  /** One piece in the making: its bytes, and who sent each block. Guarded by its own lock. */
  private record Piece(PieceAssembler<PeerAddress> assembler, PeerAddress[] senders) {}

  private final FileLayout layout;
  private final Map<Integer, Piece> pieces = new ConcurrentHashMap<>();

  PiecesInFlight(FileLayout layout) {
    this.layout = layout;
  }

  /**
   * Copies a block into its piece. Returns the piece when this block completed it (it is no longer
   * in flight then), else null.
   */
  CompletePiece add(PeerAddress from, int index, int begin, ByteBuffer block) throws ProtocolException {
    Piece piece = pieces.computeIfAbsent(index, p -> {
      int size = layout.pieceSize(p);
      return new Piece(new PieceAssembler<>(p, size),
          new PeerAddress[(size + PieceAssembler.BLOCK_LENGTH - 1) / PieceAssembler.BLOCK_LENGTH]);
    });
    synchronized (piece) {
      PieceAssembler.Added added = piece.assembler().add(from, index, begin, block);
      if (added != PieceAssembler.Added.DUPLICATE) {
        piece.senders()[begin / PieceAssembler.BLOCK_LENGTH] = from;
      }
      if (added == PieceAssembler.Added.PIECE_COMPLETE) {
        pieces.remove(index);
        return new CompletePiece(piece.assembler(), Arrays.asList(piece.senders()));
      }
      return null;
    }
  }

  /** How many pieces are being assembled now. */
  int count() {
    return pieces.size();
  }
}
