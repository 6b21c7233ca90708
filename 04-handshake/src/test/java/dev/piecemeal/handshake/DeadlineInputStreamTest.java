package dev.piecemeal.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineInputStreamTest {
  private static final long SECOND = 1_000_000_000L;
  private long now;
  private final List<Duration> timeouts = new ArrayList<>();

  /** A peer that sends one byte every 4 s: each read takes the clock forward by 4 s. */
  private InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read() {
        now += 4 * SECOND;
        return super.read();
      }
    };
  }

  @Test
  void givesEachReadWhatIsLeftOfTheDeadline() throws Exception {
    DeadlineInputStream in = new DeadlineInputStream(trickle(new byte[3]), Duration.ofSeconds(10),
        "handshake from 127.0.0.1:6881", timeouts::add, () -> now);

    in.read();
    in.read();
    in.read();

    assertThat(timeouts).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofSeconds(2));
  }

  @Test
  void failsTheFirstReadAfterTheDeadlineWhateverThePerReadTimeout() throws Exception {
    DeadlineInputStream in = new DeadlineInputStream(trickle(new byte[68]), Duration.ofSeconds(10),
        "handshake from 127.0.0.1:6881", timeouts::add, () -> now);
    in.read();
    in.read();
    in.read(); // 12 s have passed: each read was well within a 10 s timeout

    assertThatThrownBy(in::read)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("handshake from 127.0.0.1:6881 not complete within 10 s (its deadline)");
  }

  @Test
  void aHandshakeArrivingInTimePassesThrough() throws Exception {
    byte[] wire = new Handshake(Extensions.none(), dev.piecemeal.bencode.InfoHash.fromBytes(new byte[20]),
        dev.piecemeal.tracker.PeerId.random()).encode();
    DeadlineInputStream in = new DeadlineInputStream(new ByteArrayInputStream(wire), Duration.ofSeconds(10),
        "handshake from 127.0.0.1:6881", timeouts::add, () -> now);

    assertThat(Handshake.read(in).encode()).isEqualTo(wire);
  }
}
