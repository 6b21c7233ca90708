package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.Metainfo;
import java.util.Arrays;
import java.util.Optional;

/**
 * Our side of ut_metadata (BEP 9): the info dictionary of a torrent we have, cut into 16 KiB
 * pieces for the peers that came with only a magnet link.
 *
 * <pre>
 * peer:  d8:msg_typei0e5:piecei1ee                                   request piece 1
 * us:    d8:msg_typei1e5:piecei1e10:total_sizei34256ee &lt;16384 bytes&gt;   answer(request): data
 * peer:  d8:msg_typei0e5:piecei7ee                                   piece 7 of 3?
 * us:    d8:msg_typei2e5:piecei7ee                                   answer(request): reject
 * </pre>
 *
 * <p>A session that offers it puts {@code ut_metadata} in its {@link ExtendedHandshake}'s {@code
 * m} with {@link ExtendedHandshake#withMetadataSize withMetadataSize(server.totalSize())}, and
 * answers each {@link MetadataMessage.Request} with {@code answer(request).message(theirId)}.
 *
 * <p>Every request within range is answered here; how often one peer may ask is the session's
 * business (the engine's {@code MetadataRequestLimit}), since each answer is 16 KiB of upload for
 * a request of 25 bytes.
 *
 * <p>Immutable: the bytes are copied in once, and sessions on any thread may share one.
 */
public final class MetadataServer {
  private final byte[] info;

  private MetadataServer(byte[] info) {
    this.info = info;
  }

  /**
   * The server for this torrent's info dictionary; empty when the dictionary is larger than {@link
   * MetadataMessage#MAX_TOTAL_SIZE}, which ut_metadata peers would refuse (do not offer it then).
   */
  public static Optional<MetadataServer> of(Metainfo metainfo) {
    return fromInfoBytes(metainfo.infoBytes());
  }

  /** The server for these raw info dictionary bytes (copied); empty when there are none or too many. */
  public static Optional<MetadataServer> fromInfoBytes(byte[] info) {
    if (info.length < 1 || info.length > MetadataMessage.MAX_TOTAL_SIZE) {
      return Optional.empty();
    }
    return Optional.of(new MetadataServer(info.clone()));
  }

  /** The dictionary's size: what our handshake says as {@code metadata_size}. */
  public int totalSize() {
    return info.length;
  }

  /** The number of 16 KiB pieces, the last holding the rest. */
  public int pieceCount() {
    return MetadataMessage.pieceCount(info.length);
  }

  /** The data message for piece {@code piece}, which must be in range. */
  public MetadataMessage.Data piece(int piece) {
    if (piece < 0 || piece >= pieceCount()) {
      throw new IllegalArgumentException("piece " + piece + " outside 0.." + (pieceCount() - 1));
    }
    int begin = piece * MetadataMessage.PIECE_LENGTH;
    int end = begin + MetadataMessage.pieceLength(piece, info.length);
    return new MetadataMessage.Data(piece, info.length, Arrays.copyOfRange(info, begin, end));
  }

  /** The answer to a request: its piece, or a reject for a piece we do not have. */
  public MetadataMessage answer(MetadataMessage.Request request) {
    if (request.piece() >= pieceCount()) {
      return new MetadataMessage.Reject(request.piece());
    }
    return piece(request.piece());
  }
}
