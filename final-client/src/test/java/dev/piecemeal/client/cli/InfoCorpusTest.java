package dev.piecemeal.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.testing.TorrentCorpus;
import dev.piecemeal.testing.TorrentCorpus.Row;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code piecemeal info} over every torrent of the test corpus, in-process: a torrent that loads
 * prints its info hash and exits 0; one that is refused prints exactly one {@code error:} line that
 * names the file, and exits 2, without a stack trace.
 */
class InfoCorpusTest {

  static Stream<Row> torrents() throws IOException {
    return TorrentCorpus.rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torrents")
  void infoLoadsOrFailsCleanly(Row row) {
    String file = TorrentCorpus.file(row.file()).toString();
    CliRunner.Result result = CliRunner.run("info", file);
    boolean loads = row.expect().equals("ok") && !TorrentCorpus.DELIBERATE_DIFFERENCES.containsKey(row.file());
    if (loads) {
      assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
      assertThat(result.out()).contains("info hash:   " + row.infoHashHex() + "\n");
      assertThat(result.err()).isEmpty();
    } else {
      assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.out()).isEmpty();
      assertThat(result.errLines()).hasSize(1);
      assertThat(result.err()).startsWith("error: " + file + ": ").doesNotContain("\tat ").doesNotContain("Exception");
    }
  }
}
