package dev.piecemeal.client.pex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.tracker.PeerAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What we tell one peer by ut_pex, and when: on a clock stepped by hand. */
class PexSenderTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private final PexSender sender = new PexSender();

  private static PexMessage.Peer peer(int port) {
    return new PexMessage.Peer(new PeerAddress(InetAddress.getLoopbackAddress(), port), PexMessage.REACHABLE);
  }

  private static List<PexMessage.Peer> peers(int from, int count) throws Exception {
    List<PexMessage.Peer> peers = new ArrayList<>();
    for (int port = from; port < from + count; port++) {
      peers.add(peer(port));
    }
    return peers;
  }

  @Test
  void tellsOfEveryConnectedPeerAtOnceTheFirstTime() throws Exception {
    Optional<PexMessage> first = sender.next(List.of(peer(1), peer(2)), 0);

    assertThat(first).hasValueSatisfying(message -> {
      assertThat(message.added()).containsExactly(peer(1), peer(2));
      assertThat(message.dropped()).isEmpty();
    });
  }

  @Test
  void sendsAtMostOnceAMinute() throws Exception {
    sender.next(List.of(peer(1)), 0);

    assertThat(sender.next(List.of(peer(1), peer(2)), 59 * SECOND)).as("59 s after the last").isEmpty();
    assertThat(sender.next(List.of(peer(1), peer(2)), 60 * SECOND)).as("60 s after the last")
        .hasValueSatisfying(message -> assertThat(message.added()).containsExactly(peer(2)));
    assertThat(sender.next(List.of(peer(1), peer(2), peer(3)), 61 * SECOND)).as("1 s after that").isEmpty();
  }

  @Test
  void tellsOnlyWhatChangedSinceTheLastMessage() throws Exception {
    sender.next(List.of(peer(1), peer(2)), 0);

    Optional<PexMessage> next = sender.next(List.of(peer(2), peer(3), peer(4)), 60 * SECOND);

    assertThat(next).hasValueSatisfying(message -> {
      assertThat(message.added()).containsExactly(peer(3), peer(4));
      assertThat(message.dropped()).containsExactly(peer(1).address());
    });
  }

  @Test
  void sendsNothingWhenNothingChangedAndThatDoesNotCountAsSent() throws Exception {
    sender.next(List.of(peer(1)), 0);

    assertThat(sender.next(List.of(peer(1)), 60 * SECOND)).as("nothing new").isEmpty();
    assertThat(sender.next(List.of(peer(1), peer(2)), 61 * SECOND)).as("a peer joined a second later")
        .hasValueSatisfying(message -> assertThat(message.added()).containsExactly(peer(2)));
  }

  @Test
  void putsAtMostFiftyAddedInOneMessageAndTheRestInTheNext() throws Exception {
    List<PexMessage.Peer> connected = peers(1000, 120);

    PexMessage first = sender.next(connected, 0).orElseThrow();
    PexMessage second = sender.next(connected, 60 * SECOND).orElseThrow();
    PexMessage third = sender.next(connected, 120 * SECOND).orElseThrow();

    assertThat(first.added()).hasSize(PexSender.MAX_ADDED).isEqualTo(connected.subList(0, 50));
    assertThat(second.added()).isEqualTo(connected.subList(50, 100));
    assertThat(third.added()).isEqualTo(connected.subList(100, 120));
    assertThat(sender.next(connected, 180 * SECOND)).as("everyone told").isEmpty();
  }

  @Test
  void putsAtMostFiftyDroppedInOneMessage() throws Exception {
    List<PexMessage.Peer> connected = peers(1000, 120);
    for (int minute = 0; minute < 3; minute++) {
      sender.next(connected, minute * 60 * SECOND);
    }

    PexMessage gone = sender.next(List.of(), 180 * SECOND).orElseThrow();

    assertThat(gone.dropped()).hasSize(PexSender.MAX_DROPPED);
    assertThat(gone.added()).isEmpty();
    assertThat(sender.told()).isEqualTo(70);
  }

  @Test
  void namesEachPeerOnceThoughTheSwarmListsItTwice() throws Exception {
    PexMessage first = sender.next(List.of(peer(1), peer(1)), 0).orElseThrow();

    assertThat(first.added()).containsExactly(peer(1));
  }
}
