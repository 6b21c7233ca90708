package dev.piecemeal.client.seed;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the {@link Choker} decided: the peers to unchoke, every other peer to choke (BEP 3,
 * "choking and optimistic unchoking"). The engine sends UNCHOKE to a peer in {@link #unchoked()}
 * that it had choked, and CHOKE to a peer not in it that it had unchoked.
 *
 * @param regular the peers holding a regular upload slot, fastest first
 * @param optimistic the one peer unchoked whatever its rate, if there is one, never also regular
 */
public record ChokeDecision<K>(Set<K> regular, Optional<K> optimistic) {

  public ChokeDecision {
    Objects.requireNonNull(optimistic, "optimistic");
    // A copy that keeps the order, so that a reader (and a test) sees the fastest first.
    regular = Collections.unmodifiableSet(new LinkedHashSet<>(regular));
    if (optimistic.isPresent() && regular.contains(optimistic.get())) {
      throw new IllegalArgumentException(
          "peer " + optimistic.get() + " cannot hold a regular slot and the optimistic one");
    }
  }

  /** Everybody choked. */
  public static <K> ChokeDecision<K> none() {
    return new ChokeDecision<>(Set.of(), Optional.empty());
  }

  /** Every peer to unchoke: the regular ones, fastest first, then the optimistic one. */
  public Set<K> unchoked() {
    Set<K> all = new LinkedHashSet<>(regular);
    optimistic.ifPresent(all::add);
    return Collections.unmodifiableSet(all);
  }

  /** True when {@code key} is to be unchoked, in a regular slot or the optimistic one. */
  public boolean isUnchoked(K key) {
    return regular.contains(key) || optimistic.filter(key::equals).isPresent();
  }

  /** The same decision without the peers {@code keep} says no to. */
  ChokeDecision<K> keepOnly(Predicate<K> keep) {
    Set<K> kept = new LinkedHashSet<>();
    for (K key : regular) {
      if (keep.test(key)) {
        kept.add(key);
      }
    }
    return new ChokeDecision<>(kept, optimistic.filter(keep));
  }
}
