package dev.piecemeal.client.create;

import dev.piecemeal.bencode.InfoHash;
import java.util.Objects;

/**
 * A new torrent: the bytes of the .torrent file, and what was decided on the way. A small final
 * class rather than a record, because a record over {@code byte[]} would compare references and
 * hand out the array itself.
 */
public final class CreatedTorrent {
  private final byte[] bytes;
  private final InfoHash infoHash;
  private final int pieceLength;
  private final int pieceCount;

  CreatedTorrent(byte[] bytes, InfoHash infoHash, int pieceLength, int pieceCount) {
    this.bytes = bytes.clone();
    this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
    this.pieceLength = pieceLength;
    this.pieceCount = pieceCount;
  }

  /** A copy of the .torrent file's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The SHA-1 of the {@code info} dictionary as it was encoded. */
  public InfoHash infoHash() {
    return infoHash;
  }

  /** The piece length used: the one asked for, or the one {@link PieceLength#choose} picked. */
  public int pieceLength() {
    return pieceLength;
  }

  public int pieceCount() {
    return pieceCount;
  }

  @Override
  public String toString() {
    return "CreatedTorrent[" + infoHash.hex().substring(0, 8) + "…, " + pieceCount + " pieces of "
        + PieceLength.readable(pieceLength) + ", " + bytes.length + " bytes]";
  }
}
