package dev.piecemeal.storage;

import dev.piecemeal.bencode.Metainfo;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Checks a piece against the SHA-1 hash the metainfo holds for it (BEP 3, "pieces": "a string
 * whose length is a multiple of 20 ... the SHA1 hash of the piece at the corresponding index").
 * The hash is the only thing that tells good data from bad: peers are strangers.
 *
 * <pre>
 * pieces = 6e0b…a1 | 3f2c…9d | …       20 bytes per piece, piece 0 first
 * verify(1, bytes) ⇔ SHA-1(bytes) == 3f2c…9d
 * </pre>
 *
 * <p>Thread-safe, and meant to be called off the network threads: hashing a 4 MiB piece takes
 * milliseconds a peer's reader should spend reading. Each thread reuses one {@link MessageDigest}
 * (creating one looks up a provider each time), so hashing allocates nothing.
 */
public final class PieceVerifier {
  static final int HASH_LENGTH = 20;

  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  });

  private final byte[] hashes;

  /** The verifier for {@code metainfo}'s pieces. */
  public PieceVerifier(Metainfo metainfo) {
    hashes = new byte[metainfo.pieceCount() * HASH_LENGTH];
    for (int i = 0; i < metainfo.pieceCount(); i++) {
      System.arraycopy(metainfo.pieceHash(i), 0, hashes, i * HASH_LENGTH, HASH_LENGTH);
    }
  }

  /** The number of pieces it knows hashes for. */
  public int pieceCount() {
    return hashes.length / HASH_LENGTH;
  }

  /** True if {@code data} (read from its position to its limit, which is not moved) is piece {@code piece}. */
  public boolean verify(int piece, ByteBuffer data) {
    MessageDigest sha1 = sha1();
    sha1.update(data.duplicate());
    return matches(piece, sha1.digest());
  }

  /** True if {@code digest} is piece {@code piece}'s hash. */
  boolean matches(int piece, byte[] digest) {
    if (piece < 0 || piece >= pieceCount()) {
      throw new IndexOutOfBoundsException("piece " + piece + " outside 0.." + (pieceCount() - 1));
    }
    int from = piece * HASH_LENGTH;
    return Arrays.equals(hashes, from, from + HASH_LENGTH, digest, 0, digest.length);
  }

  /** This thread's SHA-1, reset and ready for a new piece. */
  static MessageDigest sha1() {
    MessageDigest sha1 = SHA1.get();
    sha1.reset();
    return sha1;
  }
}
