package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.client.DownloadOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the DHT's table is kept: in the state folder, beside the resume data, unless told otherwise. */
class DhtArgumentsTest {
  private static final Path STATE_FOLDER = Path.of("/var/state/piecemeal");

  private static DownloadOptions applied(DhtArguments arguments) throws CommandException {
    DownloadOptions.Builder builder = DownloadOptions.builder(Path.of("/tmp/out"));
    arguments.applyTo(builder, true, STATE_FOLDER);
    return builder.build();
  }

  @Test
  void keepsTheTableAsDhtDatInTheStateFolder() throws Exception {
    assertThat(applied(new DhtArguments()).dhtState()).contains(STATE_FOLDER.resolve("dht.dat"));
  }

  @Test
  void keepsItWhereDhtStateSaysWhenGiven() throws Exception {
    DhtArguments arguments = new DhtArguments();
    arguments.state = Path.of("/elsewhere/table.dat");
    assertThat(applied(arguments).dhtState()).contains(Path.of("/elsewhere/table.dat"));
  }

  @Test
  void keepsNoTableWithNoDht() throws Exception {
    DhtArguments arguments = new DhtArguments();
    arguments.noDht = true;
    assertThat(applied(arguments).dhtState()).isEmpty();
  }
}
