package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void doublesFifteenSecondsUpToEightRetransmissionsAsBep15Says() {
    RetryPolicy bep15 = RetryPolicy.BEP_15;
    assertThat(bep15.attempts()).isEqualTo(9);
    assertThat(bep15.timeout(0)).isEqualTo(Duration.ofSeconds(15));
    assertThat(bep15.timeout(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(bep15.timeout(8)).isEqualTo(Duration.ofSeconds(3840));
  }

  @Test
  void scalesToMillisecondsForTests() {
    RetryPolicy fast = new RetryPolicy(Duration.ofMillis(10), 2);
    assertThat(fast.timeout(2)).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void rejectsMoreRetransmissionsThanBep15Allows() {
    assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retransmissions 9");
  }

  @Test
  void rejectsAZeroTimeout() {
    assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not positive");
  }

  @Test
  void hasNoTimeoutBeyondItsLastAttempt() {
    assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 1).timeout(2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
