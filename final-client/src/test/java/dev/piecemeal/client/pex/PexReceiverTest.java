package dev.piecemeal.client.pex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.client.Destinations;
import dev.piecemeal.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds on what one peer's ut_pex messages can make us dial. */
class PexReceiverTest {

  private static PexMessage added(String prefix, int from, int count, int flags) throws Exception {
    List<PexMessage.Peer> peers = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      peers.add(new PexMessage.Peer(PeerAddress.of(prefix, 10000 + i), flags));
    }
    return new PexMessage(peers, List.of());
  }

  @Test
  void takesAtMostFiftyPeersFromOneMessage() throws Exception {
    PexReceiver receiver = new PexReceiver(Destinations.ANY);

    List<PeerAddress> taken = receiver.take(added("192.0.2.1", 0, 100, 0), false);

    assertThat(taken).hasSize(PexReceiver.MAX_PER_MESSAGE);
    assertThat(taken.get(0)).isEqualTo(PeerAddress.of("192.0.2.1", 10000));
  }

  @Test
  void takesAtMostTwoHundredPeersFromOnePeerInAllWhateverItFloodsUsWith() throws Exception {
    PexReceiver receiver = new PexReceiver(Destinations.ANY);
    int total = 0;
    for (int message = 0; message < 100; message++) {
      total += receiver.take(added("192.0.2.1", message * 100, 100, 0), false).size();
    }

    assertThat(total).isEqualTo(PexReceiver.MAX_PER_PEER);
    assertThat(receiver.taken()).isEqualTo(PexReceiver.MAX_PER_PEER);
  }

  @Test
  void takesNoPeerItMayNotContactInLoopbackOnlyMode() throws Exception {
    PexReceiver receiver = new PexReceiver(Destinations.LOOPBACK_ONLY);
    List<PexMessage.Peer> mixed = new ArrayList<>(added("192.168.1.1", 0, 60, 0).added());
    mixed.add(new PexMessage.Peer(PeerAddress.of("::1", 6881), 0));
    mixed.add(new PexMessage.Peer(PeerAddress.of("127.0.0.1", 6881), 0));

    List<PeerAddress> taken = receiver.take(new PexMessage(mixed, List.of()), false);

    assertThat(taken).containsExactly(PeerAddress.of("::1", 6881), PeerAddress.of("127.0.0.1", 6881));
    assertThat(receiver.taken()).as("refused peers use none of the bound").isEqualTo(2);
  }

  @Test
  void leavesSeedsOutWhenWeSeed() throws Exception {
    PexReceiver receiver = new PexReceiver(Destinations.ANY);
    List<PexMessage.Peer> peers = new ArrayList<>(added("192.0.2.1", 0, 2, PexMessage.SEED).added());
    peers.addAll(added("192.0.2.2", 0, 1, PexMessage.REACHABLE).added());

    assertThat(receiver.take(new PexMessage(peers, List.of()), true)).containsExactly(PeerAddress.of("192.0.2.2", 10000));
    assertThat(receiver.take(new PexMessage(peers, List.of()), false)).as("while downloading, seeds are the best").hasSize(3);
  }

  @Test
  void ignoresDropped() throws Exception {
    PexReceiver receiver = new PexReceiver(Destinations.ANY);

    assertThat(receiver.take(new PexMessage(List.of(), List.of(PeerAddress.of("192.0.2.1", 1))), false)).isEmpty();
  }
}
