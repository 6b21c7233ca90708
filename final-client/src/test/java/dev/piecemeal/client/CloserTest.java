package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloserTest {
  private final List<String> closed = new ArrayList<>();

  @AfterEach
  void clearTheInterrupt() {
    Thread.interrupted(); // never leave an interrupt behind for the next test
  }

  @Test
  void closesEveryPartInOrder() {
    Closer.closeInOrder(null, List.of(() -> closed.add("swarm"), () -> closed.add("hasher")));

    assertThat(closed).containsExactly("swarm", "hasher");
  }

  @Test
  void closesTheRestWhenOnePartThrowsAndThenThrowsTheFirstFailure() {
    IllegalStateException first = new IllegalStateException("swarm broke");
    IllegalStateException second = new IllegalStateException("hasher broke");

    assertThatThrownBy(() -> Closer.closeInOrder(null, List.of(
            () -> { throw first; },
            () -> { throw second; },
            () -> closed.add("announcer"))))
        .isSameAs(first)
        .satisfies(thrown -> assertThat(thrown.getSuppressed()).containsExactly(second));
    assertThat(closed).containsExactly("announcer");
  }

  @Test
  void addsCloseFailuresToWhatEndedTheWorkInsteadOfHidingIt() {
    Exception pending = new Exception("the disk is full");
    IllegalStateException failure = new IllegalStateException("swarm broke");

    Closer.closeInOrder(pending, List.of(() -> { throw failure; }));

    assertThat(pending.getSuppressed()).containsExactly(failure);
  }

  @Test
  void aPartAfterAnInterruptedOneStillWaitsAndTheInterruptIsKept() {
    List<Boolean> interruptedWhenClosing = new ArrayList<>();

    Closer.closeInOrder(null, List.of(
        () -> { throw new InterruptedException("join interrupted"); },
        () -> interruptedWhenClosing.add(Thread.currentThread().isInterrupted())));

    assertThat(interruptedWhenClosing).as("the second part could wait for its threads").containsExactly(false);
    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt, set again at the end").isTrue();
  }

  @Test
  void anInterruptFromBeforeTheClosingIsKeptButDoesNotCutAWaitShort() {
    Thread.currentThread().interrupt();
    List<Boolean> interruptedWhenClosing = new ArrayList<>();

    Closer.closeInOrder(null, List.of(() -> interruptedWhenClosing.add(Thread.currentThread().isInterrupted())));

    assertThat(interruptedWhenClosing).containsExactly(false);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }
}
