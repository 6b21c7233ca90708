package dev.piecemeal.client.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChokeDecisionTest {

  @Test
  void listsTheRegularPeersInOrderThenTheOptimisticOne() {
    ChokeDecision<String> decision = new ChokeDecision<>(new LinkedHashSet<>(List.of("c", "a")), Optional.of("b"));

    assertThat(decision.unchoked()).containsExactly("c", "a", "b");
    assertThat(decision.isUnchoked("b")).isTrue();
    assertThat(decision.isUnchoked("d")).isFalse();
  }

  @Test
  void refusesAPeerInARegularSlotAndTheOptimisticOne() {
    assertThatThrownBy(() -> new ChokeDecision<>(new LinkedHashSet<>(List.of("a")), Optional.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("peer a cannot hold a regular slot and the optimistic one");
  }
}
