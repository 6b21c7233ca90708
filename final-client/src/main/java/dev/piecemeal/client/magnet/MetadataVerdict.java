package dev.piecemeal.client.magnet;

import dev.piecemeal.bencode.InfoHash;
import dev.piecemeal.bencode.Metainfo;
import java.util.Objects;
import java.util.Set;

/**
 * What became of complete metadata ({@link MetadataAssembler#verify}): accepted, because its SHA-1
 * is the magnet link's info-hash, or discarded because it is not. Discarded metadata names the
 * peers that sent its pieces, as chapter 7's {@code PieceVerdict.Failed} does for a piece, so that
 * the client can stop trusting one that sends bad data.
 *
 * @param <P> how peers are told apart
 */
public sealed interface MetadataVerdict<P> {

  /** The metadata is the torrent the link names: download it. */
  record Accepted<P>(Metainfo metainfo) implements MetadataVerdict<P> {
    public Accepted {
      Objects.requireNonNull(metainfo, "metainfo");
    }
  }

  /**
   * The metadata's SHA-1 is {@code actual}, not the link's info-hash; nothing of it is kept, and
   * every piece must be fetched again.
   */
  record WrongHash<P>(InfoHash actual, Set<P> contributors) implements MetadataVerdict<P> {
    public WrongHash {
      Objects.requireNonNull(actual, "actual");
      contributors = Set.copyOf(contributors);
    }
  }
}
