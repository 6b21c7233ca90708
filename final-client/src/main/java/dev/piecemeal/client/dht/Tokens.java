package dev.piecemeal.client.dht;

import dev.piecemeal.bencode.InfoHash;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The tokens we hand out with our answers to {@code get_peers}, and the check of the token that
 * comes back in {@code announce_peer} (BEP 5: "the BitTorrent implementation uses the SHA1 hash of
 * the IP address concatenated onto a secret that changes every five minutes and tokens up to ten
 * minutes old are accepted").
 *
 * <pre>
 * token = first 8 bytes of SHA-1( asker's IP (4 bytes) | secret (20 bytes) | info-hash (20 bytes) )
 *
 * t = 0      secret A           tokens made with A
 * t = 5 min  secret B, then A   tokens of A still accepted
 * t = 10 min secret C, then B   tokens of A refused: between 5 and 10 minutes old
 * </pre>
 *
 * Nothing is stored per asker: a token proves by itself that we gave it to this IP, for this
 * torrent, in the last ten minutes. The info-hash is in the hash as libtorrent puts it there, so
 * a token won for one torrent cannot announce another.
 *
 * <p>Time is the clock passed in; the secrets come from the {@code Random} passed in ({@code
 * SecureRandom} in the client: a secret that can be guessed lets anyone announce any address).
 * Not thread-safe: one owner, the node's loop.
 */
public final class Tokens {
  /** Our tokens are 8 bytes: libtorrent's 4 can be guessed in 2^32 tries; 8 cannot. */
  public static final int LENGTH = 8;
  /** A new secret every 5 minutes, the old one still accepted for 5 more. */
  public static final long ROTATE_NANOS = TimeUnit.MINUTES.toNanos(5);
  private static final int SECRET_LENGTH = 20;

  private final LongSupplier nanos;
  private final Random random;
  private byte[] current;
  private byte[] previous;
  private long rotatedAt;

  /**
   * @param nanos the clock, in nanoseconds ({@code System::nanoTime})
   * @param random where secrets come from
   */
  public Tokens(LongSupplier nanos, Random random) {
    this.nanos = Objects.requireNonNull(nanos, "nanos");
    this.random = Objects.requireNonNull(random, "random");
    this.current = newSecret();
    this.previous = newSecret();
    this.rotatedAt = nanos.getAsLong();
  }

  /** The token for {@code asker} to announce {@code infoHash} with. */
  public Token issue(InetAddress asker, InfoHash infoHash) {
    rotate();
    return Token.fromBytes(token(current, asker, infoHash));
  }

  /**
   * True when {@code token} is one we gave {@code announcer} for {@code infoHash} with the current
   * secret or the one before it.
   */
  public boolean accepts(Token token, InetAddress announcer, InfoHash infoHash) {
    rotate();
    if (token.length() != LENGTH) {
      return false;
    }
    // Both compared, so the time taken does not say which secret made the token.
    boolean current = token.matches(token(this.current, announcer, infoHash));
    boolean previous = token.matches(token(this.previous, announcer, infoHash));
    return current | previous;
  }

  /** Catches up with the clock: one new secret per 5 minutes passed, at most two. */
  private void rotate() {
    long periods = (nanos.getAsLong() - rotatedAt) / ROTATE_NANOS;
    if (periods <= 0) {
      return;
    }
    previous = periods == 1 ? current : newSecret();
    current = newSecret();
    rotatedAt += periods * ROTATE_NANOS;
  }

  private byte[] newSecret() {
    byte[] secret = new byte[SECRET_LENGTH];
    random.nextBytes(secret);
    return secret;
  }

  private static byte[] token(byte[] secret, InetAddress address, InfoHash infoHash) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-1", e);
    }
    sha1.update(address.getAddress());
    sha1.update(secret);
    sha1.update(infoHash.bytes());
    return Arrays.copyOf(sha1.digest(), LENGTH);
  }
}
