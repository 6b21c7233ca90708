package dev.piecemeal.client.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.bencode.InfoHash;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tokens on a clock moved by hand: each rotation is five minutes in one assignment. */
class TokensTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final InfoHash TORRENT = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
  private static final InfoHash OTHER = InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98");

  private long now;
  private final Tokens tokens = new Tokens(() -> now, new Random(5));

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void acceptsTheTokenItGaveForTheSameAddressAndTorrent() throws Exception {
    Token token = tokens.issue(ip("192.0.2.7"), TORRENT);
    assertThat(token.length()).isEqualTo(Tokens.LENGTH);
    assertThat(tokens.accepts(token, ip("192.0.2.7"), TORRENT)).isTrue();
  }

  @Test
  void givesTheSameTokenToTheSameAskerUntilTheSecretChanges() throws Exception {
    Token first = tokens.issue(ip("192.0.2.7"), TORRENT);
    now = 4 * MINUTE;
    assertThat(tokens.issue(ip("192.0.2.7"), TORRENT)).isEqualTo(first);
    now = 5 * MINUTE;
    assertThat(tokens.issue(ip("192.0.2.7"), TORRENT)).isNotEqualTo(first);
  }

  @Test
  void stillAcceptsATokenOfThePreviousSecret() throws Exception {
    Token token = tokens.issue(ip("192.0.2.7"), TORRENT);
    now = 9 * MINUTE;   // one rotation, at 5 minutes
    assertThat(tokens.accepts(token, ip("192.0.2.7"), TORRENT)).isTrue();
  }

  @Test
  void refusesATokenAfterTwoRotations() throws Exception {
    Token token = tokens.issue(ip("192.0.2.7"), TORRENT);
    now = 10 * MINUTE;
    assertThat(tokens.accepts(token, ip("192.0.2.7"), TORRENT)).isFalse();
  }

  @Test
  void refusesATokenAfterALongSilence() throws Exception {
    Token token = tokens.issue(ip("192.0.2.7"), TORRENT);
    now = 600 * MINUTE;
    assertThat(tokens.accepts(token, ip("192.0.2.7"), TORRENT)).isFalse();
  }

  @Test
  void refusesATokenFromAnotherAddress() throws Exception {
    Token token = tokens.issue(ip("192.0.2.7"), TORRENT);
    assertThat(tokens.accepts(token, ip("192.0.2.8"), TORRENT)).isFalse();
  }

  @Test
  void refusesATokenForAnotherTorrent() throws Exception {
    Token token = tokens.issue(ip("192.0.2.7"), TORRENT);
    assertThat(tokens.accepts(token, ip("192.0.2.7"), OTHER)).isFalse();
  }

  @Test
  void refusesATokenOfAnotherLength() throws Exception {
    byte[] longer = new byte[Tokens.LENGTH + 1];
    System.arraycopy(tokens.issue(ip("192.0.2.7"), TORRENT).bytes(), 0, longer, 0, Tokens.LENGTH);
    assertThat(tokens.accepts(Token.fromBytes(longer), ip("192.0.2.7"), TORRENT)).isFalse();
  }
}
