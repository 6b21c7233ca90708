package dev.piecemeal.storage;

import java.util.Set;

/**
 * What became of a complete piece: verified and written, or discarded because its SHA-1 did not
 * match the metainfo's. A failed piece names the peers that sent its blocks, so that the client
 * can stop trusting one that sends bad data (BEP 3 leaves that policy to the client).
 *
 * @param <P> how peers are told apart
 */
public sealed interface PieceVerdict<P> {

  /** The piece's index. */
  int piece();

  /** The piece matched its hash and is on disk: it may be announced with HAVE. */
  record Written<P>(int piece) implements PieceVerdict<P> {}

  /** The piece did not match its hash; nothing was written, and its blocks must be fetched again. */
  record Failed<P>(int piece, Set<P> contributors) implements PieceVerdict<P> {
    public Failed {
      contributors = Set.copyOf(contributors);
    }
  }
}
