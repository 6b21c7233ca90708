package dev.piecemeal.client.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIdTest {
  private static final NodeId ZERO = NodeId.fromHex("0000000000000000000000000000000000000000");

  @Test
  void theDistanceIsTheXorOfTheTwoIds() {
    NodeId a = NodeId.fromHex("1f00000000000000000000000000000000000000");
    NodeId b = NodeId.fromHex("1effffffffffffffffffffffffffffffffffffff");
    assertThat(a.distanceTo(b).hex()).isEqualTo("01ffffffffffffffffffffffffffffffffffffff");
    assertThat(a.commonPrefixLength(b)).as("shared leading bits").isEqualTo(7);
    assertThat(a.commonPrefixLength(a)).isEqualTo(160);
    assertThat(ZERO.commonPrefixLength(NodeId.fromHex("8000000000000000000000000000000000000000")))
        .isZero();
  }

  @Test
  void comparesDistancesAsUnsignedNumbers() {
    NodeId near = NodeId.fromHex("0000000000000000000000000000000000000001");
    NodeId far = NodeId.fromHex("ff00000000000000000000000000000000000000");   // 0xff is not -1
    NodeId middle = NodeId.fromHex("0100000000000000000000000000000000000000");
    List<NodeId> ids = new ArrayList<>(List.of(far, near, middle));
    ids.sort(NodeId.byDistanceTo(ZERO));
    assertThat(ids).containsExactly(near, middle, far);
    assertThat(ZERO.closerTo(near, far)).isNegative();
    assertThat(ZERO.closerTo(far, far)).isZero();
  }

  @Test
  void aRandomIdWithAPrefixSharesExactlyThoseBits() {
    NodeId ours = NodeId.fromHex("a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5");
    Random random = new Random(7);
    for (int bits = 0; bits <= 160; bits += 13) {
      NodeId target = NodeId.randomWithPrefix(ours, bits, random);
      assertThat(ours.commonPrefixLength(target)).as("prefix of %d bits", bits)
          .isGreaterThanOrEqualTo(bits);
    }
  }

  @Test
  void flipsOneBitCountedFromTheMostSignificant() {
    assertThat(ZERO.withBitFlipped(0).hex()).isEqualTo("8000000000000000000000000000000000000000");
    assertThat(ZERO.withBitFlipped(159).hex()).isEqualTo("0000000000000000000000000000000000000001");
  }

  @Test
  void hasByteStringManners() {
    byte[] bytes = new byte[20];
    NodeId id = NodeId.fromBytes(bytes);
    bytes[0] = 1;
    assertThat(id).isEqualTo(ZERO).hasSameHashCodeAs(ZERO).hasToString("NodeId[00000000…]");
    assertThat(id.bytes()).isNotSameAs(id.bytes());
  }

  @Test
  void refusesAnIdThatIsNot20Bytes() {
    assertThatThrownBy(() -> NodeId.fromBytes(new byte[19]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a node id is 20 bytes, not 19");
  }
}
