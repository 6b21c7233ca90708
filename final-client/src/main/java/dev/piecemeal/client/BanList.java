package dev.piecemeal.client;

import dev.piecemeal.tracker.PeerAddress;
import dev.piecemeal.tracker.PeerId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Peers we stop trusting for the rest of the run, because they sent data that failed a piece's hash
 * check. A failed piece only says that <em>one of</em> its senders lied; the evidence that says
 * which one comes later, when the piece is fetched again and passes:
 *
 * <pre>
 * piece 7 fails:   block 0 from A  sha1 3f2c…    block 1 from B  sha1 9a01…   ← kept as evidence
 * piece 7 passes:  block 0 (good)  sha1 3f2c…    block 1 (good)  sha1 77e4…
 *                  A's block was right            B's block was wrong: B is banned
 * </pre>
 *
 * <p>The rule, in full: a peer is banned only on proof. Either a block it sent differs from the
 * same block of the copy that later passed (as above), or it sent every block of a failed piece
 * (no one else could have lied). Sharing in failed pieces, however many, is never proof: a liar
 * that sends one bad block of every piece, and lets an honest peer fill the rest, would otherwise
 * get the honest peer banned beside it. This is libtorrent's "smart ban", with the block hashes
 * kept only for pieces that failed. libtorrent also lowers a peer's trust for every failed piece it
 * shared in, and bans at a threshold; an honest peer's trust recovers with its good pieces, but a
 * liar that touches every piece can still drag an honest peer down with it, so we do without.
 *
 * <p>Up to {@link #COPIES_KEPT} failed copies of a piece are kept, so that every liar among its
 * senders is named when it passes, not only the last one.
 *
 * <p>A banned peer is known by its address and its peer id, so it is not dialed again and is turned
 * away when it dials us from another port.
 *
 * <p>Simplified: a ban is by address and port (and peer id), not by IP address alone, as libtorrent
 * bans. Behind one NAT, or on 127.0.0.1 in tests, many honest peers share an IP; a peer that
 * reconnects from a new port with a new peer id gets one more chance, and is banned again by its
 * next bad block.
 *
 * <p>Thread-safe: hashing threads report pieces, peer threads ask; every method is {@code
 * synchronized} and short (the block hashes are computed by the caller, outside the lock).
 */
final class BanList {
  /** Failed copies of one piece kept as evidence, the newest replacing the oldest. */
  static final int COPIES_KEPT = 3;

  /** What one failed copy's blocks were, and who sent each. */
  private record Evidence(List<PeerAddress> senders, List<byte[]> hashes) {}

  private final Map<Integer, List<Evidence>> evidence = new HashMap<>();
  private final Set<PeerAddress> bannedAddresses = new LinkedHashSet<>();
  private final Set<PeerId> bannedIds = new HashSet<>();

  /**
   * A piece failed its hash check. Keeps each block's hash and sender, and returns the peer banned
   * now: the sole sender, if there was only one.
   *
   * @param senders who sent block {@code i}
   * @param blockHashes the SHA-1 of block {@code i} as it arrived ({@link #blockHashes})
   */
  synchronized Set<PeerAddress> pieceFailed(int piece, List<PeerAddress> senders, List<byte[]> blockHashes) {
    List<Evidence> copies = evidence.computeIfAbsent(piece, p -> new ArrayList<>());
    if (copies.size() == COPIES_KEPT) {
      copies.remove(0);
    }
    copies.add(new Evidence(List.copyOf(senders), List.copyOf(blockHashes)));
    Set<PeerAddress> contributors = new LinkedHashSet<>(senders);
    Set<PeerAddress> newlyBanned = new LinkedHashSet<>();
    if (contributors.size() == 1 && bannedAddresses.addAll(contributors)) {
      newlyBanned.addAll(contributors);
    }
    return newlyBanned;
  }

  /** Whether a failed piece of this index left evidence to check when it passes. */
  synchronized boolean hasEvidence(int piece) {
    return evidence.containsKey(piece);
  }

  /**
   * The piece passed: every block of a failed copy that differs from this good one convicts the
   * peer that sent it. Returns the peers banned now.
   *
   * @param goodHashes the SHA-1 of each block of the good piece ({@link #blockHashes})
   */
  synchronized Set<PeerAddress> pieceVerified(int piece, List<byte[]> goodHashes) {
    List<Evidence> failedCopies = evidence.remove(piece);
    Set<PeerAddress> newlyBanned = new LinkedHashSet<>();
    if (failedCopies == null) {
      return newlyBanned;
    }
    for (Evidence failed : failedCopies) {
      for (int i = 0; i < goodHashes.size(); i++) {
        PeerAddress sender = failed.senders().get(i);
        if (!Arrays.equals(goodHashes.get(i), failed.hashes().get(i)) && bannedAddresses.add(sender)) {
          newlyBanned.add(sender);
        }
      }
    }
    return newlyBanned;
  }

  /** Remembers the peer id of a banned address, to turn it away under any other address. */
  synchronized void banId(PeerId id) {
    bannedIds.add(id);
  }

  synchronized boolean isBanned(PeerAddress address) {
    return bannedAddresses.contains(address);
  }

  synchronized boolean isBanned(PeerId id) {
    return bannedIds.contains(id);
  }

  /** The addresses banned so far, in the order they were banned. */
  synchronized Set<PeerAddress> banned() {
    return Set.copyOf(bannedAddresses);
  }

  /** The SHA-1 of each 16 KiB block of a piece (the last may be shorter), in order. */
  static List<byte[]> blockHashes(ByteBuffer piece, int blockLength) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
    List<byte[]> hashes = new ArrayList<>();
    for (int begin = piece.position(); begin < piece.limit(); begin += blockLength) {
      sha1.update(piece.slice(begin, Math.min(blockLength, piece.limit() - begin)));
      hashes.add(sha1.digest());
    }
    return hashes;
  }
}
