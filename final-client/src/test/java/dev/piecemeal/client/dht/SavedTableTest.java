package dev.piecemeal.client.dht;

import static dev.piecemeal.client.dht.Packets.packet;
import static dev.piecemeal.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.bencode.BencodeException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavedTableTest {
  private static final NodeId OURS = NodeId.fromHex("00112233445566778899aabbccddeeff00112233");
  private static final byte[] FILE = packet(
      "d",
        "2:id", "20:", hex("00112233445566778899aabbccddeeff00112233"),
        "5:nodes", "26:",
          hex("0123456789abcdef0123456789abcdef01234567"),   // node id
          hex("c0000207 1ae1"),                              // 192.0.2.7:6881
      "e");

  @Test
  void writesOurIdAndTheNodesAsCompactNodeInfo() {
    NodeInfo node = new NodeInfo(NodeId.fromHex("0123456789abcdef0123456789abcdef01234567"),
        new InetSocketAddress("192.0.2.7", 6881));
    assertThat(new SavedTable(OURS, List.of(node)).encode()).isEqualTo(FILE);
  }

  @Test
  void readsWhatItWrote() throws Exception {
    SavedTable saved = SavedTable.decode(FILE);
    assertThat(saved.ownId()).isEqualTo(OURS);
    assertThat(saved.nodes()).map(NodeInfo::toString).containsExactly("01234567…@192.0.2.7:6881");
  }

  @Test
  void refusesNodesThatAreNotAWholeNumberOf26Bytes() {
    assertThatThrownBy(() -> SavedTable.decode(packet(
        "d2:id20:", hex("00112233445566778899aabbccddeeff00112233"), "5:nodes3:abce")))
        .isInstanceOf(BencodeException.class)
        .hasMessage("nodes: 3 bytes, not a whole number of 26-byte nodes at offset 35");
  }

  @Test
  void refusesAnIdThatIsNot20Bytes() {
    assertThatThrownBy(() -> SavedTable.decode(packet("d2:id3:abc5:nodes0:e")))
        .hasMessage("id: 3 bytes, not 20 at offset 5");
  }

  @Test
  void refusesAFileWithoutOurId() {
    assertThatThrownBy(() -> SavedTable.decode(packet("d5:nodes0:e")))
        .hasMessage("id: missing");
  }

  @Test
  void refusesAFileLongerThanAFullTableBeforeDecodingIt() {
    assertThatThrownBy(() -> SavedTable.decode(new byte[SavedTable.MAX_BYTES + 1]))
        .hasMessage("a saved table of 33381 bytes is longer than the limit of 33380");
  }
}
