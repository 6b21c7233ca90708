package dev.piecemeal.storage;

import dev.piecemeal.bitfield.Bitfield;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Recheck} found on disk, piece by piece: present (it matches its hash), missing
 * (never written: its file is absent or too short, or its bytes are all zeros as a fresh sparse
 * file reads), or bad (bytes are there but do not match: corrupted, or from another torrent).
 *
 * <pre>
 * piece   0 1 2 3 4 5
 * state   P P M B P M      have() = 110010, missing() = [2, 5], bad() = [3]
 * </pre>
 *
 * <p>Only "present" counts: missing and bad pieces are both fetched again. The difference is for a
 * person reading {@code piecemeal verify}'s report. Immutable.
 */
public final class RecheckResult {

  /** What one piece's bytes on disk are. */
  public enum PieceState {
    PRESENT, MISSING, BAD
  }

  private final FileLayout layout;
  private final PieceState[] states;

  RecheckResult(FileLayout layout, PieceState[] states) {
    this.layout = layout;
    this.states = states.clone();
  }

  /**
   * The result that needs no reading: {@code verified} pieces present, every other one missing (to
   * be fetched). For a caller that knows from elsewhere what is on disk: chapter 11's resume data,
   * trusted only when every file is as it was when the pieces were recorded.
   */
  public static RecheckResult fromVerified(FileLayout layout, Bitfield verified) {
    if (verified.pieceCount() != layout.pieceCount()) {
      throw new IllegalArgumentException("a bitfield of " + verified.pieceCount() + " pieces for a torrent of "
          + layout.pieceCount() + " pieces");
    }
    PieceState[] states = new PieceState[layout.pieceCount()];
    for (int i = 0; i < states.length; i++) {
      states[i] = verified.has(i) ? PieceState.PRESENT : PieceState.MISSING;
    }
    return new RecheckResult(layout, states);
  }

  public int pieceCount() {
    return states.length;
  }

  public PieceState state(int piece) {
    return states[piece];
  }

  /** The pieces present, as chapter 6's bitfield: what we tell peers we have. */
  public Bitfield have() {
    Bitfield have = new Bitfield(states.length);
    for (int i = 0; i < states.length; i++) {
      if (states[i] == PieceState.PRESENT) {
        have.set(i);
      }
    }
    return have;
  }

  /** The pieces never written, in order. */
  public List<Integer> missing() {
    return piecesIn(PieceState.MISSING);
  }

  /** The pieces whose bytes do not match their hash, in order. */
  public List<Integer> bad() {
    return piecesIn(PieceState.BAD);
  }

  /** Every piece is present. */
  public boolean isComplete() {
    return piecesIn(PieceState.PRESENT).size() == states.length;
  }

  /** The bytes in present pieces (pad bytes included, as they are part of pieces). */
  public long bytesPresent() {
    long bytes = 0;
    for (int i = 0; i < states.length; i++) {
      if (states[i] == PieceState.PRESENT) {
        bytes += layout.pieceSize(i);
      }
    }
    return bytes;
  }

  /** Every piece holding a byte of file {@code fileIndex} is present; true for an empty file. */
  public boolean isFileComplete(int fileIndex) {
    FileLayout.PieceRange range = layout.piecesOf(fileIndex);
    for (int piece = range.first(); piece <= range.last(); piece++) {
      if (states[piece] != PieceState.PRESENT) {
        return false;
      }
    }
    return true;
  }

  private List<Integer> piecesIn(PieceState state) {
    List<Integer> pieces = new ArrayList<>();
    for (int i = 0; i < states.length; i++) {
      if (states[i] == state) {
        pieces.add(i);
      }
    }
    return pieces;
  }

  @Override
  public String toString() {
    return "RecheckResult[" + (states.length - missing().size() - bad().size()) + "/" + states.length
        + " present, " + bad().size() + " bad]";
  }
}
