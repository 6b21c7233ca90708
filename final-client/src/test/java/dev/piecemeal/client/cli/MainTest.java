package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void versionNamesTheProgram() {
    CliRunner.Result result = CliRunner.run("--version");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    // In-process the classes come from target/classes, which has no manifest version.
    assertThat(result.out()).startsWith("piecemeal ");
  }

  @Test
  void helpListsTheCommands() {
    CliRunner.Result result = CliRunner.run("--help");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains("Usage: piecemeal").contains("info");
  }

  @Test
  void aMissingCommandIsBadInputInOneLine() {
    CliRunner.Result result = CliRunner.run();
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    // The list grows as chapters add commands: check the line's shape and two of its commands.
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("error: a command is missing: info, ")
        .contains("announce")
        .endsWith(" (see 'piecemeal --help')");
  }

  @Test
  void anUnknownCommandIsBadInputInOneLine() {
    CliRunner.Result result = CliRunner.run("downlaod", "x.torrent");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).startsWith("error: ").contains("downlaod").contains("piecemeal --help");
  }

  @Test
  void aMissingArgumentIsBadInputInOneLine() {
    CliRunner.Result result = CliRunner.run("info");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).containsExactly(
        "error: Missing required parameter: 'FILE.torrent|MAGNET' (see 'piecemeal info --help')");
  }
}
