package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.client.dht.NodeId;
import dev.piecemeal.client.dht.NodeInfo;
import dev.piecemeal.client.dht.SavedTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DHT's state file: written whole, read back, and never a reason to stop when it is bad. */
class DhtStateTest {
  @TempDir Path folder;
  private final List<String> log = new ArrayList<>();

  private static SavedTable table() throws Exception {
    Random random = new Random(4);
    return new SavedTable(NodeId.random(random), List.of(
        new NodeInfo(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6881)),
        new NodeInfo(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51413))));
  }

  @Test
  void readsBackWhatItSavedInAFolderItMade() throws Exception {
    Path file = folder.resolve("state/piecemeal/dht.dat");

    DhtState.save(file, table(), log::add);

    assertThat(DhtState.load(file, log::add)).contains(table());
    assertThat(log).containsExactly("dht: saved 2 nodes to " + file);
    assertThat(folder.resolve("state/piecemeal")).as("no temporary file left").isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void savesATableWithNoNodeWithoutAWord() throws Exception {
    Path file = folder.resolve("dht.dat");
    SavedTable alone = new SavedTable(table().ownId(), List.of());

    DhtState.save(file, alone, log::add);

    assertThat(DhtState.load(file, log::add)).as("the id is kept").contains(alone);
    assertThat(log).isEmpty();
  }

  @Test
  void aMissingFileIsAFirstRunAndSaysNothing() {
    assertThat(DhtState.load(folder.resolve("dht.dat"), log::add)).isEmpty();
    assertThat(log).isEmpty();
  }

  @Test
  void aFileThatIsNotASavedTableIsIgnoredWithOneLine() throws Exception {
    Path file = Files.writeString(folder.resolve("dht.dat"), "d2:id3:abce");

    assertThat(DhtState.load(file, log::add)).isEmpty();
    assertThat(log).singleElement().asString().startsWith("dht: ignoring " + file + ": id: 3 bytes, not 20");
  }

  @Test
  void aFileTooLongIsIgnoredUnread() throws Exception {
    Path file = Files.write(folder.resolve("dht.dat"), new byte[SavedTable.MAX_BYTES + 1]);

    assertThat(DhtState.load(file, log::add)).isEmpty();
    assertThat(log).containsExactly("dht: ignoring " + file + ": " + (SavedTable.MAX_BYTES + 1)
        + " bytes, more than a saved table's " + SavedTable.MAX_BYTES);
  }

  @Test
  void aFolderThatCannotBeMadeIsOneLine() throws Exception {
    Path blocker = Files.writeString(folder.resolve("not-a-folder"), "x");

    DhtState.save(blocker.resolve("dht.dat"), table(), log::add);

    assertThat(log).singleElement().asString()
        .startsWith("dht: could not save the routing table to " + blocker.resolve("dht.dat") + ": ");
    assertThat(blocker).isRegularFile();
  }
}
