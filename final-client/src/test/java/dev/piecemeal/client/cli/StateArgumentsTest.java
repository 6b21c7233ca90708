package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateArgumentsTest {

  @Test
  void keepsStateInTheXdgStateFolderWhenOneIsSet() {
    assertThat(StateArguments.defaultFolder(Map.of("XDG_STATE_HOME", "/var/state"), "/home/ada"))
        .isEqualTo(Path.of("/var/state", "piecemeal"));
  }

  @Test
  void fallsBackToTheHomeFolderWhenNoneIsSetOrItIsRelative() {
    Path fallback = Path.of("/home/ada", ".local", "state", "piecemeal");
    assertThat(StateArguments.defaultFolder(Map.of(), "/home/ada")).isEqualTo(fallback);
    assertThat(StateArguments.defaultFolder(Map.of("XDG_STATE_HOME", "state"), "/home/ada"))
        .as("the XDG spec ignores a relative path").isEqualTo(fallback);
  }
}
